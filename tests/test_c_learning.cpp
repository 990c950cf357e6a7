// C-learning (core/agents/c_learning/; Eysenbach, Salakhutdinov & Levine 2020; lecture deck 001):
// the classifier's gradient code against finite differences, the geometric offset sampler's
// distribution, the replay's positives (absorbing at a termination, redrawn past a cut), the
// Monte Carlo futures (a step limit changes nothing), the density tools, one short run in which
// the predicted density beats the marginal-only baseline, and sessions. The 2x bar on three seeds with the
// preset's budget is reference_c_learning.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "core/agents/c_learning/c_learning_agent.h"
#include "core/agents/c_learning/future_classifier.h"
#include "core/agents/c_learning/future_replay.h"
#include "core/agents/c_learning/monte_carlo_futures.h"
#include "core/analysis/divergence.h"
#include "core/analysis/grid_histogram.h"
#include "core/episodic_experiment.h"
#include "core/models/losses.h"
#include "core/session.h"
#include "core/snapshot.h"
#include "envs/registry.h"
#include "tests/episodic_util.h"
#include "tests/test_util.h"

namespace test_c_learning {

using namespace dynalab;
using namespace dynalab::test;

namespace {

std::unique_ptr<EpisodicExperiment> make(std::vector<std::string> sets) {
  return make_episodic("c_learning_point_mass", std::move(sets));
}

// A short run: less data, fewer rollouts, three rounds of training.
const std::vector<std::string> kShort = {"episodes=3", "c_learning.data_episodes=30", "c_learning.train_steps=300",
                                         "c_learning.mc_rollouts=600", "c_learning.steps_per_tick=50"};

/// A stub env whose observation is (x, 0) with x rising by 1 each step (whatever the action),
/// and a step limit of `limit` steps: the future offset is x - x0, read off directly. Its
/// state is (x, step counter), as Box2DEnv's carries its counter.
class CountingEnv : public Env {
 public:
  explicit CountingEnv(int limit) : limit_(limit) {}
  std::string name() const override { return "counting"; }
  Vec reset(uint64_t) override {
    x_ = 0, step_ = 0;
    return obs();
  }
  StepResult step(const Vec&) override {
    x_ += 1, ++step_;
    StepResult r;
    r.obs = obs();
    r.truncated = step_ >= limit_;
    return r;
  }
  Space observation_space() const override { return Space::box(2, -1e9, 1e9); }
  Space action_space() const override { return Space::box(1, -1, 1); }
  std::unique_ptr<Env> clone() const override { return std::make_unique<CountingEnv>(*this); }
  std::vector<double> get_state() const override { return {x_, double(step_)}; }
  void set_state(const std::vector<double>& s) override { x_ = s[0], step_ = int(s[1]); }
  void draw(Canvas&) const override {}
  Bounds world_bounds() const override { return {}; }
  int max_episode_steps() const override { return limit_; }
  int episode_step() const override { return step_; }

