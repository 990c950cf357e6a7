#!/bin/sh
# The uncertainty lab (issue 6) in the GUI's scripted mode under Xvfb with Mesa's software
# renderer: each view opens beside cliff_hill v0.5 after its first planned episode, the run must
# exit 0, the lab must report what it drew ("lab: VIEW: ..." without "error" or "waiting"), and
# the lab's pane (the right half of the window, above the plots) must not be blank. The three
# models view runs twice: as it opens, and with --two-clusters (its status must say so). The GP
# cost view must report the slopes it measured (the seconds themselves are the machine's).
# usage: lab_test.sh DYNALAB PNG_STATS OUT_DIR
set -u
gui=$1 stats=$2 out=$3
mkdir -p "$out"
export LIBGL_ALWAYS_SOFTWARE=1
fail=0
# Probabilistic members so the aleatoric map and band are not zero by construction.
sets="--set model.prediction=probabilistic --set model.ensemble_size=5 --set model.elite_members=5"
# check_view VIEW NAME [FLAG] [EXPECTED]: one scripted run; EXPECTED must be in the status line.
check_view() {
  view=$1 name=$2 flag=${3:-} expected=${4:-}
  png="$out/$name.png"
  rm -f "$png"
  # 400 ticks: 200 random steps, the fit, and the whole first planned episode's replans.
  log=$(xvfb-run -a -s "-screen 0 1600x1000x24" "$gui" --experiment cliff_hill_v05 $sets \
        --ticks 700 --lab "$view" $flag --screenshot "$png" --exit --size 1600x1000 2>&1 </dev/null)
  rc=$?
  line=$(printf '%s\n' "$log" | grep "^lab: ")
  echo "$line"
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: dynalab exited $rc"; printf '%s\n' "$log" | tail -3; fail=1
  elif ! printf '%s\n' "$line" | grep -q "^lab: $view: "; then
    echo "FAIL $name: the lab did not report the view"; fail=1
  elif printf '%s\n' "$line" | grep -q -e ": error: " -e ": waiting"; then
    echo "FAIL $name: $line"; fail=1
  elif [ -n "$expected" ] && ! printf '%s\n' "$line" | grep -q -F "$expected"; then
    echo "FAIL $name: the status does not say '$expected'"; fail=1
  elif ! "$stats" "$png" 20 0.62 0.06 0.98 0.62; then
    echo "FAIL $name: the lab's pane is blank"; fail=1
  else
    echo "ok $name"
  fi
}
for view in disagreement_map uncertainty_slice model_comparison ensemble_size state_visitation model_error; do
  check_view "$view" "$view"
done
check_view model_comparison model_comparison_two_clusters --two-clusters "(two clusters)"
check_view gp_fit_time gp_fit_time "" "slope over the 3 largest N: evaluation "
exit $fail
