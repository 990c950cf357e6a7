#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang, ASan + UBSan) in build-fuzz and runs each for
# a short time over its seed corpus (test.sh calls this). New inputs go to a scratch folder, so
# the committed corpus is left as it is; a crash fails the script and leaves crash-* files in
# build-fuzz/.  scripts/fuzz_smoke.sh [SECONDS]   (default 10 per target)
# Long runs: build-fuzz/tests/fuzz/fuzz_weights -max_total_time=600 -print_final_stats=1 \
#              SCRATCH tests/fuzz/corpus/weights
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
jobs=${JOBS:-$(nproc)}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDYNALAB_FUZZ=ON \
  -DDYNALAB_GUI=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_config fuzz_maze fuzz_dataset fuzz_weights
corpus=tests/fuzz/corpus
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
run() {  # TARGET CORPUS_DIR...
  local t=$1 status=0
  shift
  mkdir -p "$scratch/$t"
  echo "fuzz $t for ${secs}s"
  "build-fuzz/tests/fuzz/$t" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix=build-fuzz/ "$scratch/$t" "$@" > "$scratch/$t.log" 2>&1 || status=$?
  grep -E '^stat::number_of_executed_units' "$scratch/$t.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$t.log"
    echo "error: $t failed (exit $status); the input is in build-fuzz/" >&2
    exit 1
  fi
}
run fuzz_config "$corpus/config"
run fuzz_maze "$corpus/maze"
run fuzz_dataset "$corpus/dataset_csv" "$corpus/npy"  # each input is tried as CSV and as .npy
run fuzz_weights "$corpus/weights"