 private:
  Vec obs() const {
    Vec o(2);
    o << x_, 0;
    return o;
  }
  int limit_ = 0;
  double x_ = 0;
  int step_ = 0;
};

}  // namespace

TEST_CASE("the weighted soft-label cross-entropy's gradient matches finite differences") {
  Rng rng(3);
  const int n = 9;
  Eigen::VectorXd z(n), y(n), w(n);
  for (int i = 0; i < n; ++i) z[i] = rng.normal(0, 3), y[i] = rng.uniform(), w[i] = rng.uniform(0.1, 4);
  y[0] = 1, y[1] = 0;  // hard labels too
  Eigen::VectorXd dz;
  weighted_bce_with_logits(z, y, w, &dz);
  const double h = 1e-6;
  for (int i = 0; i < n; ++i) {
    Eigen::VectorXd zp = z, zm = z;
    zp[i] += h, zm[i] -= h;
    const double fd = (weighted_bce_with_logits(zp, y, w, nullptr) - weighted_bce_with_logits(zm, y, w, nullptr)) / (2 * h);
    CHECK(dz[i] == doctest::Approx(fd).epsilon(1e-6));
  }
  // Its value: w [softplus(z) - y z], i.e. -w [y log C + (1 - y) log(1 - C)].
  Eigen::VectorXd one(1), lab(1), wt(1);
  one << 0.7, lab << 0.25, wt << 2;
  const double c = 1 / (1 + std::exp(-0.7));
  CHECK(weighted_bce_with_logits(one, lab, wt, nullptr) ==
        doctest::Approx(-2 * (0.25 * std::log(c) + 0.75 * std::log(1 - c))).epsilon(1e-12));
  // The optimum of a soft label is the label: dL/dz = 0 at sigmoid(z) = y.
  one << std::log(0.25 / 0.75);
  Eigen::VectorXd g;
  weighted_bce_with_logits(one, lab, wt, &g);
  CHECK(std::abs(g[0]) < 1e-12);
}

TEST_CASE("the classifier's parameter gradient matches a finite-difference directional derivative") {
  Rng rng(5);
  FutureClassifier clf(4, 2, 2, {16, 16}, "silu", rng);
  Eigen::VectorXd shift(8), scale(8);
  shift << 5, 5, 0, 0, 0, 0, 5, 5;
  scale << 3, 3, 1, 1, 1, 1, 3, 3;
  clf.set_normalisation(shift, scale);
  const int n = 32;
  Eigen::MatrixXd X(n, 8);
  Eigen::VectorXd y(n), w(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 8; ++j) X(i, j) = shift[j] + scale[j] * rng.normal();
    y[i] = i % 2, w[i] = rng.uniform(0.5, 2);
  }
  Eigen::VectorXf g;
  const double loss = clf.loss_and_gradient(X, y, w, g);
  CHECK(std::isfinite(loss));
  const Eigen::VectorXf d = g.normalized();
  const Eigen::VectorXf p0 = clf.net().params();
  const float h = 1e-2f;
  Eigen::VectorXf unused;
  clf.net().params() = p0 + h * d;
  const double lp = clf.loss_and_gradient(X, y, w, unused);
  clf.net().params() = p0 - h * d;
  const double lm = clf.loss_and_gradient(X, y, w, unused);
  clf.net().params() = p0;
  const double fd = (lp - lm) / (2 * h), analytic = double(g.dot(d));
  MESSAGE("directional derivative: analytic " << analytic << ", finite difference " << fd);
  CHECK(analytic > 0);
  CHECK(fd == doctest::Approx(analytic).epsilon(0.01));
}

TEST_CASE("geometric offsets: P(Delta = k) = (1 - gamma) gamma^(k-1), k >= 1") {
  for (double gamma : {0.5, 0.9}) {
    Rng rng(11);
    const int n = 200000;
    std::map<int, int> count;
    double sum = 0;
    int below_one = 0;
    for (int i = 0; i < n; ++i) {
      const int k = geometric_offset(rng, gamma);
      below_one += k < 1;
      ++count[k], sum += k;
    }
    CHECK(below_one == 0);
    CHECK(sum / n == doctest::Approx(1 / (1 - gamma)).epsilon(0.01));
    for (int k = 1; k <= 8; ++k) {
      const double p = (1 - gamma) * std::pow(gamma, k - 1);
      const double se = std::sqrt(p * (1 - p) / n);
      CHECK(std::abs(double(count[k]) / n - p) < 5 * se);
    }
  }
  Rng rng(1);
  for (int i = 0; i < 100; ++i) CHECK(geometric_offset(rng, 0.0) == 1);
  CHECK_THROWS(geometric_offset(rng, 1.0));
}

TEST_CASE("the replay's positives lie Delta steps ahead in the same episode, clamped at a terminated end") {
  FutureReplay r(1, 1);
  Vec o(1), a(1);
  a << 0;
  // Two terminated episodes: observations 0..50 (50 steps) and 100..103 (3 steps); an
  // observation's value is its time plus the episode's base.
  o << 0, r.begin(o);
  for (int t = 1; t <= 50; ++t) o << t, r.push(a, o);
  r.end(true);
  o << 100, r.begin(o);
  for (int t = 1; t <= 3; ++t) o << 100 + t, r.push(a, o);
  r.end(true);
  CHECK(r.transitions() == 53);
  CHECK(r.observations() == 55);
  Rng rng(2);
  const double gamma = 0.8;
  std::map<int, int> offsets;  // from anchors t <= 10 of the long episode, where no clamp applies
  int anchors = 0, wrong = 0;  // counted, not CHECKed per draw: 100000 draws
  for (int i = 0; i < 100000; ++i) {
    const FutureReplay::Draw d = r.sample_positive(rng, gamma);
    const double s = r.obs_row(r.anchor_obs_row(d.anchor))[0], f = r.obs_row(d.future)[0];
    const double base = s >= 100 ? 100 : 0, last = s >= 100 ? 103 : 50;
    wrong += !(f > s && f <= last && f >= base);  // ahead, in the same episode, clamped at its end
    wrong += r.obs_row(d.next)[0] != s + 1;
    if (d.next_anchor >= 0)
      wrong += r.obs_row(r.anchor_obs_row(d.next_anchor))[0] != s + 1;
    else
      wrong += s + 1 != last;  // no next transition only at the episode's last one
    if (s <= 10) ++offsets[int(f - s)], ++anchors;
  }
  CHECK(wrong == 0);
  for (int k = 1; k <= 5; ++k) {
    const double p = (1 - gamma) * std::pow(gamma, k - 1);
    CHECK(double(offsets[k]) / anchors == doctest::Approx(p).epsilon(0.08));
  }
}

