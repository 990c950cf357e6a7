// Checked claims (issue 23): the measure language, the tests, the lesson-file errors, the
// verification over seeds, and the pause before the reset that the claims measure.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/lesson.h"
#include "core/lesson_claims.h"
#include "core/lesson_gate.h"
#include "core/lesson_step_run.h"
#include "core/lesson_verify.h"
#include "core/snapshot.h"
#include "envs/registry.h"
#include "test_util.h"

namespace test_lesson_claims {

using namespace dynalab;

namespace {

std::string parse_error(const std::string& text) {
  try {
    parse_measure(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// A snapshot of a run with four finished episodes.
Snapshot four_episodes() {
  Snapshot s;
  s.metric_columns = {"steps", "return", "terminated"};
  s.metrics = {{100, -10, 0}, {50, -5, 1}, {20, -2, 1}, {14, -1.5, 1}};
  s.obs = Vec::Constant(2, 0.25);
  Figure f{"model_loss", "Model loss", "epoch", "loss", {}, true};
  f.series_named("train").y = {1.0, 0.1, 0.01};
  f.series_named("held out").y = {2.0, 0.5, 0.4};
  s.figures.push_back(f);
  return s;
}

double measure(const std::string& text, const Snapshot& s, std::string* why = nullptr) {
  return measure_snapshot(parse_measure(text), s, why);
}

std::filesystem::path write_lesson(const std::string& name, const std::string& steps_json) {
  const auto dir = test::temp_dir("claims_" + name);
  const auto p = dir / (name + ".json");
  std::ofstream(p) << R"({"title": "t", "deck": "d", "steps": )" << steps_json << "}";
  return p;
}

std::string load_error(const std::string& name, const std::string& steps_json) {
  try {
    load_lesson(write_lesson(name, steps_json));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("measures: statistics over the run's episodes, ranges, figures, the observation") {
  Snapshot s = four_episodes();
  CHECK(measure("last return", s) == -1.5);
  CHECK(measure("first steps", s) == 100);
  CHECK(measure("mean steps", s) == doctest::Approx(46));
  CHECK(measure("min return", s) == -10);
  CHECK(measure("max steps over episodes 1..2", s) == 50);
  CHECK(measure("mean steps over last 2 episodes", s) == doctest::Approx(17));
  CHECK(measure("count terminated", s) == 3);
  CHECK(measure("sum steps over episodes 0..0", s) == 100);
  CHECK(measure("last model_loss/held out", s) == doctest::Approx(0.4));
  s.figures[0].series_named("mean over runs").y = {3.0};
  CHECK(measure("last model_loss/mean over runs", s) == 3.0);
  CHECK(measure("obs[1]", s) == 0.25);
  CHECK(measure("episodes", s) == 4);
  // A range not finished yet cannot be measured (NaN, with the reason), rather than measuring less.
  std::string why;
  CHECK(std::isnan(measure("mean steps over episodes 2..9", s, &why)));
  CHECK(why.find("episode 9 has not finished") != std::string::npos);
  Snapshot empty;
  empty.metric_columns = {"return"};
  CHECK(std::isnan(measure("last return", empty, &why)));
  CHECK(why == "no finished episode yet");
}

TEST_CASE("data measures read the learned model's training states") {
  Snapshot s;
  auto model = std::make_shared<ModelView>();
  s.model = model;
  std::string why;
  CHECK(std::isnan(measure("data max obs[0]", s, &why)));
  CHECK(why == "the model has not been fit yet");
  auto data = std::make_shared<Dataset>(2, 1);
  for (double x : {4.0, 5.5, 3.0}) data->add({0, Vec::Constant(2, x), Vec::Zero(1), 0.0, Vec::Constant(2, x), false});
  model->training_data = data;
  CHECK(measure("data max obs[0]", s) == 5.5);
  CHECK(measure("data mean obs[1]", s) == doctest::Approx(12.5 / 3));
  CHECK(parse_error("data count obs[0]").find("'data STAT obs[i]'") != std::string::npos);
}

TEST_CASE("measures that name nothing in the snapshot say what there is") {
  const Snapshot s = four_episodes();
  CHECK_THROWS_WITH_AS(measure("last retrun", s), doctest::Contains("no metrics column or figure 'retrun' (there are: steps, return, terminated, model_loss)"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(measure("last model_loss", s), doctest::Contains("has 2 series: name one as model_loss/SERIES"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(measure("obs[2]", s), doctest::Contains("the observation has 2 dimensions"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(measure("plan predicted_return", s), doctest::Contains("publishes no plan"), std::invalid_argument);
}

TEST_CASE("a malformed measure is rejected with what was expected") {
  CHECK(parse_error("").find("a measure") != std::string::npos);
  CHECK(parse_error("median return").find("a statistic (first, last, mean") != std::string::npos);
  CHECK(parse_error("mean steps over episodes 5..2").find("A <= B") != std::string::npos);
  CHECK(parse_error("mean steps over last 0 episodes").find("K >= 1") != std::string::npos);
  CHECK(parse_error("mean steps over episodes x..2").find("non-negative first episode, got 'x'") != std::string::npos);
  CHECK(parse_error("obs[-1]").find("obs[i]") != std::string::npos);
  CHECK(parse_error("plan elites").find("plan terminated_fraction, plan failure_fraction or plan predicted_return") != std::string::npos);
  CHECK(parse_error("last return over episodes").find("got 'last return over episodes'") != std::string::npos);
}

TEST_CASE("plan terminated_fraction counts the candidates whose imagined path ends") {
  Snapshot s;
  auto plan = std::make_shared<PlanView>();
  PlanTrace& t = plan->trace;
  t.horizon = 2, t.obs_dim = 1, t.candidates = 4, t.particles = 1;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  t.paths = {0, 1, 2, /**/ 0, nan, nan, /**/ 0, 1, nan, /**/ 0, 1, 1};
  s.plan = plan;
  CHECK(measure("plan terminated_fraction", s) == doctest::Approx(0.5));
}

TEST_CASE("claims test a bound or another variant; lesson files name the bad key") {
  const std::string steps = R"([{"title": "a", "narrative": "n", "question": "q", "experiment": "dyna_maze",
    "variants": [{"label": "n = 0", "set": {"agent.planning_steps": 0}}, {"label": "n = 50", "set": {"agent.planning_steps": 50}}],
    "claims": [
      {"says": "n = 50 is shorter", "variant": "n = 50", "measure": "last steps", "below_variant": "n = 0"},
      {"says": "n = 0 is long", "variant": "n = 0", "measure": "last steps", "between": [10, 20]}]}])";
  const Lesson l = load_lesson(write_lesson("ok", steps));
  REQUIRE(l.steps[0].claims.size() == 2);
  auto fast = std::make_shared<Snapshot>(four_episodes()), slow = std::make_shared<Snapshot>(four_episodes());
  slow->metrics.back()[0] = 30;
  const std::vector<std::shared_ptr<const Snapshot>> snaps = {slow, fast};
  const ClaimResult r = check_claim(l.steps[0].claims[0], l.steps[0], snaps);
  CHECK(r.holds);
  CHECK(r.value == 14);
  CHECK(r.other == 30);
  const ClaimResult between = check_claim(l.steps[0].claims[1], l.steps[0], snaps);
  CHECK_FALSE(between.holds);  // 30 is not in [10, 20]
  CHECK(describe_test(l.steps[0].claims[1]) == "between 10 and 20");

  const std::string head = R"([{"title": "a", "narrative": "n", "question": "q", "experiment": "dyna_maze", "claims": [)";
  CHECK(load_error("bad_measure", head + R"({"says": "x", "measure": "median return", "above": 1}]}])")
            .find("bad_measure.json: steps[0].claims[0].measure: expected a statistic") != std::string::npos);
  CHECK(load_error("two_tests", head + R"({"says": "x", "measure": "last return", "above": 1, "below": 2}]}])")
            .find("steps[0].claims[0].says: expected exactly one of above, below, between") != std::string::npos);
  CHECK(load_error("no_variant", head + R"({"says": "x", "variant": "n = 5", "measure": "last return", "above": 1}]}])")
            .find("steps[0].claims[0].variant: expected no variant (this step has none)") != std::string::npos);
  CHECK(load_error("unknown_key", head + R"({"says": "x", "measure": "last return", "abov": 1}]}])")
            .find("steps[0].claims[0].abov: unknown key") != std::string::npos);
  CHECK(load_error("one_run", R"([{"title": "a", "narrative": "n", "question": "q", "experiment": "dyna_maze", "one_run": true}])")
            .find("steps[0].one_run: expected a narrative that says") != std::string::npos);
}

TEST_CASE("a step paused at 'episode N' shows how that episode ended, not the next reset") {
  const auto p = write_lesson("pause", R"([{"title": "a", "narrative": "n", "question": "q", "experiment": "dyna_maze",
    "until": {"episode": 1}}])");
  const Lesson l = load_lesson(p);
  const StepRun run = run_step(l, 1, 1000000, env_registry());
  const Snapshot& s = *run.snapshots[0];
  REQUIRE(s.metrics.size() == 1);
  CHECK(s.trajectory.steps() == int(s.metrics[0][0]));  // the whole finished episode is on screen
  CHECK(s.trajectory.terminated);
  const Vec last = s.trajectory.observation(s.trajectory.steps());
  CHECK(s.obs.isApprox(last));  // the agent stands at the goal, where its path ends
  // Play: the next tick starts the next episode from its start state.
  Experiment& e = *run.experiments[0];
  release_gate(e);
  e.tick();
  CHECK(e.snapshot()->trajectory.steps() == 1);
  CHECK(e.snapshot()->episode == 1);
}

TEST_CASE("verify_steps checks each claim on the step's seed and further seeds, at any job count") {
  const auto p = write_lesson("verify", R"([
    {"title": "a", "narrative": "n", "question": "q", "experiment": "dyna_maze", "until": {"episode": 3},
     "set": {"agent.planning_steps": 50},
     "claims": [{"says": "the third episode is short", "measure": "last steps", "below": 100},
                {"says": "a false claim", "measure": "first steps", "below": 14}]},
    {"title": "b", "narrative": "on this run", "question": "q", "experiment": "dyna_maze", "until": {"episode": 1},
     "one_run": true, "claims": [{"says": "reaches the goal", "measure": "last return", "above": 0}]}])");
  const std::vector<Lesson> lessons = {load_lesson(p)};
  const auto one = verify_steps(lessons, {{0, 1}, {0, 2}}, 3, 1, 1000000, env_registry());
  const auto two = verify_steps(lessons, {{0, 1}, {0, 2}}, 3, 2, 1000000, env_registry());
  REQUIRE(one.size() == 2);
  CHECK(one[0].seed_offsets.size() == 3);
  CHECK(one[1].seed_offsets.size() == 1);  // one_run: its own seed only
  CHECK_FALSE(one[0].holds());             // the second claim is false
  CHECK(one[1].holds());
  for (double t : one[0].seconds) CHECK(t > 0);  // each run's time is recorded, for the report
  for (size_t c = 0; c < 2; ++c)
    for (size_t s = 0; s < 3; ++s) {
      CHECK(one[0].results[c][s].value == two[0].results[c][s].value);  // same numbers with 2 jobs
      CHECK(one[0].results[0][s].holds);
    }
  // Different seeds give different runs (a claim is checked on more than one).
  CHECK(one[0].results[1][0].value != one[0].results[1][1].value);
}

TEST_CASE("slice disagreement_ratio: bootstrap members agree on the data and fan out past it") {
  const auto p = write_lesson("slice", R"([{"title": "a", "narrative": "n", "question": "q", "experiment": "cliff_hill_v05",
    "set": {"model.prediction": "probabilistic", "model.ensemble_size": 5, "model.elite_members": 5},
    "until": {"total_steps": 201}}])");
  const StepRun run = run_step(load_lesson(p), 1, 1000000, env_registry());
  const double r = measure("slice disagreement_ratio", *run.snapshots[0]);
  CHECK(r > 3);  // lesson 05 claims it on every seed it verifies
  CHECK(parse_error("slice epistemic").find("slice disagreement_ratio") != std::string::npos);
  CHECK_THROWS_WITH_AS(measure("slice disagreement_ratio", four_episodes()),
                       doctest::Contains("no learned model"), std::invalid_argument);
}

TEST_CASE("model_error measures the episode on screen against the data the model was fit on") {
  // v0.5 fits once, on the 200 random steps; the snapshot is first published at the episode's
  // end, 200 env steps after the fit: its training data must still be the fit's 200 rows.
  const auto p = write_lesson("model_error", R"([{"title": "a", "narrative": "n", "question": "q", "experiment": "cliff_hill_v05",
    "set": {"model.prediction": "probabilistic", "model.ensemble_size": 5, "model.elite_members": 5},
    "until": {"episode": 1}}])");
  const StepRun run = run_step(load_lesson(p), 1, 1000000, env_registry());
  const Snapshot& s = *run.snapshots[0];
  REQUIRE(s.model);
  REQUIRE(s.model->training_data);
  CHECK(s.model->training_data->size() == 200);
  CHECK(s.model->dataset_size > 200);
  // The car drove far past its data (lesson 05 step 6 claims above 3), and the open-loop error
  // compounds (claimed above 5).
  CHECK(measure("model_error median_distance", s) > 3);
  CHECK(measure("model_error horizon_ratio", s) > 5);
  CHECK(parse_error("model_error slope").find("model_error median_distance or model_error horizon_ratio") !=
        std::string::npos);
}

TEST_CASE("two_clusters gap_ratio: the three models refit without the middle half, as the lab's view" *
          doctest::skip(test::kSanitized)) {
  // Lesson 25 step 2 on its own seed: measured GP 4.39, BNN 0.993 (seeds 1, 2: 1.94 / 0.89, 4.50 /
  // 0.81); the lesson claims GP above 1.5 and BNN below 1 on each.
  const auto p = write_lesson("two_clusters", R"([{"title": "a", "narrative": "n", "question": "q",
    "experiment": "cliff_hill_uncertainty", "until": {"total_steps": 286}}])");
  const StepRun run = run_step(load_lesson(p), 1, 1000000, env_registry());
  const Snapshot& s = *run.snapshots[0];
  CHECK(measure("two_clusters gap_ratio gp", s) > 1.5);
  CHECK(measure("two_clusters gap_ratio bnn", s) < 1);
  CHECK(measure("two_clusters gap_ratio gp", s) == measure("two_clusters gap_ratio gp", s));  // deterministic
  CHECK(parse_error("two_clusters gap_ratio mlp").find("two_clusters gap_ratio bnn") != std::string::npos);
  CHECK(parse_error("two_clusters sd gp").find("two_clusters gap_ratio ensemble") != std::string::npos);
  CHECK_THROWS_WITH_AS(measure("two_clusters gap_ratio gp", four_episodes()), doctest::Contains("no learned model"),
                       std::invalid_argument);
}

}  // namespace test_lesson_claims
