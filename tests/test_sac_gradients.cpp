// SAC's math in double against central finite differences (relative error < 1e-6, norm-wise
// over the whole gradient): the tanh-squashed log-probability, and the gradients of the actor,
// critic and temperature losses (core/agents/sac/sac_losses.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "core/agents/sac/sac_losses.h"
#include "core/rng.h"
#include "tests/gradient_check.h"

namespace test_sac_gradients {

using namespace dynalab;
using namespace dynalab::test;

namespace {

constexpr int kObs = 3, kAct = 2, kBatch = 7;

}  // namespace

TEST_CASE("the tanh-squashed log-probability is the change of variables of the Gaussian") {
  // 1-D: log pi(a) = log N(atanh(a); mean, std) - log(1 - a^2), computed independently, and its
  // density integrates to 1 over (-1, 1).
  MlpShape s;
  s.in = 1;
  s.out = 2;
  s.hidden = {};
  MlpD actor(s);
  const double mean = 0.3, log_std = -0.4, std_dev = std::exp(log_std);
  actor.params() << 0.0, 0.0, mean, log_std;  // W = 0: the heads are the biases
  Rng rng(1);
  const Mat eps = normal_matrix(50, 1, rng, 2.0);
  SquashedGaussianSample<double> smp;
  squashed_gaussian_sample(actor, Mat::Zero(50, 1), eps, smp);
  for (int r = 0; r < 50; ++r) {
    const double a = smp.action(r, 0), u = std::atanh(a);
    const double expected = -0.5 * std::pow((u - mean) / std_dev, 2) - log_std -
                            0.5 * std::log(2 * M_PI) - std::log(1 - a * a);
    CHECK(smp.log_prob(r, 0) == doctest::Approx(expected).epsilon(1e-9));
  }
  // Midpoint rule in u (a = tanh u, da = (1 - a^2) du) over +-12 std.
  const int n = 200000;
  const double lo = mean - 12 * std_dev, du = 24 * std_dev / n;
  Mat u_grid(n, 1);
  for (int i = 0; i < n; ++i)
    u_grid(i, 0) = (lo + (i + 0.5) * du - mean) / std_dev;  // eps of each u
  squashed_gaussian_sample(actor, Mat::Zero(n, 1), u_grid, smp);
  double total = 0;
  for (int i = 0; i < n; ++i)
    total += std::exp(smp.log_prob(i, 0)) * (1 - smp.action(i, 0) * smp.action(i, 0)) * du;
  CHECK(total == doctest::Approx(1.0).epsilon(1e-9));
  // Far in the tails the exact form stays finite where log(1 - tanh^2 u) in floating point would
  // not.
  actor.params() << 0.0, 0.0, 30.0, -3.0;
  squashed_gaussian_sample(actor, Mat::Zero(1, 1), Mat::Zero(1, 1), smp);
  CHECK(std::isfinite(smp.log_prob(0, 0)));
}

TEST_CASE("the log-probability's gradient in the actor's parameters matches finite differences") {
  for (Activation act : {Activation::tanh, Activation::silu}) {
    MlpD actor = make_net(kObs, 2 * kAct, act, 2);
    Rng rng(3);
    const Mat obs = normal_matrix(kBatch, kObs, rng), eps = normal_matrix(kBatch, kAct, rng);
    const Mat w = normal_matrix(kBatch, 1, rng);  // L = sum_n w_n log pi_n
    auto loss = [&] {
      SquashedGaussianSample<double> s;
      squashed_gaussian_sample(actor, obs, eps, s);
      return (w.array() * s.log_prob.array()).sum();
    };
    SquashedGaussianSample<double> s;
    squashed_gaussian_sample(actor, obs, eps, s);
    VecD g = VecD::Zero(actor.params().size());
    squashed_gaussian_backward(actor, obs, s, Mat::Zero(kBatch, kAct), w, g);
    CHECK(relative_error(g, finite_difference(actor.params(), loss)) < 1e-6);
  }
}

TEST_CASE(
    "the actor loss gradient (through both critics, the squashing and the log-probability) matches "
    "finite differences") {
  for (Activation act : {Activation::tanh, Activation::silu}) {
    MlpD actor = make_net(kObs, 2 * kAct, act, 4);
    const MlpD q1 = make_net(kObs + kAct, 1, act, 5);
    MlpD q2 = make_net(kObs + kAct, 1, act, 6);
    Rng rng(7);
    const Mat obs = normal_matrix(kBatch, kObs, rng), eps = normal_matrix(kBatch, kAct, rng);
    {  // Shift Q2 so that each critic is the smaller one on some rows (between two rows' gaps,
       // so no row sits at the min's kink).
      SquashedGaussianSample<double> s;
      squashed_gaussian_sample(actor, obs, eps, s);
      typename MlpD::Cache c1, c2;
      Mat x;
      critic_input<double>(obs, s.action, x);
      q1.forward(x, c1);
      q2.forward(x, c2);
      std::vector<double> gap(kBatch);
      for (int r = 0; r < kBatch; ++r) gap[size_t(r)] = c1.out(r, 0) - c2.out(r, 0);
      std::sort(gap.begin(), gap.end());
      q2.params()[q2.b_offset(q2.shape().layers() - 1)] += 0.5 * (gap[3] + gap[4]);
    }
    const double alpha = 0.37;
    auto loss = [&] {
      SquashedGaussianSample<double> s;
      squashed_gaussian_sample(actor, obs, eps, s);
      VecD unused = VecD::Zero(actor.params().size());
      SacWorkspace<double> ws;
      return actor_loss(actor, q1, q2, obs, s, alpha, unused, ws);
    };
    SquashedGaussianSample<double> s;
    squashed_gaussian_sample(actor, obs, eps, s);
    VecD g = VecD::Zero(actor.params().size());
    SacWorkspace<double> ws;
    actor_loss(actor, q1, q2, obs, s, alpha, g, ws);
    // Both critics must be the minimum on some rows, or half of the gradient path goes untested.
    typename MlpD::Cache c1, c2;
    Mat x;
    critic_input<double>(obs, s.action, x);
    q1.forward(x, c1);
    q2.forward(x, c2);
    const auto first = (c1.out.array() <= c2.out.array()).count();
    CHECK(first > 0);
    CHECK(first < kBatch);
    CHECK(relative_error(g, finite_difference(actor.params(), loss)) < 1e-6);
  }
}

TEST_CASE("the critic loss gradient matches finite differences, with the soft target held fixed") {
  for (Activation act : {Activation::tanh, Activation::silu}) {
    const MlpD actor = make_net(kObs, 2 * kAct, act, 8);
    MlpD q = make_net(kObs + kAct, 1, act, 9);
    const MlpD q1t = make_net(kObs + kAct, 1, act, 10), q2t = make_net(kObs + kAct, 1, act, 11);
    Rng rng(12);
    const Mat obs = normal_matrix(kBatch, kObs, rng), next_obs = normal_matrix(kBatch, kObs, rng);
    const Mat actions = normal_matrix(kBatch, kAct, rng).array().tanh().matrix();
    const Mat rewards = normal_matrix(kBatch, 1, rng);
    Mat dones = Mat::Zero(kBatch, 1);
    dones(2, 0) = 1;
    SquashedGaussianSample<double> next;
    squashed_gaussian_sample(actor, next_obs, normal_matrix(kBatch, kAct, rng), next);
    SacWorkspace<double> ws;
    Mat y;
    soft_q_target(q1t, q2t, next_obs, next, rewards, dones, 0.2, 0.99, ws, y);
    // The target at a terminal transition is its reward alone.
    CHECK(y(2, 0) == doctest::Approx(rewards(2, 0)).epsilon(1e-15));
    Mat x;
    critic_input<double>(obs, actions, x);
    auto loss = [&] {
      VecD unused = VecD::Zero(q.params().size());
      return critic_loss(q, x, y, unused, ws.q1);
    };
    VecD g = VecD::Zero(q.params().size());
    critic_loss(q, x, y, g, ws.q1);
    CHECK(relative_error(g, finite_difference(q.params(), loss)) < 1e-6);
  }
}

TEST_CASE("the soft target is r + gamma (1 - done) (min Qbar - alpha log pi)") {
  const MlpD actor = make_net(kObs, 2 * kAct, Activation::tanh, 13);
  const MlpD q1t = make_net(kObs + kAct, 1, Activation::tanh, 14),
             q2t = make_net(kObs + kAct, 1, Activation::tanh, 15);
  Rng rng(16);
  const Mat next_obs = normal_matrix(kBatch, kObs, rng), rewards = normal_matrix(kBatch, 1, rng);
  const Mat dones = Mat::Zero(kBatch, 1);
  SquashedGaussianSample<double> next;
  squashed_gaussian_sample(actor, next_obs, normal_matrix(kBatch, kAct, rng), next);
  SacWorkspace<double> ws;
  Mat y, x;
  soft_q_target(q1t, q2t, next_obs, next, rewards, dones, 0.3, 0.9, ws, y);
  typename MlpD::Cache c1, c2;
  critic_input<double>(next_obs, next.action, x);
  q1t.forward(x, c1);
  q2t.forward(x, c2);
  for (int r = 0; r < kBatch; ++r)
    CHECK(y(r, 0) == doctest::Approx(rewards(r, 0) + 0.9 * (std::min(c1.out(r, 0), c2.out(r, 0)) -
                                                            0.3 * next.log_prob(r, 0))));
}

TEST_CASE(
    "the temperature gradient matches finite differences and raises alpha when entropy is below "
    "target") {
  Rng rng(17);
  const Mat log_prob = normal_matrix(kBatch, 1, rng);
  const double target = -2.0, log_alpha = -0.7;
  double d = 0;
  temperature_loss(log_alpha, log_prob, target, &d);
  const double h = 1e-6;
  const double fd = (temperature_loss(log_alpha + h, log_prob, target, (double*)nullptr) -
                     temperature_loss(log_alpha - h, log_prob, target, (double*)nullptr)) /
                    (2 * h);
  CHECK(std::abs(d - fd) / std::abs(fd) < 1e-6);
  // Entropy -mean(log pi) below the target: gradient descent increases log_alpha.
  const Mat confident = Mat::Constant(kBatch, 1, 5.0);  // entropy -5 < -2
  temperature_loss(log_alpha, confident, target, &d);
  CHECK(d < 0);
}

}  // namespace test_sac_gradients
