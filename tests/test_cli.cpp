#include <doctest/doctest.h>

#include <algorithm>

#include "core/config.h"
#include "test_util.h"

namespace test_cli {

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
  CHECK(m.rfind("run,episode,steps,env_steps,return,terminated,real_updates,planning_updates,policy_states,aliased_fraction\n", 0) == 0);
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

TEST_CASE("run --world-svg draws the env's world as SVG after the run") {
  const auto a = test::temp_dir("world_svg");
  REQUIRE(test::run_cli("run dyna_maze --ticks 20 --quiet --world-svg " + (a / "maze.svg").string())
              .exit_code == 0);
  const std::string maze = test::read_file(a / "maze.svg");
  CHECK(maze.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(maze.find("<rect x=") != std::string::npos);  // the cells
  CHECK(maze.size() > 7);
  CHECK(maze.substr(maze.size() - 7) == "</svg>\n");
  REQUIRE(test::run_cli("run point_mass_oracle --ticks 5 --quiet --world-svg " + (a / "pm.svg").string())
              .exit_code == 0);
  const std::string pm = test::read_file(a / "pm.svg");
  CHECK(pm.find("<circle") != std::string::npos);
  CHECK(pm.find("<polyline") != std::string::npos);  // the plan's imagined futures
}

TEST_CASE("run --world-svg draws the overlays of the snapshot's views: Q arrows and cells") {
  const auto a = test::temp_dir("world_svg_q");
  REQUIRE(test::run_cli("run dyna_maze --ticks 1500 --quiet --world-svg " + (a / "maze.svg").string())
              .exit_code == 0);
  const std::string maze = test::read_file(a / "maze.svg");
  CHECK(maze.find("<g class=\"arrow\">") != std::string::npos);  // greedy policy arrows
  CHECK(maze.find("fill-opacity=\"0.92\"") != std::string::npos);  // heat-map cells
}

TEST_CASE("an unwritable output folder is a clear error, exit 2") {
  const auto r = test::run_cli("run dyna_maze --quiet --out /proc/dynalab_cannot_write_here");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("/proc/dynalab_cannot_write_here") != std::string::npos);
}

TEST_CASE("--help lists the commands, and each command's --help its flags (exit 0)") {
  const auto r = test::run_cli("--help");
  CHECK(r.exit_code == 0);
  for (const char* name : {"list", "show", "run", "analysis", "lessons", "lesson", "bench", "rollout", "check"})
    CHECK(r.output.find(std::string("\n  ") + name + " ") != std::string::npos);
  const auto run = test::run_cli("run --help");
  CHECK(run.exit_code == 0);
  for (const char* flag : {"EXPERIMENT", "--seed S", "--runs R", "--set KEY=VALUE", "--out DIR", "--ticks N",
                           "--save-session DIR", "--load-session DIR", "--export-all DIR", "--quiet"})
    CHECK(run.output.find(flag) != std::string::npos);
}

TEST_CASE("bad flags and values exit 2 with one line naming the flag") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run dyna_maze --runs 1x --out /tmp/x", "error: --runs: expected an integer in [1, 100000], got '1x'\n"},
      {"run dyna_maze --runs 99999999999 --out /tmp/x", "error: --runs: expected an integer in [1, 100000], got '99999999999'\n"},
      {"run dyna_maze --out", "--out"},
      {"run dyna_maze --no-such-flag --out /tmp/x", "--no-such-flag"},
      {"bench --min-time nan", "error: --min-time: expected seconds in (0, 600], got 'nan'\n"},
      {"no_such_command", "error: unknown command 'no_such_command'"},
      {"", "error: a subcommand is required"},
  };
  for (const auto& item : cases) {
    const auto& args = item.first;  // not a structured binding: clang 14 cannot capture one
    const auto& expect = item.second;
    const auto r = test::run_cli(args);
    INFO("dynalab-cli " << args << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(expect) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK(r.output.rfind("error: ", 0) == 0);
  }
}

}  // namespace test_cli
