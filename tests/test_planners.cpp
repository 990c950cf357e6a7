#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/config.h"
#include "core/planning/cem_planner.h"
#include "core/planning/mppi_planner.h"
#include "core/planning/oracle_evaluator.h"
#include "core/planning/planner_config.h"
#include "core/planning/random_shooting.h"
#include "envs/point_mass.h"
#include "tests/allocation_counter.h"

using namespace dynalab;


namespace {

/// return = -sum_j (a_j - target_j)^2 over the H*A actions: the optimum is the target itself.
/// Optionally poisons candidates whose first action is positive with NaN.
class QuadraticEvaluator : public SequenceEvaluator {
 public:
  QuadraticEvaluator(int action_dim, std::vector<float> target)
      : A_(action_dim), target_(std::move(target)) {}
  int obs_dim() const override { return 1; }
  int action_dim() const override { return A_; }
  int particles() const override { return 1; }
  void evaluate(const ActionBatch& actions, int horizon, const Vec&, uint64_t,
                Eigen::VectorXf& returns, std::vector<float>* paths) override {
    returns.resize(actions.rows());
    for (int i = 0; i < actions.rows(); ++i) {
      double r = 0;
      for (int j = 0; j < actions.cols(); ++j) r -= std::pow(double(actions(i, j)) - target_[j], 2);
      returns[i] = poison_positive_first && actions(i, 0) > 0
                       ? std::numeric_limits<float>::quiet_NaN()
                       : float(r);
    }
    if (paths) paths->assign(size_t(actions.rows()) * (horizon + 1), 0.0f);
  }
  bool poison_positive_first = false;

 private:
  int A_;
  std::vector<float> target_;
};

std::vector<float> make_target(int n, float scale) {
  std::vector<float> t(n);
  for (int j = 0; j < n; ++j) t[j] = scale * float(std::sin(1.3 * j + 0.4));
  return t;
}

const Vec kLow = Vec::Constant(2, -1.0), kHigh = Vec::Constant(2, 1.0);

/// Runs MPC on the point mass from pos = 3 with `planner` and the oracle; returns the positions.
std::vector<double> point_mass_mpc(TrajectoryOptimizer& planner, int steps, int threads = 1) {
  PointMass env;
  env.reset(0);
  env.set_state({3.0, 0.0, 0.0});
  OracleEvaluator oracle(env, threads);
  std::vector<double> pos;
  Vec obs(2);
  obs << 3.0, 0.0;
  for (int t = 0; t < steps; ++t) {
    oracle.sync(env);
    const PlanResult r = planner.plan(oracle, obs, 1000 + t, nullptr);
    planner.shift(1);
    obs = env.step(r.action(0, 1)).obs;
    pos.push_back(obs[0]);
  }
  return pos;
}

}  // namespace

TEST_CASE("CEM finds the optimum of a known quadratic and its objective improves") {
  const int H = 6;
  QuadraticEvaluator eval(2, make_target(H * 2, 0.7f));
  CemConfig cfg;
  cfg.population = 300;
  cfg.elites = 30;
  cfg.iterations = 12;
  CemPlanner cem(cfg, H, kLow, kHigh);
  PlanTrace trace;
  const PlanResult r = cem.plan(eval, Vec::Zero(1), 7, &trace);
  const auto target = make_target(H * 2, 0.7f);
  for (int j = 0; j < H * 2; ++j)
    CHECK(r.plan[j] == doctest::Approx(target[j]).epsilon(0).scale(0).epsilon(0.05));
  REQUIRE(trace.objective_per_iteration.size() == 12);
  const auto& obj = trace.objective_per_iteration;
  // The elite mean improves: never drops by more than noise, and gains a lot overall.
  for (size_t i = 1; i < obj.size(); ++i) CHECK(obj[i] >= obj[i - 1] - 0.02);
  CHECK(obj.back() > obj.front() + 1.0);
  CHECK(obj.back() > -0.01);
  CHECK(r.valid);
}