TEST_CASE("past the end of an episode cut by the step limit a positive is redrawn, never clamped") {
  FutureReplay r(1, 1);
  Vec o(1), a(1);
  a << 0;
  // One episode cut after 20 steps (observations 0..20), then one still open (100..105).
  o << 0, r.begin(o);
  for (int t = 1; t <= 20; ++t) o << t, r.push(a, o);
  r.end(false);
  o << 100, r.begin(o);
  for (int t = 1; t <= 5; ++t) o << 100 + t, r.push(a, o);
  Rng rng(4);
  const double gamma = 0.9;
  int at_cut = 0, wrong = 0, n = 100000;
  std::map<int, int> late;  // offsets from anchor 15 (5 steps before the cut)
  for (int i = 0; i < n; ++i) {
    const FutureReplay::Draw d = r.sample_positive(rng, gamma);
    const double s = r.obs_row(r.anchor_obs_row(d.anchor))[0], f = r.obs_row(d.future)[0];
    const double last = s >= 100 ? 105 : 20;
    wrong += !(f > s && f <= last);
    wrong += d.next_terminal;  // neither end is terminal
    at_cut += f == 20;
    if (s == 15) ++late[int(f - s)];
  }
  CHECK(wrong == 0);
  // The offset that lands on the cut is an ordinary draw: from anchor 15 Delta = 5 has the
  // truncated geometric's share (1 - gamma) gamma^4 / (1 - gamma^5), not the tail's gamma^4.
  int from15 = 0;
  for (const auto& [k, c] : late) from15 += c;
  const double p5 = (1 - gamma) * std::pow(gamma, 4) / (1 - std::pow(gamma, 5));
  CHECK(double(late[5]) / from15 == doctest::Approx(p5).epsilon(0.1));
  // Clamping would put about sum_t gamma^(20 - t) / 20 ~ 0.4 of the first episode's draws on
  // its last state; redrawn, it is one target among many.
  MESSAGE("share of draws on the cut state: " << double(at_cut) / n);
  CHECK(double(at_cut) / n < 0.1);
  // A TD draw at the cut is not terminal (s_{t+1} is bootstrapped, not absorbing).
  r.end(true);  // the open one terminates
  bool saw_terminal = false;
  for (int i = 0; i < 2000; ++i) {
    const FutureReplay::Draw d = r.sample_transition(rng);
    const double s = r.obs_row(r.anchor_obs_row(d.anchor))[0];
    CHECK(d.next_terminal == (s == 104));
    saw_terminal |= d.next_terminal;
  }
  CHECK(saw_terminal);
}

TEST_CASE("Monte Carlo futures: x - x0 ~ Geom(1 - gamma) on {1, 2, ...}, near the step limit as at the start") {
  const double gamma = 0.8;
  const int limit = 30, n = 40000;
  CountingEnv env(limit);
  env.reset(0);
  const BehaviourPolicy policy = [](const Vec&, const Vec& previous, Rng&) { return previous; };
  Vec action(1);
  action << 0;
  // From step 0 and from 2 steps before the limit (where a rollout stopped by `truncated` would
  // give offsets 1 and 2 only).
  for (int start : {0, limit - 2}) {
    CAPTURE(start);
    Rng rng(21);
    std::vector<double> xs, ys;
    const double x0 = 7;
    monte_carlo_futures(env, {x0, double(start)}, action, policy, gamma, n, {0, 1}, rng, xs, ys);
    REQUIRE(xs.size() == size_t(n));
    std::map<int, int> count;
    double sum = 0;
    for (double x : xs) ++count[int(x - x0)], sum += x - x0;
    CHECK(count.count(0) == 0);
    CHECK(sum / n == doctest::Approx(1 / (1 - gamma)).epsilon(0.02));
    for (int k = 1; k <= 10; ++k) {
      const double p = (1 - gamma) * std::pow(gamma, k - 1);
      CHECK(std::abs(double(count[k]) / n - p) < 5 * std::sqrt(p * (1 - p) / n));
    }
  }
}

