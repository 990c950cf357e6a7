// The backprop family (v2.0): the same seed gives the same outputs, directly and through the
// Runner; a session saved mid-iteration continues bit-identically; the gradient analysis runs
// on the learned model and writes its CSV; bad config is a one-line error naming the key.
// The learned model's rate at the upright equilibrium against the physics is in the reference
// suite (tests/reference_gradients.cpp).
#include <doctest/doctest.h>

#include <cmath>

#include "core/agents/backprop/backprop_agent.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/learning_curve_util.h"
#include "tests/runner_util.h"
#include "tests/test_util.h"

namespace test_backprop_agent {

using namespace dynalab;
using namespace dynalab::test;

namespace {

/// A short backprop_pendulum: 2 runs of 3 episodes after 200 random steps, small networks.
std::vector<std::string> short_run(int seed) {
  return {"seed=" + std::to_string(seed), "runs=2", "episodes=3", "random_steps=200",
          "model.hidden=[16, 16]", "model.epochs=5", "policy_hidden=[8]", "policy_updates=4",
          "start_batch=4", "analysis_every=2", "analysis_starts=2",
          "analysis_horizons=[5, 10, 20]", "eval_every=400", "eval_episodes=1"};
}

std::unique_ptr<Experiment> make(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("backprop_pendulum", sets), env_registry());
}

const BackpropAgent& agent_of(Experiment& e) {
  return dynamic_cast<const BackpropAgent&>(dynamic_cast<EpisodicExperiment&>(e).agent());
}

std::string analysis_csv(Experiment& e, const std::string& tag) {
  const auto dir = temp_dir(tag);
  e.write_outputs(dir);
  const std::string csv = read_file(dir / "gradient_vs_horizon.csv");
  std::filesystem::remove_all(dir);
  return csv;
}

}  // namespace

TEST_CASE("backprop: the same seed gives the same outputs, directly and through the Runner") {
  auto a = make(short_run(7));
  a->run_to_end();
  auto b = make(short_run(7));
  b->run_to_end();
  const auto oa = learner_outputs(*a, "bp_det_a"), ob = learner_outputs(*b, "bp_det_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(analysis_csv(*a, "bp_csv_a") == analysis_csv(*b, "bp_csv_b"));
  CHECK(csv_cells(oa.first).size() == 1 + 2 * 3);  // 3 episodes per run
  const auto dir = temp_dir("bp_det_runner");
  write_outputs_through_runner([&] { return make(short_run(7)); }, dir);
  CHECK(read_file(dir / "metrics.csv") == oa.first);
  std::filesystem::remove_all(dir);
  auto c = make(short_run(8));
  c->run_to_end();
  CHECK(learner_outputs(*c, "bp_det_c").first != oa.first);
}

TEST_CASE("backprop: the gradient analysis runs on the learned model every analysis_every iterations") {
  auto a = make(short_run(3));
  a->run_to_end();
  const auto rows = csv_cells(analysis_csv(*a, "bp_analysis"));
  // Header + per run: iterations 2 (after episodes 0, 1 and the warm-up fit) x 3 horizons.
  REQUIRE(rows.size() >= 1 + 3);
  CHECK(rows[0] == std::vector<std::string>{"run", "iteration", "horizon", "log10_gradient_norm",
                                            "cosine", "log10_state_jacobian", "objective",
                                            "log10_pathwise_variance", "log10_likelihood_ratio_variance",
                                            "model_equilibrium_rate"});
  const GradientVsHorizon& g = agent_of(*a).analysis();
  REQUIRE(g.rows.size() == 3);
  for (const auto& r : g.rows) {
    CHECK(std::isfinite(r.log10_gradient_norm));
    CHECK(std::abs(r.cosine) <= 1 + 1e-12);
    CHECK(std::isfinite(r.log10_pathwise_variance));  // analysis_action_noise is on by default
    CHECK(std::isfinite(r.log10_likelihood_ratio_variance));
  }
  CHECK(std::isfinite(g.equilibrium_rate_per_step));
  // The figures: the norm (with the physics' slope and the model's at the equilibrium), the
  // cosine, and the two estimators' variances.
  const auto snap = a->snapshot();
  const std::vector<Figure>& figs = snap->figures;
  bool norm = false, cosine = false, variance = false;
  for (const Figure& f : figs) {
    if (f.id == "gradient_norm_vs_horizon") {
      norm = true;
      CHECK(f.series.size() == 4);
    }
    cosine = cosine || f.id == "gradient_cosine_vs_horizon";
    variance = variance || (f.id == "gradient_variance_vs_horizon" && f.series.size() == 2);
  }
  CHECK(norm);
  CHECK(cosine);
  CHECK(variance);
}

TEST_CASE("backprop: a session saved mid-iteration continues bit-identically") {
  auto a = make(short_run(5));
  auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
  // Into run 1's policy updates: thinking, after its first fit.
  while (!(ea.clock().run == 1 && agent_of(*a).thinking() && ea.clock().episode == 1) && a->tick()) {
  }
  REQUIRE(ea.clock().run == 1);
  const auto dir = temp_dir("bp_session");
  save_session(*a, dir / "session");
  auto b = load_session(dir / "session", env_registry());
  CHECK(agent_of(*b).policy().params() == agent_of(*a).policy().params());
  while (a->tick()) REQUIRE(b->tick());
  CHECK(!b->tick());
  const auto oa = learner_outputs(*a, "bp_end_a"), ob = learner_outputs(*b, "bp_end_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(analysis_csv(*a, "bp_end_csv_a") == analysis_csv(*b, "bp_end_csv_b"));
  CHECK(agent_of(*a).policy().params() == agent_of(*b).policy().params());
  std::filesystem::remove_all(dir);
}

TEST_CASE("backprop: bad config is a one-line error naming the key") {
  const std::string member = error_of([] { make({"model_member=5"}); });
  CHECK(member.find("model_member") != std::string::npos);
  CHECK(member.find('\n') == std::string::npos);
  const std::string h = error_of([] { make({"horizon=0"}); });
  CHECK(h.find("horizon") != std::string::npos);
  const std::string widths = error_of([] { make({"policy_hidden=[0]"}); });
  CHECK(widths.find("policy_hidden") != std::string::npos);
}

}  // namespace test_backprop_agent