TEST_CASE("MPPI and random shooting approach the quadratic's optimum") {
  const int H = 4;
  const auto target = make_target(H * 2, 0.5f);
  QuadraticEvaluator eval(2, target);
  MppiConfig mc;
  mc.population = 400;
  mc.iterations = 10;
  // For a quadratic each iteration moves the mean by sigma^2 / (sigma^2 + lambda / 2) of the way
  // (1/3 here) while the weights stay smooth enough to average many samples.
  mc.lambda = 1.0;
  MppiPlanner mppi(mc, H, kLow, kHigh);
  const PlanResult m = mppi.plan(eval, Vec::Zero(1), 3, nullptr);
  double err = 0;
  for (int j = 0; j < H * 2; ++j) err = std::max(err, std::abs(double(m.plan[j]) - target[j]));
  CHECK(err < 0.15);
  // Most of the loss of the initial (all-zero) plan is gone.
  double zero_loss = 0, plan_loss = 0;
  for (int j = 0; j < H * 2; ++j) {
    zero_loss += double(target[j]) * target[j];
    plan_loss += std::pow(double(m.plan[j]) - target[j], 2);
  }
  CHECK(plan_loss < 0.05 * zero_loss);
  RandomShootingConfig rc;
  rc.population = 4000;
  RandomShootingPlanner rs(rc, H, kLow, kHigh);
  const PlanResult r = rs.plan(eval, Vec::Zero(1), 3, nullptr);
  // Best of 4000 uniform samples in 8 dims: clearly better than the all-zero plan.
  double zero_ret = 0;
  for (float t : target) zero_ret -= double(t) * t;
  CHECK(r.predicted_return > zero_ret * 0.5);
}

TEST_CASE("CEM respects the action bounds when the optimum lies outside them") {
  const int H = 3;
  QuadraticEvaluator eval(2, std::vector<float>(H * 2, 2.5f));  // optimum at 2.5, bounds [-1, 1]
  Vec low(2), high(2);
  low << -1.0, -0.5;
  high << 1.0, 0.25;
  CemConfig cfg;
  cfg.iterations = 10;
  CemPlanner cem(cfg, H, low, high);
  int iterations_seen = 0;
  const PlanResult r = cem.plan(eval, Vec::Zero(1), 11, nullptr, [&](const PlanTrace& t) {
    CHECK(t.iteration == iterations_seen++);
    for (size_t i = 0; i < t.actions.size(); ++i) {
      const int d = int(i % 2);
      REQUIRE(t.actions[i] >= float(low[d]));
      REQUIRE(t.actions[i] <= float(high[d]));
    }
  });
  CHECK(iterations_seen == 10);
  for (int t = 0; t < H; ++t)
    for (int d = 0; d < 2; ++d) {
      // In the bounds, and most of the way from the initial mean (the middle) to the upper bound.
      const double mid = 0.5 * (low[d] + high[d]), x = r.plan[t * 2 + d];
      CHECK(x <= high[d]);
      CHECK(x > mid + 0.6 * (high[d] - mid));
    }
}

TEST_CASE("candidates with non-finite returns are never elites or the plan") {
  const int H = 3;
  // The optimum has a positive first action, but those candidates return NaN.
  QuadraticEvaluator eval(2, std::vector<float>(H * 2, 0.8f));
  eval.poison_positive_first = true;
  for (const PlannerOptimizer& k : planner_optimizers()) {  // every planner of the table
    const std::string optimizer = k.name;
    CAPTURE(optimizer);
    PlannerConfig pc;
    pc.optimizer = optimizer;
    pc.horizon = H;
    auto planner = make_planner(pc, kLow, kHigh);
    // A gradient-based optimizer needs an evaluator with derivatives (tests/test_ilqr_planner.cpp).
    if (planner->needs_derivatives()) continue;
    int poisoned_seen = 0;
    const PlanResult r = planner->plan(eval, Vec::Zero(1), 5, nullptr, [&](const PlanTrace& t) {
      for (int e : t.elites) CHECK(t.actions[size_t(e) * H * 2] <= 0.0f);
      for (int i = 0; i < t.candidates; ++i)
        if (t.actions[size_t(i) * H * 2] > 0.0f) {
          ++poisoned_seen;
          CHECK(t.returns[i] == -std::numeric_limits<float>::infinity());
        }
    });
    CHECK(poisoned_seen > 0);  // the test would be vacuous otherwise
    CHECK(r.valid);
    CHECK(r.plan[0] <= 0.0f);
    CHECK(std::isfinite(r.predicted_return));
  }
}

