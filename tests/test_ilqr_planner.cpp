// iLQR as an MPC planner kind (core/planning/ilqr_planner.h, issue 18): on the linear point mass
// with its quadratic reward the first replan is the LQR solution (an independent Riccati
// recursion here); the trace, warm start and determinism; bad configs and evaluators without
// derivatives are InputErrors naming the key. The outcome against oracle CEM on the pendulum
// swing-up is a reference test (tests/reference_ilqr.cpp, ctest -L reference).
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "core/agents/mpc/mbrl_agent.h"
#include "core/config.h"
#include "core/experiment.h"
#include "core/gradients/env_dynamics.h"
#include "core/models/ensemble.h"
#include "core/planning/ilqr_planner.h"
#include "core/planning/ilqr_reward_cost.h"
#include "core/planning/model_env.h"
#include "core/planning/oracle_evaluator.h"
#include "core/planning/planner_config.h"
#include "envs/pendulum.h"
#include "envs/point_mass.h"
#include "envs/registry.h"

namespace test_ilqr_planner {

using namespace dynalab;

namespace {

/// Scores every sequence 0 and offers no derivatives (the SequenceEvaluator defaults).
class FlatEvaluator : public SequenceEvaluator {
 public:
  int obs_dim() const override { return 2; }
  int action_dim() const override { return 1; }
  int particles() const override { return 1; }
  void evaluate(const ActionBatch& actions, int horizon, const Vec&, uint64_t,
                Eigen::VectorXf& returns, std::vector<float>* paths) override {
    returns.setZero(actions.rows());
    if (paths) paths->assign(size_t(actions.rows()) * (horizon + 1) * 2, 0.0f);
  }
};

PlannerConfig ilqr_config(int horizon) {
  PlannerConfig pc;
  pc.optimizer = "ilqr";
  pc.horizon = horizon;
  return pc;
}

PlannerConfig read_planner(const std::string& text) {
  PlannerConfig pc;
  ConfigNode node(Json::parse(text), "p.json");
  pc.visit(node);
  node.finish();
  return pc;
}

const Vec kUnitLow = Vec::Constant(1, -1.0), kUnitHigh = Vec::Constant(1, 1.0);

}  // namespace

TEST_CASE("iLQR's first replan on the linear point mass is the LQR solution (Riccati)") {
  // The point mass through the oracle: x = (pos, vel), x' = A x + B u (dt = 1, exact Jacobians)
  // and r = -(x'^T Q x' + R u^2) with Q = diag(1, 0.1), R = 0.01, summed over H steps.
  PointMass env;
  env.reset(0);
  const Vec x0{{0.5, -0.2}};
  env.set_observation(x0);
  OracleEvaluator oracle(env);
  const int H = 12;

  // The Riccati recursion for that cost, written out here: V_t(x) = x' P_t x with P_H = 0;
  // S = Q + P_{t+1}, K_t = -(R + B'S B)^-1 B'S A, P_t = A'S A + A'S B K_t; optimum x0' P_0 x0.
  Eigen::Matrix2d A, Q, P = Eigen::Matrix2d::Zero();
  Eigen::Vector2d B;
  A << 1, 1, 0, 1;
  B << 1, 1;
  Q << 1, 0, 0, 0.1;
  const double R = 0.01;
  std::vector<Eigen::RowVector2d> K(H);
  for (int t = H - 1; t >= 0; --t) {
    const Eigen::Matrix2d S = Q + P;
    K[t] = -(B.transpose() * S * A) / (R + B.dot(S * B));
    P = A.transpose() * S * A + A.transpose() * S * B * K[t];
  }
  const double best_return = -x0.dot(P * x0);
  std::vector<double> u_lqr(H);
  Eigen::Vector2d x = x0;
  for (int t = 0; t < H; ++t) {
    u_lqr[t] = K[t] * x;
    REQUIRE(std::abs(u_lqr[t]) < 0.99);  // inside the clamp box (the bounds less a margin)
    x = A * x + B * u_lqr[t];
  }

  PlannerConfig pc = ilqr_config(H);
  pc.ilqr.iterations = pc.ilqr.cold_start_iterations = 1;  // the first replan is a cold start
  pc.ilqr.constant_starts = false;
  pc.ilqr.mu_init = 0;  // the LQ step itself, unregularised
  auto planner = make_planner(pc, kUnitLow, kUnitHigh, &oracle);
  PlanTrace trace;
  oracle.sync(env);
  const PlanResult r = planner->plan(oracle, x0, 7, &trace);
  REQUIRE(r.valid);
  CHECK(r.iterations == 1);
  double worst = 0;
  for (int t = 0; t < H; ++t) {
    CAPTURE(t);
    CHECK(r.plan[t] == doctest::Approx(u_lqr[t]).epsilon(1e-5));  // float plan, FD reward Hessian
    worst = std::max(worst, std::abs(r.plan[t] - u_lqr[t]));
  }
  MESSAGE("point mass, H = " << H << ": the largest |u_ilqr - u_lqr| is " << worst
                             << "; return " << r.predicted_return << " vs LQR " << best_return);
  CHECK(r.predicted_return == doctest::Approx(best_return).epsilon(1e-6));
  // The planner's prediction is the oracle's own return for that plan.
  ActionBatch batch(1, H);
  for (int t = 0; t < H; ++t) batch(0, t) = r.plan[t];
  Eigen::VectorXf returns;
  oracle.evaluate(batch, H, x0, 0, returns, nullptr);
  CHECK(returns[0] == doctest::Approx(r.predicted_return).epsilon(1e-5));
  // The solver took the full step and got exactly what the LQ model expected.
  const auto& ilqr = dynamic_cast<const IlqrPlanner&>(*planner);
  REQUIRE(ilqr.last_result());
  REQUIRE(ilqr.last_result()->iterations.size() == 1);
  const IlqrIteration& it = ilqr.last_result()->iterations[0];
  CHECK(it.alpha == 1.0);
  CHECK(it.actual_reduction == doctest::Approx(it.expected_reduction).epsilon(1e-6));

  // The trace: one candidate (the nominal), its predicted path under the true dynamics, no
  // elites and no spread.
  CHECK(trace.candidates == 1);
  CHECK(trace.particles == 1);
  CHECK(trace.iteration == 0);
  CHECK(trace.elites.empty());
  CHECK(trace.stddev.empty());
  CHECK(planner->stddev().empty());
  CHECK(trace.plan == r.plan);
  REQUIRE(trace.returns.size() == 1);
  CHECK(trace.returns[0] == doctest::Approx(best_return).epsilon(1e-6));
  REQUIRE(trace.paths.size() == size_t(H + 1) * 2);
  CHECK(trace.paths[0] == float(x0[0]));
  CHECK(trace.paths[size_t(H) * 2] == doctest::Approx(x[0]).epsilon(1e-4));
  CHECK(planner->iteration_name() == "iLQR iteration");
}

TEST_CASE("iLQR MPC: the predicted return never falls within a replan; same start, same plan") {
  Pendulum env;
  env.reset(3);
  OracleEvaluator oracle(env);
  PlannerConfig pc = ilqr_config(15);
  pc.ilqr.iterations = 4;
  auto a = make_planner(pc, env.action_space().low, env.action_space().high, &oracle);
  auto b = make_planner(pc, env.action_space().low, env.action_space().high, &oracle);
  const Vec obs = env.observe();
  std::vector<float> objectives;
  int trace_iterations = 0;
  oracle.sync(env);
  const PlanResult ra = a->plan(oracle, obs, 1, nullptr, [&](const PlanTrace& t) {
    objectives = t.objective_per_iteration;
    trace_iterations = t.iterations;
  });
  // No warm start yet: a cold start, with its own iteration limit.
  CHECK(trace_iterations == pc.ilqr.cold_start_iterations);
  CHECK(a->iterations() == pc.ilqr.cold_start_iterations);
  CHECK(ra.iterations <= pc.ilqr.cold_start_iterations);
  const PlanResult rb = b->plan(oracle, obs, 99, nullptr);  // no randomness: the seed is unused
  CHECK(ra.plan == rb.plan);
  REQUIRE(!objectives.empty());
  for (size_t i = 1; i < objectives.size(); ++i) CHECK(objectives[i] >= objectives[i - 1]);
  for (float u : ra.plan) CHECK(std::abs(u) <= 2.0f);  // the bounds hold
  // Warm start: shifting drops the executed actions and restarts the tail at the middle (0).
  const std::vector<float> before = a->mean();
  a->shift(2);
  for (int t = 0; t + 2 < 15; ++t) CHECK(a->mean()[t] == before[t + 2]);
  CHECK(a->mean()[14] == 0.0f);
  // The next replan is warm: at most `iterations`.
  PlanTrace warm;
  const PlanResult next = a->plan(oracle, obs, 2, &warm);
  CHECK(warm.iterations == 4);
  CHECK(next.iterations <= 4);
}

TEST_CASE("a learned model offers its elite mean; the reward only when handed over") {
  ModelConfig mc;
  mc.hidden = {8};
  mc.ensemble_size = mc.elite_members = 2;
  auto model = std::make_shared<Ensemble>(mc, 3, 1, 5);
  Pendulum env;
  ModelEnvConfig rollout;
  rollout.termination = "none";  // the pendulum never terminates
  rollout.threads = 1;
  ModelEnv model_env(model, rollout, env_reward(env));
  REQUIRE(model_env.differentiable_dynamics() != nullptr);
  CHECK(model_env.differentiable_dynamics()->state_dim() == 3);
  CHECK(model_env.differentiable_reward() == nullptr);
  auto planner = make_planner(ilqr_config(5), env.action_space().low, env.action_space().high);
  CHECK_THROWS_WITH_AS(planner->begin(model_env, env.observe(), 1),
                       doctest::Contains("planner.optimizer"), InputError);
  model_env.set_differentiable_reward(std::make_shared<EnvReward>(env));
  const PlanResult r = planner->plan(model_env, env.observe(), 1, nullptr);
  CHECK(r.valid);
  CHECK(std::isfinite(r.predicted_return));
}

TEST_CASE("iLQR config and evaluator errors are InputErrors naming the key") {
  CHECK(read_planner(R"({"optimizer": "ilqr", "iterations": 3, "mu_init": 0.5})").ilqr.iterations == 3);
  CHECK(read_planner(R"({"optimizer": "ilqr"})").population() == 1);
  CHECK_THROWS_WITH_AS(read_planner(R"({"optimizer": "ilqr", "population": 10})"),
                       doctest::Contains("population"), InputError);
  CHECK_THROWS_WITH_AS(read_planner(R"({"optimizer": "ilqr", "mu_min": 1, "mu_max": 0.5})"),
                       doctest::Contains("mu_max"), InputError);
  CHECK_THROWS_WITH_AS(read_planner(R"({"optimizer": "ilqr", "mu_factor": 1})"),
                       doctest::Contains("mu_factor"), InputError);
  CHECK_THROWS_WITH_AS(read_planner(R"({"optimizer": "ilqr", "line_search_steps": 0})"),
                       doctest::Contains("line_search_steps"), InputError);
  CHECK_THROWS_WITH_AS(read_planner(R"({"optimizer": "ilqr", "iterations": 0})"),
                       doctest::Contains("iterations"), InputError);

  // An evaluator without derivatives: at make_planner with the evaluator, and at begin().
  FlatEvaluator flat;
  CHECK_THROWS_WITH_AS(make_planner(ilqr_config(5), kUnitLow, kUnitHigh, &flat),
                       doctest::Contains("planner.optimizer: \"ilqr\" needs the derivatives"),
                       InputError);
  auto planner = make_planner(ilqr_config(5), kUnitLow, kUnitHigh);
  CHECK(planner->needs_derivatives());
  CHECK_THROWS_WITH_AS(planner->begin(flat, Vec::Zero(2), 1), doctest::Contains("planner.optimizer"),
                       InputError);
  CHECK(!planner->in_progress());
  // The sampling planners do not care.
  CHECK_NOTHROW(make_planner(PlannerConfig{}, kUnitLow, kUnitHigh, &flat));

  // The oracle of an env that cannot be put at an observation (cart-pole: its observation is
  // not its whole Box2D state): the experiment fails when it is built, naming the key.
  MbrlAgentConfig cfg;
  cfg.dynamics = "oracle";
  cfg.random_steps = 0;
  cfg.planner = ilqr_config(10);
  ConfigNode env_node(Json{{"name", "cartpole_swingup"}}, "env");
  const auto cartpole = env_registry().make(env_node);
  CHECK_THROWS_WITH_AS(MbrlAgent(cfg, *cartpole, 1),
                       doctest::Contains("planner.optimizer: \"ilqr\" needs the derivatives of "
                                         "the dynamics and the reward, and these dynamics have none"),
                       InputError);
  // A learned reward has no derivatives.
  const std::string ilqr_planner = R"(planner={"optimizer": "ilqr", "horizon": 10})";
  auto e = load_experiment("pendulum_mpc", {ilqr_planner, "model.learn_reward=true"});
  CHECK_THROWS_WITH_AS(make_experiment(e, env_registry()),
                       doctest::Contains("this reward has none"), InputError);
  // The true pendulum and a learned model with the env's reward both work.
  CHECK_NOTHROW(make_experiment(load_experiment("pendulum_mpc", {ilqr_planner}), env_registry()));
  CHECK_NOTHROW(make_experiment(load_experiment("pendulum_ilqr_oracle"), env_registry()));
}

}  // namespace test_ilqr_planner
