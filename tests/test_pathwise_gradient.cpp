// Backprop through the dynamics into the policy (issue 18, v2.0): the pathwise gradient
// against finite differences, and what happens as the horizon grows on the true pendulum:
// ds_H/ds_0 grows at the rate the physics predicts, the gradient's direction stops meaning
// anything, and through the velocity clip the gradient vanishes.

#include <doctest/doctest.h>

#include <cmath>

#include "core/analysis/gradient_vs_horizon.h"
#include "core/gradients/env_dynamics.h"
#include "core/gradients/pathwise_gradient.h"
#include "core/rng.h"
#include "envs/pendulum.h"
#include "envs/point_mass.h"

namespace test_pathwise_gradient {

using namespace dynalab;

namespace {

// Gymnasium's pendulum equations in double with exact Jacobians (no Box2D round-off), so the
// gradient check can ask for 1e-4 relative error. State (cos, sin, theta_dot) as the env's:
//   w1 = w + (a sin(theta) + b u) dt,  theta1 = theta + w1 dt,  theta = atan2(sin, cos).
class AnalyticPendulum : public DifferentiableDynamics {
 public:
  int state_dim() const override { return 3; }
  int action_dim() const override { return 1; }
  Vec step(const Vec& x, const Vec& u) const override {
    const double th = std::atan2(x[1], x[0]);
    const double w1 = x[2] + (a * std::sin(th) + b * u[0]) * dt, th1 = th + w1 * dt;
    Vec y(3);
    y << std::cos(th1), std::sin(th1), w1;
    return y;
  }
  void jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A, Eigen::MatrixXd& B) const override {
    const double r2 = x[0] * x[0] + x[1] * x[1], th = std::atan2(x[1], x[0]);
    const double w1 = x[2] + (a * std::sin(th) + b * u[0]) * dt, th1 = th + w1 * dt;
    const Eigen::RowVector3d dth(-x[1] / r2, x[0] / r2, 0);
    const Eigen::RowVector3d dw1 = a * std::cos(th) * dt * dth + Eigen::RowVector3d(0, 0, 1);
    const Eigen::RowVector3d dth1 = dth + dt * dw1;
    A.resize(3, 3);
    A.row(0) = -std::sin(th1) * dth1;
    A.row(1) = std::cos(th1) * dth1;
    A.row(2) = dw1;
    B.resize(3, 1);
    B << -std::sin(th1) * b * dt * dt, std::cos(th1) * b * dt * dt, b * dt;
  }
  static constexpr double a = 15, b = 3, dt = 0.05;
};

Vec pendulum_obs(double theta, double omega) {
  Vec o(3);
  o << std::cos(theta), std::sin(theta), omega;
  return o;
}

std::vector<Vec> near_upright(int n, uint64_t seed) {
  Rng rng(seed);
  std::vector<Vec> starts;
  for (int i = 0; i < n; ++i)
    starts.push_back(pendulum_obs(rng.uniform(-0.3, 0.3), rng.uniform(-0.5, 0.5)));
  return starts;
}

// Central differences of the mean return in every policy parameter.
Eigen::VectorXd finite_difference_gradient(const DifferentiableDynamics& f,
                                           const DifferentiableReward& r, SquashedPolicy& policy,
                                           const std::vector<Vec>& starts, int H, double gamma,
                                           const ActionNoise* noise = nullptr) {
  Eigen::VectorXd g(policy.params().size());
  const double h = 1e-6;
  for (Eigen::Index k = 0; k < g.size(); ++k) {
    const double p = policy.params()[k];
    policy.params()[k] = p + h;
    const double hi = rollout_return(f, r, policy, starts, H, gamma, noise);
    policy.params()[k] = p - h;
    g[k] = (hi - rollout_return(f, r, policy, starts, H, gamma, noise)) / (2 * h);
    policy.params()[k] = p;
  }
  return g;
}

SquashedPolicy random_policy(int obs_dim, double max_action, uint64_t seed, double last_scale = 1,
                             SquashedPolicy::Squash squash = SquashedPolicy::Squash::tanh) {
  SquashedPolicy policy(obs_dim, Vec::Constant(1, -max_action), Vec::Constant(1, max_action),
                        {16, 16}, Activation::tanh, squash);
  Rng rng(seed);
  policy.init(rng, last_scale);
  return policy;
}

}  // namespace

