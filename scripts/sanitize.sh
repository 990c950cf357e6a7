#!/usr/bin/env bash
# Builds the tests with sanitizers and runs them (test.sh calls this after the normal tests):
#   asan  build-asan: AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer (all fatal),
#         every test but those in ASAN_SKIP, which only repeat slow work that the others cover
#         (not even built: DYNALAB_TEST_SKIP); the tests compile in unity batches into one
#         executable (DYNALAB_TEST_BATCHES, tests/CMakeLists.txt);
#         the same tree also builds the libFuzzer targets, and scripts/fuzz_smoke.sh runs each
#         over its seed corpus (one instrumented build instead of two); the libraries have no
#         coverage instrumentation there (DYNALAB_FUZZ_COVERAGE=OFF), which made the slowest
#         tests 1.3-2x slower, so the smoke is guided by the fuzz targets' own code only;
#   tsan  build-tsan: ThreadSanitizer, the tests with worker threads (runner, planner and
#         training threads, the 1-vs-2-thread determinism test) only (DYNALAB_TEST_ONLY), batched
#         like the ASan tree's (test_planners, which counts allocations, is its own executable).
# Both are clang at -O1 with line tables only, without the GUI: clang compiles the sanitized
# code in about half g++'s time and full -g triples it (measured on mbpo_agent.cpp: g++ -O1 -g
# 29 s, clang -O1 -gline-tables-only 13 s, the Release build 8.7 s), and the suite must stay
# under an hour on two cores.   scripts/sanitize.sh [asan|tsan]...
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/phase.sh
jobs=${JOBS:-$(nproc)}
which=("$@")
[ ${#which[@]} -eq 0 ] && which=(asan tsan)

# Skipped under ASan (each takes minutes there; the Release run of ./test.sh covers them):
#   test_lessons      runs lesson steps to their run-until conditions;
#   test_mbrl_learned trains and plans full pendulum/cartpole MPC episodes;
#   test_physics_dyna trains Dyna-Q on discretised Box2D worlds for a minute even in Release
#                     (Box2D itself runs under ASan in test_physics and test_env_conformance);
#   test_bench_cli    runs the benchmark suite (timing, not correctness);
#   test_golden       compares output hashes of the -O3 g++ Release build (another compiler or
#                     -O1 may order floating-point operations differently).
ASAN_SKIP='^(test_lessons|test_mbrl_learned|test_physics_dyna|test_bench_cli|test_golden)$'
TSAN_TESTS='^(test_runner|test_planners|test_ensemble|test_model_env|test_determinism)$'
FUZZ_TARGETS=(fuzz_config fuzz_maze fuzz_dataset fuzz_weights)

configure() {  # DIR CMAKE_ARGS...
  local dir=$1
  shift
  # A tree configured with another compiler cannot be switched in place.
  if [ -f "$dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang++' "$dir/CMakeCache.txt"; then
    rm -rf "$dir"
  fi
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DDYNALAB_GUI=OFF "$@" >/dev/null
}
asan_ctest() {
  (cd build-asan &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
    LSAN_OPTIONS=suppressions="$PWD/../scripts/lsan_suppressions.txt":print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j"$jobs")
}
tsan_ctest() {
  (cd build-tsan &&
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ctest --output-on-failure -j"$jobs" -R "$TSAN_TESTS")
}

for w in "${which[@]}"; do
  case "$w" in
    asan)
      configure build-asan -DDYNALAB_SANITIZE=address,undefined -DDYNALAB_FUZZ=ON -DDYNALAB_FUZZ_COVERAGE=OFF \
        -DDYNALAB_TEST_BATCHES=ON -DDYNALAB_TEST_SKIP="$ASAN_SKIP"
      phase "ASan build" cmake --build build-asan -j"$jobs" --target dynalab-cli "${FUZZ_TARGETS[@]}" dynalab_test_executables
      phase "ASan ctest" asan_ctest
      phase "fuzz smoke" scripts/fuzz_smoke.sh
      ;;
    tsan)
      # Only the threaded tests, compiled in one batch. Almost all of the phase is the
      # instrumented core, not the tests: 283 s batched against 291 s one executable each.
      configure build-tsan -DDYNALAB_SANITIZE=thread -DDYNALAB_TEST_BATCHES=ON -DDYNALAB_TEST_ONLY="$TSAN_TESTS"
      phase "TSan build" cmake --build build-tsan -j"$jobs" --target dynalab-cli dynalab_test_executables
      phase "TSan ctest" tsan_ctest
      ;;
    *) echo "error: expected asan or tsan, got '$w'" >&2; exit 2 ;;
  esac
done
