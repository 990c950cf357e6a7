// dynalab-cli rollout: columns, determinism, policies and bad input.

#include <doctest/doctest.h>

#include <sstream>
#include <vector>

#include "test_util.h"

namespace test_rollout_cli {

using namespace dynalab::test;

namespace {
std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string l;
  while (std::getline(ss, l)) out.push_back(l);
  return out;
}
}  // namespace

TEST_CASE("rollout writes one episode with the documented columns") {
  const auto dir = temp_dir("rollout_columns");
  const auto r = run_cli("rollout pendulum --seed 3 --out " + (dir / "a").string());
  REQUIRE(r.exit_code == 0);
  const auto rows = lines(read_file(dir / "a" / "trajectories.csv"));
  REQUIRE(rows.size() == 201);  // header + 200 steps, truncated at the end
  CHECK(rows[0] == "t,obs_0,obs_1,obs_2,action_0,reward,terminated,truncated");
  CHECK(rows[1].rfind("0,", 0) == 0);
  CHECK(rows[200].rfind("199,", 0) == 0);
  CHECK(rows[200].substr(rows[200].size() - 4) == ",0,1");  // truncated, not terminated
}

TEST_CASE("rollout is deterministic: the same command gives byte-identical files") {
  const auto dir = temp_dir("rollout_determinism");
  for (const char* env : {"mountain_car", "point_obstacles"}) {
    CAPTURE(env);
    const std::string base =
        std::string("rollout ") + env + " --policy random --steps 80 --seed 9 --out ";
    REQUIRE(run_cli(base + (dir / "a").string()).exit_code == 0);
    REQUIRE(run_cli(base + (dir / "b").string()).exit_code == 0);
    const std::string a = read_file(dir / "a" / "trajectories.csv"),
                      b = read_file(dir / "b" / "trajectories.csv");
    CHECK(!a.empty());
    CHECK(a == b);
    CHECK(lines(a).size() == 81);
    // Another seed gives another episode.
    REQUIRE(run_cli(std::string("rollout ") + env + " --steps 80 --seed 10 --out " +
                    (dir / "c").string())
                .exit_code == 0);
    CHECK(read_file(dir / "c" / "trajectories.csv") != a);
  }
}

TEST_CASE(
    "rollout policies and --set: const drives cliff_hill into the pit, zero keeps the car home") {
  const auto dir = temp_dir("rollout_policies");
  REQUIRE(
      run_cli("rollout cliff_hill --policy const:1 --out " + (dir / "right").string()).exit_code ==
      0);
  auto rows = lines(read_file(dir / "right" / "trajectories.csv"));
  CHECK(rows.size() < 80);
  CHECK(rows.back().substr(rows.back().size() - 4) == ",1,0");  // terminated in the pit
  REQUIRE(run_cli("rollout cliff_hill --policy zero --set max_episode_steps=30 --out " +
                  (dir / "zero").string())
              .exit_code == 0);
  rows = lines(read_file(dir / "zero" / "trajectories.csv"));
  CHECK(rows.size() == 31);
  CHECK(rows.back().find(",0,0,0,1") !=
        std::string::npos);  // action 0, reward 0 on the flat, truncated
  REQUIRE(run_cli("rollout cartpole_balance --policy const:1 --out " + (dir / "cp").string())
              .exit_code == 0);
  CHECK(lines(read_file(dir / "cp" / "trajectories.csv"))[0] ==
        "t,obs_0,obs_1,obs_2,obs_3,action_0,reward,terminated,truncated");
}

TEST_CASE("rollout rejects bad input with exit code 2 and a one-line message") {
  const auto dir = temp_dir("rollout_bad");
  auto r = run_cli("rollout no_such_env --out " + dir.string());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("no_such_env") != std::string::npos);
  r = run_cli("rollout pendulum --policy const:1,2 --out " + dir.string());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--policy") != std::string::npos);
  r = run_cli("rollout pendulum --policy sideways --out " + dir.string());
  CHECK(r.exit_code == 2);
  r = run_cli("rollout pendulum --set max_torque=-1 --out " + dir.string());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("max_torque") != std::string::npos);
  r = run_cli("rollout pendulum");
  CHECK(r.exit_code == 2);
}

}  // namespace test_rollout_cli
