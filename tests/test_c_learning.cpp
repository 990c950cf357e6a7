// C-learning (core/agents/c_learning/; Eysenbach, Salakhutdinov & Levine 2020; lecture deck 001):
// the classifier's new gradient code against finite differences, the geometric offset sampler's
// distribution, the replay's positives, the density tools, one short run in which the predicted
// density beats the marginal-only baseline, and sessions. The 2x bar on three seeds with the
// preset's budget is reference_c_learning.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "core/agents/c_learning/c_learning_agent.h"
#include "core/agents/c_learning/future_classifier.h"
#include "core/agents/c_learning/future_density.h"
#include "core/agents/c_learning/future_replay.h"
#include "core/episodic_experiment.h"
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

TEST_CASE("the replay's positives lie Delta steps ahead in the same episode, clamped at its end") {
  FutureReplay r(1, 1);
  Vec o(1), a(1);
  a << 0;
  // Two episodes: observations 0..50 (50 steps) and 100..103 (3 steps); an observation's value is
  // its time plus the episode's base.
  o << 0, r.begin(o);
  for (int t = 1; t <= 50; ++t) o << t, r.push(a, o);
  r.end();
  o << 100, r.begin(o);
  for (int t = 1; t <= 3; ++t) o << 100 + t, r.push(a, o);
  r.end();
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

TEST_CASE("density tools: histograms sum to one, the KL is zero for equal densities and exact otherwise") {
  DensityGrid g;
  g.nx = 2, g.ny = 2, g.x_lo = 0, g.x_hi = 2, g.y_lo = 0, g.y_hi = 2;
  CHECK(g.cell(0.5, 0.5) == 0);
  CHECK(g.cell(1.5, 0.5) == 1);
  CHECK(g.cell(0.5, 1.5) == 2);
  CHECK(g.cell(-5, 9) == 2);  // outside: nearest edge cell
  const std::vector<double> h = cell_histogram(g, {0.5, 0.5, 1.5}, {0.5, 0.5, 1.5}, 0.0);
  CHECK(h[0] == doctest::Approx(2.0 / 3));
  CHECK(h[3] == doctest::Approx(1.0 / 3));
  const std::vector<double> s = cell_histogram(g, {0.5}, {0.5}, 1.0);
  CHECK(s[0] == doctest::Approx(0.4));
  CHECK(s[1] == doctest::Approx(0.2));
  CHECK(kl_divergence(h, h) == doctest::Approx(0));
  const std::vector<double> u(4, 0.25);
  CHECK(kl_divergence(h, u) == doctest::Approx(2.0 / 3 * std::log(8.0 / 3) + 1.0 / 3 * std::log(4.0 / 3)));
  CHECK(std::isinf(kl_divergence(u, h)));
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
  const auto& last = e->episodes().back().agent_metrics;
  MESSAGE("td: KL(MC || C-learning) " << last[2] << ", KL(MC || marginal) " << last[3]);
  CHECK(last[3] > 1.2 * last[2]);
}

TEST_CASE("a C-learning session saved mid-training continues identically") {
  std::vector<std::string> sets = {"episodes=2", "c_learning.data_episodes=5", "c_learning.train_steps=40",
                                   "c_learning.mc_rollouts=50", "c_learning.steps_per_tick=10",
                                   "c_learning.hidden=[16]"};
  auto a = make(sets);
  auto b = make(sets);
  // Into the first training round: 5 warm-up episodes of 100 steps, then think ticks.
  for (int i = 0; i < 502; ++i) a->tick(), b->tick();
  const auto dir = temp_dir("c_learning_session");
  save_session(*a, dir);
  auto c = load_session(dir, env_registry());
  b->run_to_end();
  c->run_to_end();
  auto* ce = dynamic_cast<EpisodicExperiment*>(c.get());
  REQUIRE(ce);
  REQUIRE(ce->episodes().size() == b->episodes().size());
  for (size_t k = 0; k < b->episodes().size(); ++k) {
    CHECK(ce->episodes()[k].agent_metrics == b->episodes()[k].agent_metrics);
    CHECK(ce->episodes()[k].ret == b->episodes()[k].ret);
  }
}

}  // namespace test_c_learning