TEST_CASE("random shooting and CEM drive the point mass to the origin (oracle MPC)") {
  RandomShootingConfig rc;
  rc.population = 1000;
  RandomShootingPlanner rs(rc, 10, Vec::Constant(1, -1), Vec::Constant(1, 1));
  CemConfig cc;
  cc.population = 300;
  cc.elites = 30;
  CemPlanner cem(cc, 10, Vec::Constant(1, -1), Vec::Constant(1, 1));
  // Started at rest at pos = 3; over the last 10 of 30 steps the mass stays near the origin.
  // Random shooting's first action is the first action of one noisy sample, so it jitters more.
  struct Case {
    TrajectoryOptimizer* planner;
    double max_late, mean_late;
  };
  for (const Case c : {Case{&rs, 0.8, 0.3}, Case{&cem, 0.5, 0.2}}) {
    const std::string optimizer = c.planner->name();
    CAPTURE(optimizer);
    const auto pos = point_mass_mpc(*c.planner, 30);
    double late = 0, mean_late = 0;
    for (int t = 20; t < 30; ++t) {
      late = std::max(late, std::abs(pos[t]));
      mean_late += std::abs(pos[t]) / 10;
    }
    CHECK(late < c.max_late);
    CHECK(mean_late < c.mean_late);
  }
}

TEST_CASE("same seed gives the same plan at 1 and 2 oracle threads") {
  CemConfig cc;
  cc.population = 101;  // odd, so the two halves differ in size
  cc.elites = 10;
  CemPlanner a(cc, 8, Vec::Constant(1, -1), Vec::Constant(1, 1));
  CemPlanner b(cc, 8, Vec::Constant(1, -1), Vec::Constant(1, 1));
  const auto p1 = point_mass_mpc(a, 12, 1);
  const auto p2 = point_mass_mpc(b, 12, 2);
  CHECK(p1 == p2);
  // And the oracle's paths and returns themselves agree.
  PointMass env;
  env.reset(4);
  OracleEvaluator o1(env, 1), o2(env, 2);
  ActionBatch acts = ActionBatch::Random(9, 6);
  Eigen::VectorXf r1, r2;
  std::vector<float> paths1, paths2;
  Vec start(2);
  start << env.pos(), env.vel();
  o1.evaluate(acts, 6, start, 0, r1, &paths1);
  o2.evaluate(acts, 6, start, 0, r2, &paths2);
  CHECK(r1 == r2);
  CHECK(paths1 == paths2);
  REQUIRE(paths1.size() == 9 * 7 * 2);
  // The oracle's returns are the real rewards of stepping a copy.
  auto copy = env.clone();
  double ret = 0;
  for (int t = 0; t < 6; ++t) ret += copy->step(Vec::Constant(1, acts(2, t))).reward;
  CHECK(r1[2] == doctest::Approx(ret).epsilon(1e-6));
  CHECK(paths1[2 * 14 + 0] == float(start[0]));
}

TEST_CASE("warm start shift moves the mean by k steps and re-opens the spread") {
  const int H = 6;
  QuadraticEvaluator eval(1, make_target(H, 0.8f));
  CemConfig cfg;
  CemPlanner cem(cfg, H, Vec::Constant(1, -1), Vec::Constant(1, 1));
  cem.plan(eval, Vec::Zero(1), 1, nullptr);
  const auto mean = cem.mean();
  const float initial_std = 0.5f;  // initial_std 0.5 x half-range 1
  CHECK(cem.stddev()[0] < initial_std);
  cem.shift(2);
  for (int t = 0; t < H - 2; ++t) CHECK(cem.mean()[t] == mean[t + 2]);
  CHECK(cem.mean()[H - 2] == 0.0f);  // the tail restarts at the middle of the bounds
  CHECK(cem.mean()[H - 1] == 0.0f);
  for (int t = 0; t < H; ++t) CHECK(cem.stddev()[t] == initial_std);
  cem.reset();
  for (int t = 0; t < H; ++t) CHECK(cem.mean()[t] == 0.0f);
}

TEST_CASE("the step API gives the same plan as plan(), one iteration at a time") {
  const int H = 4;
  QuadraticEvaluator eval(2, make_target(H * 2, 0.6f));
  CemConfig cfg;
  cfg.iterations = 4;
  CemPlanner a(cfg, H, kLow, kHigh), b(cfg, H, kLow, kHigh);
  const PlanResult whole = a.plan(eval, Vec::Zero(1), 42, nullptr);
  b.begin(eval, Vec::Zero(1), 42);
  PlanTrace t;
  int steps = 0;
  while (b.iterate_once(&t)) ++steps;
  CHECK(steps == 3);
  CHECK(t.iteration == 3);
  CHECK(b.done());
  CHECK(t.objective_per_iteration.size() == 4);
  CHECK(int(t.elites.size()) == cfg.elites);
  CHECK(t.actions.size() == size_t(cfg.population) * H * 2);
  const PlanResult& stepped = b.finish();
  CHECK(stepped.plan == whole.plan);
  CHECK(!b.in_progress());
  // A different seed gives a different plan.
  const PlanResult other = a.plan(eval, Vec::Zero(1), 43, nullptr);
  CHECK(other.plan != whole.plan);
}