TEST_CASE("the analytic pendulum's Jacobians are its step's (the check's own reference)") {
  const AnalyticPendulum f;
  Eigen::MatrixXd A, B, Afd, Bfd;
  const Vec x = pendulum_obs(0.7, -1.2), u = Vec::Constant(1, 0.6);
  f.jacobians(x, u, A, B);
  finite_difference_jacobians(f, x, u, 1e-6, Afd, Bfd);
  CHECK((A - Afd).norm() < 1e-8);
  CHECK((B - Bfd).norm() < 1e-8);
}

TEST_CASE("the pathwise gradient at H = 5 agrees with finite differences to 1e-4") {
  const AnalyticPendulum f;
  const Pendulum env;
  const EnvReward r(env);
  const std::vector<Vec> starts = near_upright(4, 3);
  // tanh, and PILCO's sine squash with its last layer scaled 100x, so that the net's outputs
  // pass +-pi/2, where the squash turns (checked below; at 3x they stayed under 0.08).
  // (No structured binding: CAPTURE cannot capture one under clang.)
  for (const auto& squash_scale :
       {std::pair{SquashedPolicy::Squash::tanh, 1.0}, std::pair{SquashedPolicy::Squash::sine, 100.0}}) {
    const int squash = int(squash_scale.first);
    SquashedPolicy policy = random_policy(3, 2, 7, squash_scale.second, squash_scale.first);
    for (double gamma : {1.0, 0.9}) {
      CAPTURE(squash);
      CAPTURE(gamma);
      PathwiseOptions o;
      o.horizon = 5;
      o.gamma = gamma;
      const PathwiseResult p = pathwise_gradient(f, r, policy, starts, o);
      CHECK(p.objective == doctest::Approx(rollout_return(f, r, policy, starts, 5, gamma)));
      const Eigen::VectorXd fd = finite_difference_gradient(f, r, policy, starts, 5, gamma);
      REQUIRE(fd.norm() > 1e-3);
      CHECK((p.gradient - fd).norm() / fd.norm() < 1e-4);
    }
  }
}

TEST_CASE("PILCO's sine squash: full action at pi/2, down again past it") {
  const double pi = 3.141592653589793;
  // No hidden layer and zero weights: the action is the squashed output bias alone.
  SquashedPolicy bias_only(3, Vec::Constant(1, -2), Vec::Constant(1, 2), {}, Activation::tanh,
                           SquashedPolicy::Squash::sine);
  const Eigen::Index b = bias_only.net().b_offset(0);
  const Vec s = pendulum_obs(0.4, 0.1);
  bias_only.params()[b] = pi / 2;  // (9 sin x + sin 3x) / 8 = (9 - 1) / 8 = 1: the box's top
  CHECK(bias_only.act(s)[0] == doctest::Approx(2).epsilon(1e-15));
  bias_only.params()[b] = 2.5;  // past pi/2 the action falls again (tanh would keep rising)
  CHECK(bias_only.act(s)[0] ==
        doctest::Approx(2 * (9 * std::sin(2.5) + std::sin(7.5)) / 8).epsilon(1e-15));
  CHECK(bias_only.act(s)[0] < 1.8);
  bias_only.params()[b] = -pi / 2;
  CHECK(bias_only.act(s)[0] == doctest::Approx(-2).epsilon(1e-15));
  // The gradient check above reaches past the turn: its sine policy's outputs at its starts
  // exceed pi/2.
  const SquashedPolicy full = random_policy(3, 2, 7, 100, SquashedPolicy::Squash::sine);
  SquashedPolicy::Mat obs(4, 3);
  const std::vector<Vec> starts = near_upright(4, 3);
  for (int i = 0; i < 4; ++i) obs.row(i) = starts[size_t(i)].transpose();
  SquashedPolicy::Cache cache;
  full.forward(obs, cache);
  CHECK(cache.net.out.cwiseAbs().maxCoeff() > pi / 2);
  CHECK(SquashedPolicy::squash_named("sine") == SquashedPolicy::Squash::sine);
  CHECK_THROWS_AS(SquashedPolicy::squash_named("sigmoid"), std::invalid_argument);
}

