// The bench harness works and writes medians under the peer's names; speed itself is never
// asserted here (benchmarks measure, tests check behaviour).

#include <doctest/doctest.h>

#include "core/config.h"
#include "test_util.h"

namespace test_bench_cli {

using namespace dynalab;

TEST_CASE("bench --list names the cases; a filtered run writes medians as JSON") {
  const auto list = test::run_cli("bench --list");
  REQUIRE(list.exit_code == 0);
  CHECK(list.output.find("env_steps/grid_world") != std::string::npos);
  CHECK(list.output.find("dyna_maze_figure") != std::string::npos);
  const auto dir = test::temp_dir("bench");
  const auto r = test::run_cli("bench --filter 'env_steps/grid_world' --repetitions 2 --min-time 0.01 --json " +
                               (dir / "b.json").string());
  REQUIRE(r.exit_code == 0);
  const Json j = Json::parse(test::read_file(dir / "b.json"));
  CHECK(j["results"]["env_steps/grid_world"]["steps_per_s"].get<double>() > 0);
  CHECK(j["results"]["env_steps/grid_world"]["repetitions"] == 2);
}

TEST_CASE("bench rejects a filter that matches nothing or is not a regex") {
  CHECK(test::run_cli("bench --filter no_such_case --repetitions 1").exit_code == 2);
  CHECK(test::run_cli("bench --filter '(' --repetitions 1").exit_code == 2);
}

}  // namespace test_bench_cli
