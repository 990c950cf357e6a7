#include <doctest/doctest.h>

#include "core/config.h"
#include "test_util.h"

using namespace dynalab;

TEST_CASE("list names every env, agent, planner and experiment") {
  const auto r = test::run_cli("list");
  CHECK(r.exit_code == 0);
  for (const char* name : {"grid_world", "q_learning", "dyna_q", "dyna_q_plus", "prioritized_sweeping", "dyna_maze",
                           "blocking_maze", "shortcut_maze", "prioritized_sweeping_maze", "planners:", "random_shooting",
                           "cem", "mppi"})
    CHECK(r.output.find(name) != std::string::npos);
}

TEST_CASE("show prints the fully resolved config with overrides applied") {
  const auto r = test::run_cli("show dyna_maze --set agent.planning_steps=50 --seed 9");
  REQUIRE(r.exit_code == 0);
  const Json j = Json::parse(r.output);
  CHECK(j["agent"]["planning_steps"] == 50);
  CHECK(j["seed"] == 9);
  CHECK(j["agent"]["kappa"].is_number());  // defaults are filled in
  CHECK(j["env"]["max_episode_steps"].is_number());
}

TEST_CASE("run writes config.json and metrics.csv; the same command gives byte-identical files") {
  const auto a = test::temp_dir("run_a"), b = test::temp_dir("run_b"), c = test::temp_dir("run_c");
  const std::string cmd = "run dyna_maze --runs 3 --seed 5 --set agent.planning_steps=5 --quiet --out ";
  REQUIRE(test::run_cli(cmd + a.string()).exit_code == 0);
  REQUIRE(test::run_cli(cmd + b.string()).exit_code == 0);
  REQUIRE(test::run_cli("run dyna_maze --runs 3 --seed 6 --quiet --out " + c.string()).exit_code == 0);
  const std::string m = test::read_file(a / "metrics.csv");
  CHECK(m.rfind("run,episode,steps,return\n", 0) == 0);
  CHECK(std::count(m.begin(), m.end(), '\n') == 1 + 3 * 50);
  CHECK(m == test::read_file(b / "metrics.csv"));
  CHECK(m != test::read_file(c / "metrics.csv"));  // the seed matters
  const Json cfg = Json::parse(test::read_file(a / "config.json"));
  CHECK(cfg["runs"] == 3);
  CHECK(cfg["seed"] == 5);
  // Re-running the resolved config reproduces the run exactly.
  const auto d = test::temp_dir("run_d");
  REQUIRE(test::run_cli("run " + (a / "config.json").string() + " --quiet --out " + d.string()).exit_code == 0);
  CHECK(test::read_file(d / "metrics.csv") == m);
}

TEST_CASE("changing mazes write cumulative_reward.csv for every step") {
  const auto a = test::temp_dir("cum");
  REQUIRE(test::run_cli("run blocking_maze --runs 2 --quiet --out " + a.string()).exit_code == 0);
  const std::string c = test::read_file(a / "cumulative_reward.csv");
  CHECK(c.rfind("run,step,cumulative_reward\n", 0) == 0);
  CHECK(std::count(c.begin(), c.end(), '\n') == 1 + 2 * 3000);
}

TEST_CASE("an unwritable output folder is a clear error, exit 2") {
  const auto r = test::run_cli("run dyna_maze --quiet --out /proc/dynalab_cannot_write_here");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("/proc/dynalab_cannot_write_here") != std::string::npos);
}