TEST_CASE("with its exploration noise held fixed, a stochastic policy's pathwise gradient matches too") {
  const AnalyticPendulum f;
  const Pendulum env;
  const EnvReward r(env);
  SquashedPolicy policy = random_policy(3, 2, 7);
  const std::vector<Vec> starts = near_upright(4, 3);
  Rng rng(5);
  const ActionNoise noise = ActionNoise::draw(4, 5, 1, 0.3, rng);
  PathwiseOptions o;
  o.horizon = 5;
  o.action_noise = &noise;
  const PathwiseResult p = pathwise_gradient(f, r, policy, starts, o);
  CHECK(p.objective == doctest::Approx(rollout_return(f, r, policy, starts, 5, 1.0, &noise)));
  CHECK(p.objective != doctest::Approx(rollout_return(f, r, policy, starts, 5, 1.0)));
  const Eigen::VectorXd fd = finite_difference_gradient(f, r, policy, starts, 5, 1.0, &noise);
  CHECK((p.gradient - fd).norm() / fd.norm() < 1e-4);
  const ActionNoise short_noise = ActionNoise::draw(4, 4, 1, 0.3, rng);
  o.action_noise = &short_noise;
  CHECK_THROWS_AS(pathwise_gradient(f, r, policy, starts, o), std::invalid_argument);
}

TEST_CASE("pathwise vs likelihood ratio near upright: RP's variance is the smaller at short H, the larger at long H") {
  // PIPPS (Parmas et al. 2018) on the analytic pendulum with the reference suite's policy at the
  // edge of stability (a = 2 tanh(tanh(-2.9 sin(theta) - 0.1 theta_dot))) and Gaussian
  // exploration of std 0.4 N m: 8 batches of 32 starts within 0.3 rad of upright. RP multiplies
  // H Jacobians and explodes with the unstable eigenvalue; LR only scores the noise.
  const AnalyticPendulum f;
  const Pendulum env;
  const EnvReward r(env);
  SquashedPolicy policy(3, Vec::Constant(1, -2), Vec::Constant(1, 2), {1});
  policy.params().setZero();
  policy.params()[1] = -2.9;
  policy.params()[2] = -0.1;
  policy.params()[policy.net().w_offset(1)] = 1;
  std::vector<std::vector<Vec>> batches;
  for (uint64_t k = 0; k < 8; ++k) batches.push_back(near_upright(32, 100 + k));
  GradientVsHorizonOptions o;
  o.horizons = {5, 20, 80};
  o.action_noise_std = 0.4;
  o.noise_seed = 3;
  const GradientVsHorizon g = gradient_vs_horizon(f, r, policy, batches, o);
  std::vector<double> log_ratio;
  for (const GradientVsHorizonRow& row : g.rows) {
    log_ratio.push_back(row.log10_pathwise_variance - row.log10_likelihood_ratio_variance);
    MESSAGE("H = " << row.horizon << ": log10 variance RP " << row.log10_pathwise_variance
                   << ", LR " << row.log10_likelihood_ratio_variance);
  }
  // RP better at H = 5, worse by H = 80 (from 5 to 20 the ratio is about flat: both grow).
  CHECK(log_ratio[0] < 0);
  CHECK(log_ratio[2] > 0);
  CHECK(log_ratio[2] > log_ratio[0] + 1);
  o.action_noise_std = 0;  // a deterministic policy has no likelihood ratio
  CHECK(std::isnan(gradient_vs_horizon(f, r, policy, batches, o).rows[0].log10_likelihood_ratio_variance));
}

TEST_CASE("the pathwise gradient through the point mass env (exact Jacobians) matches too") {
  PointMass env;
  const EnvDynamics f(env);
  const EnvReward r(env);
  SquashedPolicy policy = random_policy(2, 1, 11);
  std::vector<Vec> starts;
  for (double p : {-1.0, 0.5, 1.5}) starts.push_back(Eigen::Vector2d(p, 0.2));
  PathwiseOptions o;
  o.horizon = 5;
  const PathwiseResult p = pathwise_gradient(f, r, policy, starts, o);
  const Eigen::VectorXd fd = finite_difference_gradient(f, r, policy, starts, 5, 1.0);
  CHECK((p.gradient - fd).norm() / fd.norm() < 1e-4);
}