TEST_CASE("density tools: histograms sum to one, the KL is zero for equal densities and exact otherwise") {
  Heatmap g;
  g.nx = 2, g.ny = 2, g.x_lo = 0, g.x_hi = 2, g.y_lo = 0, g.y_hi = 2;
  CHECK(grid_cell(g, 0.5, 0.5) == 0);
  CHECK(grid_cell(g, 1.5, 0.5) == 1);
  CHECK(grid_cell(g, 0.5, 1.5) == 2);
  CHECK(grid_cell(g, -5, 9) == 2);  // outside: nearest edge cell
  CHECK(grid_cell_centre(g, 3).x == 1.5);
  CHECK(grid_cell_area(g) == 1.0);
  const std::vector<double> h = grid_histogram(g, {0.5, 0.5, 1.5}, {0.5, 0.5, 1.5}, 0.0);
  CHECK(h[0] == doctest::Approx(2.0 / 3));
  CHECK(h[3] == doctest::Approx(1.0 / 3));
  const std::vector<double> s = grid_histogram(g, {0.5}, {0.5}, 1.0);
  CHECK(s[0] == doctest::Approx(0.4));
  CHECK(s[1] == doctest::Approx(0.2));
  CHECK(histogram_kl(h, h) == doctest::Approx(0));
  const std::vector<double> u(4, 0.25);
  CHECK(histogram_kl(h, u) == doctest::Approx(2.0 / 3 * std::log(8.0 / 3) + 1.0 / 3 * std::log(4.0 / 3)));
  CHECK(std::isinf(histogram_kl(u, h)));
}

TEST_CASE("a short C-learning run: the predicted density is nearer the Monte Carlo histogram than the marginal") {
  auto e = make(kShort);
  e->run_to_end();
  const auto& rows = e->episodes();
  REQUIRE(rows.size() == 3);
  const auto cols = e->snapshot()->metric_columns;
  auto col = [&](const std::string& name) { return size_t(std::find(cols.begin(), cols.end(), name) - cols.begin()); };
  const auto& last = rows.back().agent_metrics;
  const size_t off = 4;  // steps, env_steps, return, terminated come first
  const double kl_c = last[col("kl_c_learning") - off], kl_m = last[col("kl_marginal") - off];
  MESSAGE("KL(MC || C-learning) " << kl_c << ", KL(MC || marginal) " << kl_m);
  CHECK(last[col("gradient_steps") - off] == 900);
  CHECK(kl_m > 1.5 * kl_c);
  const auto snap = e->snapshot();
  REQUIRE(snap->future_density);
  const FutureDensityView& v = *snap->future_density;
  CHECK(v.queries == 3);
  CHECK(v.predicted.values.size() == 400);
  CHECK(v.monte_carlo.values.size() == 400);
  double mass = 0;
  for (double x : v.monte_carlo.values) mass += x * 0.25;  // density x cell area (0.5 m cells)
  CHECK(mass == doctest::Approx(1.0));
  // The query is a real visited state near its point (5.3, 3.5).
  CHECK(std::hypot(v.query_obs[0] - 5.3, v.query_obs[1] - 3.5) < 0.5);
}

TEST_CASE("C-learning's TD version learns the same density well enough to beat the marginal") {
  std::vector<std::string> sets = kShort;
  sets.push_back("c_learning.method=td");
  auto e = make(sets);
  e->run_to_end();
  const auto cols = e->snapshot()->metric_columns;
  auto col = [&](const std::string& name) { return size_t(std::find(cols.begin(), cols.end(), name) - cols.begin()); };
  const auto& last = e->episodes().back().agent_metrics;
  const size_t off = 4;  // steps, env_steps, return, terminated come first
  const double kl_c = last[col("kl_c_learning") - off], kl_m = last[col("kl_marginal") - off];
  MESSAGE("td: KL(MC || C-learning) " << kl_c << ", KL(MC || marginal) " << kl_m);
  CHECK(kl_m > 1.8 * kl_c);  // measured 2.11x at this short budget (900 steps); the preset's 2x is reference_c_learning's
}

TEST_CASE("a C-learning session saved mid-training continues identically") {
  // Into the first training round: 5 warm-up episodes of 100 steps, then think ticks.
  check_session_continues("c_learning_point_mass",
                          {"episodes=2", "c_learning.data_episodes=5", "c_learning.train_steps=40",
                           "c_learning.mc_rollouts=50", "c_learning.steps_per_tick=10", "c_learning.hidden=[16]"},
                          502);
}

}  // namespace test_c_learning
