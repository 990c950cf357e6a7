#pragma once
// The benchmark suite of `dynalab-cli bench`: each case is a Google Benchmark function that
// reports its throughput as rate counters (e.g. "steps_per_s"); the harness repeats every case,
// keeps the medians, and writes them to JSON with the peer's names (see ../shared/bench).

#include <benchmark/benchmark.h>

#include <functional>
#include <string>
#include <vector>

namespace dynalab::cli {

struct BenchCase {
  std::string name;  ///< e.g. "env_steps/pendulum"; "planner/main" maps to the peer's "main"
  std::function<void(benchmark::State&)> run;
};

/// Every benchmark case, as an explicit list (bench_cases.cpp).
std::vector<BenchCase> bench_cases();

}  // namespace dynalab::cli
