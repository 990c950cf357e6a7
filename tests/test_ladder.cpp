// The sample-efficiency ladder (core/analysis/ladder.h, dynalab-cli ladder): the shipped ladder
// file names experiments that build; bad ladder files are one-line errors naming the file and
// key; steps to the threshold and the order check; a small two-rung ladder gives the same curves
// at 1 and 2 jobs and writes its CSVs and its log-x SVG.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "core/analysis/ladder.h"
#include "core/config.h"
#include "core/experiment.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace test_ladder {

using namespace dynalab;
using namespace dynalab::test;

namespace {

std::filesystem::path write_ladder_file(const std::string& name, const std::string& text) {
  const auto dir = temp_dir("ladder_file");
  std::filesystem::create_directories(dir);
  const auto p = dir / (name + ".json");
  std::ofstream(p) << text;
  return p;
}

LadderResult result(const std::string& label, const std::vector<std::vector<double>>& values,
                    bool ceiling = false) {
  LadderResult r{{label, "x", {}, ceiling}, {}};
  for (const auto& v : values) {
    LadderRun run;
    for (size_t k = 0; k < v.size(); ++k) run.curve.push_back({int64_t(1000 * (k + 1)), 0.0, v[k]});
    r.runs.push_back(run);
  }
  return r;
}

}  // namespace

TEST_CASE("the pendulum ladder's rungs are experiments that build, in the lecture's order") {
  const LadderSpec spec = read_ladder("pendulum");
  CHECK(spec.threshold == -300);
  REQUIRE(spec.rungs.size() >= 6);
  CHECK(spec.rungs.front().label == "random");
  CHECK(spec.rungs.back().ceiling);
  for (const LadderRung& r : spec.rungs) {
    CAPTURE(r.label);
    CHECK_NOTHROW(make_experiment(load_experiment(r.experiment, r.set), env_registry()));
  }
  CHECK(!spec.published.empty());
  for (const PublishedPoint& p : spec.published) CHECK(p.source.find("rl-baselines3-zoo") != std::string::npos);
}

TEST_CASE("PILCO's ladder: PETS and MBPO run on pilco_pendulum's env, counted in seconds") {
  const LadderSpec spec = read_ladder("pendulum_pilco");
  REQUIRE(spec.rungs.size() == 3);
  CHECK(spec.rungs.back().label == "PILCO");
  const Json env = load_experiment("pilco_pendulum", {}).json["env"];
  for (const LadderRung& r : spec.rungs) {
    CAPTURE(r.label);
    CHECK(load_experiment(r.experiment, r.set).json["env"] == env);  // the same env, key for key
  }
  // The summary's seconds of interaction: env steps to the threshold x the env's control_dt.
  LadderResult pets{spec.rungs[1], {}, 0.1};
  pets.runs.push_back({0, {{280, 1.0, -240.0}, {320, 2.0, -133.0}}, 2.0, ""});
  const auto dir = temp_dir("ladder_pilco_out");
  write_ladder(spec, {pets}, dir);
  const auto rows = csv_cells(read_file(dir / "ladder_summary.csv"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][4] == "median_interaction_s_to_threshold");
  CHECK(rows[1][3] == "320");
  CHECK(rows[1][4] == "32");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a bad ladder file is a one-line error naming the file and the key") {
  const auto p = write_ladder_file("bad", R"({"title": "t", "env": "pendulum", "threshold": "high",
                                           "rungs": [{"label": "a", "experiment": "ppo_pendulum"}]})");
  const std::string e = error_of([&] { read_ladder(p.string()); });
  CHECK(e.find("bad.json") != std::string::npos);
  CHECK(e.find("threshold") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  const auto q = write_ladder_file("bad2", R"({"title": "t", "env": "pendulum", "threshold": -300,
                                            "rungs": [{"label": "a", "experimnt": "ppo_pendulum"}]})");
  CHECK(error_of([&] { read_ladder(q.string()); }).find("rungs[0].experimnt") != std::string::npos);
  CHECK(error_of([] { read_ladder("no_such_ladder"); }).find("no such ladder") != std::string::npos);
  std::filesystem::remove_all(p.parent_path());
}

