#!/bin/sh
# Renders every step of every lesson at its pause point into OUTDIR, one PNG per step
# (NAME_stepK.png), in the GUI's scripted mode under Xvfb: what the lecturer's screen shows when
# the step has paused. Lessons open in presentation mode (the default in lesson mode).
# usage: scripts/lesson_screenshots.sh OUTDIR [WxH] [extra dynalab flags...]
#   e.g. scripts/lesson_screenshots.sh /tmp/shots 1920x1080
#        LESSONS="03_replanning 06_planning_with_uncertainty" scripts/lesson_screenshots.sh /tmp/shots
# Env: BUILD (default ./build), LESSONS (lesson names to render; default all).
set -u
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [WxH] [dynalab flags...]" >&2; exit 2; }
out=$1
size=${2:-1600x1000}
[ $# -ge 2 ] && shift 2 || shift 1
build=${BUILD:-build}
gui=$build/app/gui/dynalab cli=$build/app/dynalab-cli
for b in "$gui" "$cli"; do
  [ -x "$b" ] || { echo "error: $b not built (cmake --build $build --target dynalab dynalab-cli)" >&2; exit 2; }
done
case $size in
  *x*) ;;
  *) echo "error: size: expected WxH, got '$size'" >&2; exit 2 ;;
esac
mkdir -p "$out" || exit 2
export LIBGL_ALWAYS_SOFTWARE=1
# "NAME: title" starts a lesson; "    K. title ..." is one of its steps.
list=$("$cli" lessons | awk '/^[^ ].*: / {if (name) print name, n; name=$1; sub(/:$/, "", name); n=0; next}
                            /^    [0-9]+\. / {n++}
                            END {if (name) print name, n}')
fail=0
echo "$list" | while read -r name steps; do
  if [ -n "${LESSONS:-}" ]; then
    case " $LESSONS " in *" $name "*) ;; *) continue ;; esac
  fi
  k=1
  while [ "$k" -le "$steps" ]; do
    png="$out/${name}_step$k.png"
    if xvfb-run -a -s "-screen 0 ${size}x24" "$gui" --lesson "$name" --step "$k" --size "$size" \
         --screenshot "$png" --exit "$@" </dev/null >"$out/${name}_step$k.log" 2>&1; then
      echo "$png"
    else
      echo "FAIL $name step $k (see $out/${name}_step$k.log)"
    fi
    k=$((k + 1))
  done
done
