#!/bin/sh
# Walks EVERY step of EVERY lesson (listed now by `dynalab-cli lessons`, so new lessons are picked
# up) in the GUI's scripted mode under Xvfb with Mesa's software renderer: each step runs until its
# "run until" condition (all variants), must exit 0, and its screenshot must not be blank.
# usage: lessons_test.sh DYNALAB DYNALAB_CLI PNG_STATS OUT_DIR
set -u
gui=$1 cli=$2 stats=$3 out=$4
mkdir -p "$out"
export LIBGL_ALWAYS_SOFTWARE=1
# "NAME: title" starts a lesson; "    K. title ..." is one of its steps.
list=$("$cli" lessons | awk '/^[^ ].*: / {if (name) print name, n; name=$1; sub(/:$/, "", name); n=0; next}
                            /^    [0-9]+\. / {n++}
                            END {if (name) print name, n}')
[ -n "$list" ] || { echo "no lessons listed"; exit 1; }
fail=0 total=0
echo "$list" > "$out/lessons.txt"
while read -r name steps; do
  k=1
  while [ "$k" -le "$steps" ]; do
    png="$out/${name}_step$k.png"
    rm -f "$png"
    total=$((total + 1))
    if ! xvfb-run -a -s "-screen 0 1280x800x24" "$gui" --lesson "$name" --step "$k" \
         --screenshot "$png" --exit --size 1280x800 </dev/null; then
      echo "FAIL $name step $k: dynalab exited non-zero"; fail=1
    elif ! "$stats" "$png" 12; then
      echo "FAIL $name step $k: blank screenshot"; fail=1
    else
      echo "ok $name step $k"
    fi
    k=$((k + 1))
  done
done < "$out/lessons.txt"
echo "$total lesson steps"
exit $fail