TEST_CASE("steps to the threshold: the first point at or above it; never counts as the most") {
  const LadderResult fast = result("fast", {{-900, -250, -100}, {-400, -320, -200}, {-280, -100, -90}});
  CHECK(steps_to_threshold(fast.runs[0].curve, -300) == 2000);
  CHECK(steps_to_threshold(fast.runs[1].curve, -300) == 3000);
  CHECK(median_steps_to_threshold(fast, -300) == 2000);
  const LadderResult never = result("never", {{-900, -800}, {-900, -700}, {-290, -900}});
  CHECK(std::isinf(median_steps_to_threshold(never, -300)));
  LadderSpec spec;
  spec.threshold = -300;
  std::string order;
  CHECK(ladder_in_order(spec, {never, fast, result("oracle", {{-100}}, true)}, order));
  CHECK(order == "never never >= fast 2000");
  CHECK_FALSE(ladder_in_order(spec, {fast, never}, order));
}

TEST_CASE("a small ladder: the same curves at 1 and 2 jobs, its tables and a log-x figure") {
  const auto p = write_ladder_file("small", R"({"title": "small", "env": "pendulum", "threshold": -300,
    "rungs": [{"label": "random", "experiment": "random_policy_pendulum", "set": ["episodes=2"]},
              {"label": "PPO", "experiment": "ppo_pendulum",
               "set": ["steps=2048", "ppo.n_steps=512", "ppo.n_epochs=2", "eval_every=1024", "eval_episodes=1"]}],
    "published": [{"label": "PPO, zoo", "env_steps": 100000, "return": -172.2, "std": 104.2, "source": "zoo"}]})");
  const LadderSpec spec = read_ladder(p.string());
  const auto a = run_ladder(spec, 2, 1, {}, env_registry(), {});
  const auto b = run_ladder(spec, 2, 2, {}, env_registry(), {});
  REQUIRE(a.size() == 2);
  for (size_t r = 0; r < 2; ++r)
    for (size_t s = 0; s < 2; ++s) {
      CHECK(a[r].runs[s].error.empty());
      REQUIRE(a[r].runs[s].curve.size() == b[r].runs[s].curve.size());
      for (size_t k = 0; k < a[r].runs[s].curve.size(); ++k) {
        CHECK(a[r].runs[s].curve[k].env_steps == b[r].runs[s].curve[k].env_steps);
        CHECK(a[r].runs[s].curve[k].value == b[r].runs[s].curve[k].value);
      }
    }
  CHECK(a[0].runs[0].curve.size() == 2);  // the random policy: its two episodes
  CHECK(a[1].runs[0].curve.size() == 2);  // PPO: evaluations at 1024 and 2048
  CHECK(a[0].runs[0].curve[0].value != a[0].runs[1].curve[0].value);  // seeds differ
  const auto only = run_ladder(spec, 1, 1, {"PPO"}, env_registry(), {});
  REQUIRE(only.size() == 1);
  CHECK(only[0].rung.label == "PPO");

  const auto dir = temp_dir("ladder_out");
  write_ladder(spec, a, dir);
  const std::string svg = read_file(dir / "ladder.svg");
  CHECK(svg.find("env steps (log scale)") != std::string::npos);
  CHECK(svg.find("PPO, zoo") != std::string::npos);
  CHECK(read_file(dir / "ladder_wall_clock.svg").find("wall-clock seconds (log scale)") != std::string::npos);
  const auto rows = csv_cells(read_file(dir / "ladder.csv"));
  CHECK(rows[0] == std::vector<std::string>{"rung", "seed", "env_steps", "wall_s", "return"});
  CHECK(rows.size() == 1 + 2 * 2 + 2 * 2);
  CHECK(csv_cells(read_file(dir / "ladder_summary.csv")).size() == 3);
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(p.parent_path());
}