TEST_CASE("planner config: ranges and elites <= population are checked with the key named") {
  auto read = [](const std::string& text) {
    PlannerConfig pc;
    ConfigNode node(Json::parse(text), "p.json");
    pc.visit(node);
    node.finish();
    return pc;
  };
  CHECK(read(R"({"optimizer": "cem", "horizon": 7, "population": 50, "elites": 5})").cem.elites == 5);
  CHECK_THROWS_WITH_AS(read(R"({"optimizer": "cem", "population": 10, "elites": 11})"),
                       doctest::Contains("elites: expected at most population (10), got 11"),
                       InputError);
  CHECK_THROWS_WITH_AS(read(R"({"optimizer": "cem", "horizon": 0})"), doctest::Contains("horizon"),
                       InputError);
  CHECK_THROWS_WITH_AS(read(R"({"optimizer": "mppi", "lambda": 0})"), doctest::Contains("lambda"),
                       InputError);
  CHECK_THROWS_WITH_AS(read(R"({"optimizer": "mppi", "elites": 3})"), doctest::Contains("elites"),
                       InputError);
  CHECK_THROWS_WITH_AS(read(R"({"optimizer": "beam"})"), doctest::Contains("optimizer"), InputError);
}

TEST_CASE("one planner table: make_planner, the config's choices and fields read it") {
  REQUIRE(planner_optimizers().size() == PlannerConfig::optimizers().size());
  for (size_t i = 0; i < planner_optimizers().size(); ++i) {
    const PlannerOptimizer& k = planner_optimizers()[i];
    CAPTURE(k.name);
    CHECK(PlannerConfig::optimizers()[i] == k.name);
    CHECK(!k.description.empty());
    PlannerConfig pc;
    ConfigNode node(Json{{"optimizer", k.name}}, "p.json");
    pc.visit(node);
    node.finish();
    CHECK(make_planner(pc, kLow, kHigh)->name() == k.name);
    CHECK(pc.population() > 0);
    // The resolved config (the optimizer's own fields filled in) reads back.
    ConfigNode again(node.resolved(), "p.json");
    PlannerConfig back;
    back.visit(again);
    again.finish();
    CHECK(back.optimizer == k.name);
    CHECK(back.population() == pc.population());
  }
  PlannerConfig bad;
  bad.optimizer = "beam";
  CHECK_THROWS_WITH_AS(make_planner(bad, kLow, kHigh),
                       doctest::Contains("planner.optimizer: expected one of random_shooting, cem, mppi"),
                       InputError);
}

TEST_CASE("replans after the first allocate nothing (buffers are reused)" *
          doctest::skip(!kCountsAllocations)) {
  const int H = 8;
  QuadraticEvaluator eval(2, make_target(H * 2, 0.6f));
  for (const PlannerOptimizer& k : planner_optimizers()) {  // every planner of the table
    const std::string optimizer = k.name;
    CAPTURE(optimizer);
    PlannerConfig pc;
    pc.optimizer = optimizer;
    pc.horizon = H;
    auto planner = make_planner(pc, kLow, kHigh);
    // The sampling planners' buffers; iLQR's Eigen vectors and the env's Jacobians allocate.
    if (planner->needs_derivatives()) continue;
    PlanTrace trace;
    const Vec start = Vec::Zero(1);
    planner->begin(eval, start, 1);  // the first replan sizes every buffer
    while (planner->iterate_once(&trace)) {
    }
    planner->finish();
    planner->shift(1);
    const long before = g_allocations.load();
    for (uint64_t seed = 2; seed < 6; ++seed) {
      planner->begin(eval, start, seed);
      while (planner->iterate_once(&trace)) {
      }
      planner->finish();
      planner->shift(1);
    }
    const long allocations = g_allocations.load() - before;
    CHECK(allocations == 0);
  }
}
