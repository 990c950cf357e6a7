#!/usr/bin/env bash
# Runs each libFuzzer target (tests/fuzz, built in build-asan by scripts/sanitize.sh asan, which
# calls this) for a short time over its seed corpus. New inputs go to a scratch folder, so the
# committed corpus is left as it is; a crash fails the script and leaves crash-* files in
# build-asan/.  scripts/fuzz_smoke.sh [SECONDS]   (default 10 per target)
# build-asan's libraries have no coverage instrumentation (it slowed the tests there). Long runs
# want it, in a tree of their own:
#   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DDYNALAB_FUZZ=ON && cmake --build build-fuzz --target fuzz_weights
#   build-fuzz/tests/fuzz/fuzz_weights -max_total_time=600 -print_final_stats=1 SCRATCH tests/fuzz/corpus/weights
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
dir=build-asan
for t in fuzz_config fuzz_maze fuzz_dataset fuzz_weights; do
  [ -x "$dir/tests/fuzz/$t" ] || { echo "error: $dir/tests/fuzz/$t missing: run scripts/sanitize.sh asan" >&2; exit 2; }
done
corpus=tests/fuzz/corpus
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
run() {  # TARGET CORPUS_DIR...
  local t=$1 status=0
  shift
  mkdir -p "$scratch/$t"
  echo "fuzz $t for ${secs}s"
  "$dir/tests/fuzz/$t" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$dir/" "$scratch/$t" "$@" > "$scratch/$t.log" 2>&1 || status=$?
  sed -n "s/^stat::number_of_executed_units: */$t: executed units /p" "$scratch/$t.log"
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$t.log"
    echo "error: $t failed (exit $status); the input is in $dir/" >&2
    exit 1
  fi
}
# The four run side by side, sharing the cores for their SECONDS of wall time (one after the
# other they took 46 s of the suite's hour); a failing one fails the script.
pids=()
run fuzz_config "$corpus/config" & pids+=($!)
run fuzz_maze "$corpus/maze" & pids+=($!)
run fuzz_dataset "$corpus/dataset_csv" "$corpus/npy" & pids+=($!)  # each input is tried as CSV and as .npy
run fuzz_weights "$corpus/weights" & pids+=($!)
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit "$failed"
