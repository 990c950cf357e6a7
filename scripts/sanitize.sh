#!/usr/bin/env bash
# Builds the tests with sanitizers and runs them (test.sh calls this after the normal tests):
#   build-asan  AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer (all fatal): every
#               test but those in ASAN_SKIP, which only repeat slow work that the others cover;
#   build-tsan  ThreadSanitizer: the tests with worker threads (runner, planner and training
#               threads, the 1-vs-2-thread determinism test).
# Both are RelWithDebInfo at -O1 without the GUI.   scripts/sanitize.sh [asan|tsan]...
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}
which=("$@")
[ ${#which[@]} -eq 0 ] && which=(asan tsan)

# Skipped under ASan (each takes minutes there; the Release run of ./test.sh covers them):
#   test_lessons      walks every step of every lesson to its run-until condition;
#   test_mbrl_learned trains and plans full pendulum/cartpole MPC episodes;
#   test_physics_dyna trains Dyna-Q on discretised Box2D worlds for a minute even in Release
#                     (Box2D itself runs under ASan in test_physics and test_env_conformance);
#   test_bench_cli    runs the benchmark suite (timing, not correctness);
#   test_golden       compares output hashes of the -O3 Release build (-O1 may contract
#                     floating-point operations differently).
ASAN_SKIP='^(test_lessons|test_mbrl_learned|test_physics_dyna|test_bench_cli|test_golden)$'
TSAN_TESTS='^(test_runner|test_planners|test_ensemble|test_model_env|test_determinism)$'

configure() {  # DIR SANITIZERS
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DDYNALAB_GUI=OFF -DDYNALAB_SANITIZE="$2" >/dev/null
}
targets_matching() {  # REGEX [invert]: test targets from tests/test_*.cpp
  for f in tests/test_*.cpp; do basename "$f" .cpp; done | grep -E ${2:+-v} "$1"
}

for w in "${which[@]}"; do
  case "$w" in
    asan)
      configure build-asan address,undefined
      # shellcheck disable=SC2046
      cmake --build build-asan -j"$jobs" --target dynalab-cli $(targets_matching "$ASAN_SKIP" invert)
      (cd build-asan &&
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j"$jobs" -E "$ASAN_SKIP")
      ;;
    tsan)
      configure build-tsan thread
      # shellcheck disable=SC2046
      cmake --build build-tsan -j"$jobs" --target dynalab-cli $(targets_matching "$TSAN_TESTS")
      (cd build-tsan &&
        TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        ctest --output-on-failure -j"$jobs" -R "$TSAN_TESTS")
      ;;
    *) echo "error: expected asan or tsan, got '$w'" >&2; exit 2 ;;
  esac
done
