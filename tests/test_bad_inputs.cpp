// Every malformed input in tests/bad_inputs/ must give exit code 2 and one line naming the file
// and key (or line) — never a crash, never a silent default.

#include <doctest/doctest.h>

#include "core/config.h"
#include "core/dataset.h"
#include "core/io/atomic_file.h"
#include "test_util.h"

namespace test_bad_inputs {

using namespace dynalab;

TEST_CASE("every case of the bad-input catalogue exits 2 with one line naming the culprit") {
  const auto dir = test::test_data("bad_inputs");
  const Json cases = read_json_file((dir / "cases.json").string());
  REQUIRE(cases["cases"].size() >= 70);
  for (const auto& c : cases["cases"]) {
    std::string args = c["args"].get<std::string>();
    for (size_t p; (p = args.find("{dir}")) != std::string::npos;) args.replace(p, 5, dir.string());
    const auto r = test::run_cli(args);
    INFO("dynalab-cli " << args << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(c["expect"].get<std::string>()) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);  // one line
    CHECK(r.output.rfind("error: ", 0) == 0);
  }
}

TEST_CASE("check accepts every kind of good file and says what it holds") {
  const auto dir = test::temp_dir("check_good");
  // A dataset for the pendulum (obs 3, action 1), as CSV and as .npy.
  Dataset d(3, 1);
  for (int i = 0; i < 5; ++i) {
    Transition t;
    t.episode = i / 3;
    t.obs = Vec::Constant(3, 0.1 * i);
    t.action = Vec::Constant(1, -0.5);
    t.reward = -i;
    t.next_obs = Vec::Constant(3, 0.1 * i + 0.05);
    d.add(t);
  }
  write_file_atomic(dir / "data.csv", d.to_csv());
  write_file_atomic(dir / "data.npy", d.to_npy());
  const std::string small =
      " --experiment pendulum_mpc --set model.hidden=[8] --set model.ensemble_size=2 --set "
      "model.elite_members=2";
  const std::vector<std::pair<std::string, std::string>> good = {
      {"check " + (dir / "data.csv").string() + " --experiment pendulum_mpc",
       "ok: dataset of 5 transitions (obs 3, action 1)"},
      {"check " + (dir / "data.npy").string() + " --experiment pendulum_mpc",
       "ok: dataset of 5 transitions (obs 3, action 1)"},
      {"check " + test::test_data("fuzz/corpus/weights/deterministic.bin").string() + small,
       "ok: model \"2 deterministic members, 3+1 -> 8 silu -> 3\""},
      {"check " + (test::test_data("../assets/experiments") / "pendulum_mpc.json").string(),
       "ok: experiment of family planning"},
      {"check " + (test::test_data("../assets/mazes") / "dyna_maze.txt").string(), "ok: maze 6x9"},
  };
  for (const auto& item : good) {
    const auto& args = item.first;  // not a structured binding: clang 14 cannot capture one
    const auto& expect = item.second;
    const auto r = test::run_cli(args);
    INFO("dynalab-cli " << args << "\n" << r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.rfind(expect, 0) == 0);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace test_bad_inputs
