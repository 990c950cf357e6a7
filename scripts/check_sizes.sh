#!/usr/bin/env bash
# Prints the files over MAX_FILE lines and the functions over MAX_FN lines under the given
# directories (default: app/), one violation per line; exits 1 if there is any.
# Functions are found by brace depth outside namespaces: a body opened at depth 0 whose
# statement does not start with class/struct/enum/union/namespace or end in '= {'. Strings,
# character literals and // comments are stripped first. Good enough for this code base's
# style (clang-format, one definition per statement); not a C++ parser.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_FILE=${MAX_FILE:-400}
MAX_FN=${MAX_FN:-80}
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(app)
report() {
while IFS= read -r f; do
  n=$(wc -l <"$f")
  if [ "$n" -gt "$MAX_FILE" ]; then echo "$f: $n lines (max $MAX_FILE)"; fi
  awk -v max="$MAX_FN" -v file="$f" '
    function strip(s) {
      gsub(/\\./, "", s)              # escapes, so \" does not end a string
      gsub(/"[^"]*"/, "\"\"", s)      # string literals
      gsub(/'\''[^'\'']*'\''/, "0", s)  # character literals
      sub(/\/\/.*/, "", s)            # line comments
      return s
    }
    {
      line = strip($0)
      if (depth == 0 && stmt == 0 && line ~ /[^ \t]/ && line !~ /^[ \t]*#/) { stmt = NR; text = "" }
      if (depth == 0) text = text " " line
      opens = gsub(/{/, "{", line); closes = gsub(/}/, "}", line)
      if (depth == 0 && opens > closes) {
        if (text ~ /^[ \t]*(namespace|extern)[^;]*{/) {   # namespace: its body stays at depth 0
          stmt = 0; next
        }
        kind = (text ~ /^[ \t]*(template[^;]*>[ \t]*)?(class|struct|enum|union)[ \t]/ || text ~ /=[ \t]*{/) ? "" : "fn"
        start = stmt
      }
      depth += opens - closes
      if (depth < 0) depth = 0                           # a namespace closing
      if (depth == 0) {
        if (kind == "fn" && NR - start + 1 > max)
          printf "%s:%d: function of %d lines (max %d): %s\n", file, start, NR - start + 1, max, substr(text, 1, 70)
        kind = ""
        if (line ~ /[;}][ \t]*$/ || line !~ /[^ \t]/) stmt = 0
      }
    }' "$f" || true
done < <(find "${dirs[@]}" -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
}
out=$(report)
[ -z "$out" ] && exit 0
echo "$out"
exit 1