TEST_CASE("dynalab-cli ladder: an unknown rung is a one-line error, exit 2") {
  const auto r = run_cli("ladder --rungs NOPE --out " + temp_dir("ladder_cli").string());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("NOPE") != std::string::npos);
  CHECK(r.output.find('\n') == r.output.size() - 1);
}

TEST_CASE("a lesson's finished rung run lands in the ladder under its rung, as run_ladder has it") {
  // Lesson 19: the player hands each finished rung step's snapshot to the ladder window.
  const auto p = write_ladder_file("handed", R"({"title": "handed", "env": "pendulum", "threshold": -300,
    "rungs": [{"label": "random", "experiment": "random_policy_pendulum", "set": ["episodes=2"]},
              {"label": "PPO", "experiment": "ppo_pendulum",
               "set": ["steps=2048", "ppo.n_steps=512", "ppo.n_epochs=2", "eval_every=1024", "eval_episodes=1"]}]})");
  const LadderSpec spec = read_ladder(p.string());
  const auto climbed = run_ladder(spec, 2, 1, {}, env_registry(), {});
  // The runs as the lesson player sees them: each rung's experiment ticked to its end on seed 1.
  auto snapshot_of = [&](const LadderRung& r) {
    std::vector<std::string> sets = r.set;
    sets.push_back("seed=1");
    auto e = make_experiment(load_experiment(r.experiment, sets), env_registry());
    while (e->tick()) {
    }
    return e->snapshot();
  };
  const std::map<int64_t, double> wall = {{200, 0.5}, {1024, 1.5}, {2048, 3.0}};
  std::vector<LadderResult> handed;
  // PPO first, then random: the results keep the ladder's order whatever the lesson's.
  for (const size_t r : {size_t(1), size_t(0)})
    add_ladder_run(spec, handed, spec.rungs[r].label,
                   ladder_run_from_snapshot(*snapshot_of(spec.rungs[r]), 1, wall));
  REQUIRE(handed.size() == 2);
  for (size_t r = 0; r < 2; ++r) {
    CAPTURE(spec.rungs[r].label);
    CHECK(handed[r].rung.label == spec.rungs[r].label);
    REQUIRE(handed[r].runs.size() == 1);
    const LadderRun& h = handed[r].runs[0];
    const LadderRun& c = climbed[r].runs[1];  // run_ladder's seed 1
    CHECK(h.seed == 1);
    REQUIRE(h.curve.size() == c.curve.size());
    for (size_t k = 0; k < h.curve.size(); ++k) {
      CHECK(h.curve[k].env_steps == c.curve[k].env_steps);
      CHECK(h.curve[k].value == c.curve[k].value);
    }
  }
  // The wall clock: the first reading at or after each point's env steps.
  CHECK(handed[1].runs[0].curve[0].wall_s == 1.5);
  CHECK(handed[0].runs[0].curve[0].wall_s == 0.5);
  CHECK(handed[0].runs[0].curve[1].wall_s == 1.5);  // 400 steps: the next reading, 1024's
  // The same seed again replaces its run; another seed joins it; an unknown rung is an error.
  LadderRun again = handed[1].runs[0];
  again.curve.pop_back();
  add_ladder_run(spec, handed, "PPO", again);
  CHECK(handed[1].runs.size() == 1);
  CHECK(handed[1].runs[0].curve.size() == 1);
  again.seed = 0;
  add_ladder_run(spec, handed, "PPO", again);
  CHECK(handed[1].runs.size() == 2);
  CHECK(error_of([&] { add_ladder_run(spec, handed, "NOPE", again); }).find("NOPE") != std::string::npos);
  std::filesystem::remove_all(p.parent_path());
}

}  // namespace test_ladder