TEST_CASE("truncation and clipping: what each changes") {
  const AnalyticPendulum f;
  const Pendulum env;
  const EnvReward r(env);
  const SquashedPolicy policy = random_policy(3, 2, 5);
  const std::vector<Vec> starts = near_upright(6, 9);
  PathwiseOptions o;
  o.horizon = 20;
  const PathwiseResult full = pathwise_gradient(f, r, policy, starts, o);
  o.truncation = 20;  // detaching at t = 0 only: the same gradient
  CHECK((pathwise_gradient(f, r, policy, starts, o).gradient - full.gradient).norm() <
        1e-12 * full.gradient_norm);
  o.truncation = 1;  // every step on its own: a different, shorter-sighted gradient
  const PathwiseResult myopic = pathwise_gradient(f, r, policy, starts, o);
  CHECK((myopic.gradient - full.gradient).norm() > 0.1 * full.gradient_norm);
  o.truncation = 0;
  o.clip_norm = 0.5 * full.gradient_norm;  // clipping hides the magnitude, not the direction
  const PathwiseResult clipped = pathwise_gradient(f, r, policy, starts, o);
  CHECK(clipped.clipped);
  CHECK(clipped.gradient.norm() == doctest::Approx(o.clip_norm));
  CHECK(clipped.gradient_norm == doctest::Approx(full.gradient_norm));
  CHECK(clipped.gradient.dot(full.gradient) / (clipped.gradient.norm() * full.gradient_norm) ==
        doctest::Approx(1.0));
}

TEST_CASE("true pendulum upright: ds_H/ds_0 grows at the rate of the linearised physics (10 %)") {
  // The zero policy holds the pole exactly upright, an unstable equilibrium: the closed-loop
  // Jacobian is A^H and its largest singular value grows like exp(sqrt(3 g / (2 l)) t).
  // A detached rollout (ds_{t+1}/ds_t = 0) gives sigma = 0 and no rate; a truncated one a
  // bounded sigma and a rate near 0: both fail here.
  const Pendulum env;
  const EnvDynamics f(env);
  const EnvReward r(env);
  const SquashedPolicy zero(3, Vec::Constant(1, -2), Vec::Constant(1, 2), {16, 16});
  const auto eq = env.unstable_equilibrium();
  REQUIRE(eq);
  GradientVsHorizonOptions o;
  o.horizons = {5, 10, 20, 40, 80, 160};
  const GradientVsHorizon g = gradient_vs_horizon(f, r, zero, {{eq->obs}, {eq->obs}}, o);
  const double predicted = eq->rate * eq->control_dt;
  CAPTURE(predicted);
  CAPTURE(g.growth_rate_per_step);
  CHECK(g.growth_rate_per_step == doctest::Approx(predicted).epsilon(0.10));
  // The same rate from the linearisation at the equilibrium alone (its spectral radius).
  CHECK(equilibrium_growth_rate(f, eq->obs, Vec::Zero(1)) == doctest::Approx(predicted).epsilon(0.10));
  CHECK(g.rows.back().log10_state_jacobian > 10);  // sigma_max(ds_160/ds_0) > 1e10
}

TEST_CASE("through the pendulum's velocity clip the gradient vanishes instead") {
  // A torque of 20 N m beats gravity everywhere, so every step ends at the speed limit and the
  // clip sets theta_dot' = max_speed whatever came before: the theta_dot row of the Jacobian is
  // zero, and an action reaches later states only through the angle it moved within its own
  // step. The return's sensitivity to each action (with 10 or more steps ahead) is then 30x
  // smaller than with the clip lifted.
  PendulumConfig cfg;
  cfg.max_torque = 20;
  auto sensitivity = [&](double max_speed, Eigen::MatrixXd* A, Eigen::MatrixXd* B) {
    cfg.max_speed = max_speed;
    const Pendulum env(cfg);
    const EnvDynamics f(env);
    const EnvReward r(env);
    SquashedPolicy push(3, Vec::Constant(1, -20), Vec::Constant(1, 20), {4});
    push.params().setZero();
    push.params()[push.net().b_offset(1)] = 5;  // tanh(5): the full torque
    PathwiseOptions o;
    o.horizon = 40;
    const PathwiseResult p = pathwise_gradient(f, r, push, {pendulum_obs(2.0, 8.0)}, o);
    if (A) f.jacobians(p.states[0][10], p.actions[0][10], *A, *B);
    return p.action_sensitivity[0];
  };
  Eigen::MatrixXd A, B;
  const std::vector<double> clipped = sensitivity(8, &A, &B), free = sensitivity(1000, nullptr, nullptr);
  CHECK(A.row(2).norm() < 1e-3);
  CHECK(std::abs(B(2, 0)) < 1e-6);
  for (size_t t = 0; t + 10 < clipped.size(); ++t) {  // steps with 10 or more steps ahead
    CAPTURE(t);
    CHECK(clipped[t] < free[t] / 30);
  }
}

}  // namespace test_pathwise_gradient
