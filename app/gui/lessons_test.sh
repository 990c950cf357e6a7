#!/bin/sh
# Walks EVERY step of EVERY lesson (listed now by `dynalab-cli lessons`, so new lessons are picked
# up) in the GUI's scripted mode under Xvfb with Mesa's software renderer: one process a lesson
# (--from-step 1 --step N), each step loaded with all its variants and run for TICKS ticks (or to
# its pause, if sooner) and drawn; the process must exit 0 having done every step, and the last
# step's screenshot must not be blank. Running every step to its pause on three seeds, and the
# claims there, is lessons_verify's job (dynalab-cli lessons --verify): the same core, minutes
# of learning that this walk would only repeat.
# usage: lessons_test.sh DYNALAB DYNALAB_CLI PNG_STATS OUT_DIR [TICKS]
set -u
gui=$1 cli=$2 stats=$3 out=$4 ticks=${5:-100}
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
  png="$out/${name}_step$steps.png" log="$out/$name.log"
  rm -f "$png"
  total=$((total + steps))
  if ! xvfb-run -a -s "-screen 0 1280x800x24" "$gui" --lesson "$name" --from-step 1 --step "$steps" \
       --ticks "$ticks" --screenshot "$png" --exit --size 1280x800 </dev/null >"$log" 2>&1; then
    tail -n 5 "$log"; echo "FAIL $name: dynalab exited non-zero"; fail=1
  elif [ "$(grep -c '^scripted: step [0-9]* done' "$log")" -ne $((steps - 1)) ] ||
       ! grep -q '^scripted: [^ ]*, [0-9]* ticks' "$log"; then
    echo "FAIL $name: not every one of its $steps steps ran"; fail=1
  elif ! "$stats" "$png" 12; then
    echo "FAIL $name step $steps: blank screenshot"; fail=1
  else
    echo "ok $name: $steps steps"
  fi
done < "$out/lessons.txt"
echo "$total lesson steps"
exit $fail
