#!/bin/sh
# Runs EVERY registered experiment (listed now, by dynalab-cli, so new ones are picked up) in the
# GUI's scripted mode under Xvfb with Mesa's software renderer, and checks each run exits 0 (no
# GL error, no bad input) and that its screenshot is not blank.
# usage: scripted_test.sh DYNALAB DYNALAB_CLI PNG_STATS OUT_DIR [TICKS]
set -u
gui=$1 cli=$2 stats=$3 out=$4 ticks=${5:-300}
mkdir -p "$out"
export LIBGL_ALWAYS_SOFTWARE=1
names=$("$cli" list | awk '/^experiments:/ {on=1; next} /^[a-z]+:/ {on=0} on && NF {print $1}')
[ -n "$names" ] || { echo "no experiments listed"; exit 1; }
fail=0
for name in $names; do
  png="$out/$name.png"
  rm -f "$png"
  if ! xvfb-run -a -s "-screen 0 1600x1000x24" "$gui" --experiment "$name" --ticks "$ticks" \
       --screenshot "$png" --exit --size 1600x1000; then
    echo "FAIL $name: dynalab exited non-zero"; fail=1; continue
  fi
  if ! "$stats" "$png" 12; then echo "FAIL $name: blank screenshot"; fail=1; continue; fi
  echo "ok $name"
done
exit $fail
