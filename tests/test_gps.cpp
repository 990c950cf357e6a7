// Guided policy search (core/agents/gps/), issue 18: exactness checks of the KL-constrained update
// (the KL between two linear-Gaussian trajectory distributions against the closed-form KL of the
// joint Gaussians they induce; the dual on eta: a larger kl_step gives a smaller eta and a larger
// KL, each within tolerance of its target; eta -> infinity returns the old controller and
// eta -> 0 the LQR optimum of an independent Riccati recursion), of the sample cost expansion,
// the local dynamics fit and the policy linearisations, of the S-step, and of the agent: its
// outputs, a session saved mid-S-step continuing bit-identically, bad config naming the key; and
// the learning outcomes the issue asks for (reacher and point mass on seeds 0-2, at the end).
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <sstream>
#include <vector>

#include "core/agents/gps/dynamics_prior_gmm.h"
#include "core/agents/gps/global_policy.h"
#include "core/agents/gps/gps_agent.h"
#include "core/agents/gps/kl_step.h"
#include "core/agents/gps/policy_linearization.h"
#include "core/agents/gps/trajectory_cost.h"
#include "core/agents/gps/trajectory_distribution.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/rng.h"
#include "core/session.h"
#include "core/snapshot.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace test_gps {

using namespace dynalab;
using namespace dynalab::test;

namespace {

Eigen::MatrixXd gps_random_matrix(int r, int c, Rng& rng, double scale = 1) {
  Eigen::MatrixXd m(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = scale * rng.normal();
  return m;
}

Vec gps_random_vec(int n, Rng& rng, double scale = 1) { return gps_random_matrix(n, 1, rng, scale).col(0); }

/// A random symmetric positive definite matrix with eigenvalues around `scale`.
Eigen::MatrixXd gps_random_spd(int n, Rng& rng, double scale = 1) {
  const Eigen::MatrixXd G = gps_random_matrix(n, n, rng);
  return scale * (G * G.transpose() / n + 0.5 * Eigen::MatrixXd::Identity(n, n));
}

LinearGaussianController gps_random_controller(int T, int n, int m, Rng& rng) {
  LinearGaussianController c;
  c.resize(T, n, m);
  for (int t = 0; t < T; ++t) {
    c.K[t] = gps_random_matrix(m, n, rng, 0.5);
    c.k[t] = gps_random_vec(m, rng, 0.5);
    REQUIRE(c.set_covariance(t, gps_random_spd(m, rng, 0.3)));
  }
  return c;
}

LocalLinearModel gps_random_dynamics(int T, int n, int m, Rng& rng, double noise) {
  LocalLinearModel d;
  for (int t = 0; t < T; ++t) {
    d.A.push_back(Eigen::MatrixXd::Identity(n, n) + gps_random_matrix(n, n, rng, 0.1));
    d.B.push_back(gps_random_matrix(n, m, rng, 0.5));
    d.c.push_back(gps_random_vec(n, rng, 0.1));
    d.noise_cov.push_back(gps_random_spd(n, rng, noise));
  }
  return d;
}

/// KL(N(m1, S1) || N(m0, S0)), the textbook closed form.
double gaussian_kl(const Vec& m1, const Eigen::MatrixXd& S1, const Vec& m0, const Eigen::MatrixXd& S0) {
  const Eigen::MatrixXd P0 = S0.inverse();
  const Vec d = m0 - m1;
  return 0.5 * ((P0 * S1).trace() + d.dot(P0 * d) - double(m1.size()) + std::log(S0.determinant()) -
                std::log(S1.determinant()));
}

/// The joint Gaussian of (x_0, u_0, x_1, u_1, ..., u_{T-1}) under `p`, written out directly as an
/// affine map of the independent start, action-noise and dynamics-noise variables.
void joint_gaussian(const LinearGaussianController& p, const LocalLinearModel& dyn, const Vec& x0, const Eigen::MatrixXd& S0,
                    Vec& mean, Eigen::MatrixXd& cov) {
  const int T = p.horizon(), n = p.state_dim(), m = p.action_dim();
  // g = [x_0; e_0; w_0; e_1; w_1; ...; e_{T-1}] (w_{T-1} unused): independent blocks.
  const int G = n + T * m + (T - 1) * n, Z = T * (n + m);
  Eigen::MatrixXd Mz = Eigen::MatrixXd::Zero(Z, G), Sg = Eigen::MatrixXd::Zero(G, G);
  Vec bz = Vec::Zero(Z), mg = Vec::Zero(G);
  mg.head(n) = x0;
  Sg.topLeftCorner(n, n) = S0;
  // x_t = Mx g + bx, tracked step by step.
  Eigen::MatrixXd Mx = Eigen::MatrixXd::Zero(n, G);
  Mx.leftCols(n).setIdentity();
  Vec bx = Vec::Zero(n);
  int col = n, row = 0;
  for (int t = 0; t < T; ++t) {
    Eigen::MatrixXd Mu = p.K[t] * Mx;
    Mu.middleCols(col, m) += Eigen::MatrixXd::Identity(m, m);
    Sg.block(col, col, m, m) = p.cov[t];
    col += m;
    const Vec bu = p.K[t] * bx + p.k[t];
    Mz.middleRows(row, n) = Mx;
    bz.segment(row, n) = bx;
    Mz.middleRows(row + n, m) = Mu;
    bz.segment(row + n, m) = bu;
    row += n + m;
    if (t + 1 < T) {
      Eigen::MatrixXd Mn = dyn.A[t] * Mx + dyn.B[t] * Mu;
      Mn.middleCols(col, n) += Eigen::MatrixXd::Identity(n, n);
      Sg.block(col, col, n, n) = dyn.noise_cov[t];
      col += n;
      bx = dyn.A[t] * bx + dyn.B[t] * bu + dyn.c[t];
      Mx = Mn;
    }
  }
  mean = Mz * mg + bz;
  cov = Mz * Sg * Mz.transpose();
}

/// The 1-D double integrator x = (position, velocity), u = acceleration, dt = 0.1, for T steps.
LocalLinearModel gps_point_mass_model(int T) {
  LocalLinearModel d;
  Eigen::MatrixXd A(2, 2), B(2, 1);
  A << 1, 0.1, 0, 1;
  B << 0.005, 0.1;
  for (int t = 0; t < T; ++t) {
    d.A.push_back(A);
    d.B.push_back(B);
    d.c.push_back(Vec::Zero(2));
    d.noise_cov.push_back(Eigen::MatrixXd::Zero(2, 2));
  }
  return d;
}

/// 1/2 x'Qx + 1/2 u'Ru per step, Q = diag(1, 0.1), R = 0.01.
QuadraticTrajectoryCost gps_quadratic_cost(int T) {
  QuadraticTrajectoryCost c;
  Eigen::MatrixXd Cm = Eigen::MatrixXd::Zero(3, 3);
  Cm.diagonal() << 1, 0.1, 0.01;
  for (int t = 0; t < T; ++t) {
    c.cc.push_back(0);
    c.cv.push_back(Vec::Zero(3));
    c.Cm.push_back(Cm);
  }
  return c;
}

double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).norm() / std::max(1e-300, b.norm());
}

}  // namespace

TEST_CASE("the KL between two linear-Gaussian trajectory distributions is the closed-form KL of their joints") {
  Rng rng(7);
  for (int T : {1, 3}) {
    CAPTURE(T);
    const int n = 3, m = 2;
    const LinearGaussianController p_new = gps_random_controller(T, n, m, rng), p_old = gps_random_controller(T, n, m, rng);
    const LocalLinearModel dyn = gps_random_dynamics(T, n, m, rng, 0.05);
    const Vec x0 = gps_random_vec(n, rng);
    const Eigen::MatrixXd S0 = gps_random_spd(n, rng, 0.2);
    Vec m1, m0;
    Eigen::MatrixXd S1, Sold;
    joint_gaussian(p_new, dyn, x0, S0, m1, S1);
    joint_gaussian(p_old, dyn, x0, S0, m0, Sold);
    const double closed_form = gaussian_kl(m1, S1, m0, Sold);
    const TrajectoryMarginals mg = forward_pass(p_new, dyn, x0, S0);
    const double kl = trajectory_kl(mg, p_new, p_old);
    MESSAGE("T = " << T << ": KL " << kl << ", closed form " << closed_form);
    CHECK(closed_form > 0.1);
    CHECK(kl == doctest::Approx(closed_form).epsilon(1e-9));
    // The forward pass's marginals are the joint's diagonal blocks.
    for (int t = 0; t < T; ++t) {
      CHECK(relative_error(mg.mean[t], m1.segment(t * (n + m), n + m)) < 1e-12);
      CHECK(relative_error(mg.cov[t], S1.block(t * (n + m), t * (n + m), n + m, n + m)) < 1e-12);
    }
    // A controller against itself: zero.
    CHECK(trajectory_kl(mg, p_new, p_new) == doctest::Approx(0).epsilon(1e-12));
  }
}

TEST_CASE("the dual: a larger kl_step gives a smaller eta and a larger KL, each within tolerance of its target") {
  const int T = 20;
  const LocalLinearModel dyn = gps_point_mass_model(T);
  const QuadraticTrajectoryCost cost = gps_quadratic_cost(T);
  const LinearGaussianController p_old = LinearGaussianController::constant(T, 2, Vec::Zero(1), 0.1);
  const Vec x0{{1.0, 0.0}};
  const Eigen::MatrixXd S0 = 1e-6 * Eigen::MatrixXd::Identity(2, 2);
  const double old_cost = expected_cost(cost, forward_pass(p_old, dyn, x0, S0));
  double prev_eta = 1e300, prev_kl = 0, prev_cost = old_cost;
  for (double kl_step : {0.02, 0.1, 0.5}) {
    const double target = kl_step * T;  // cbfinn/gps: the per-step bound times T
    const KlStepResult r = kl_constrained_update(dyn, cost, p_old, x0, S0, target, 1.0);
    MESSAGE("kl_step " << kl_step << ": eta " << r.eta << ", KL " << r.kl << " (target " << target << "), "
                       << r.iterations << " backward passes, expected cost " << expected_cost(cost, r.marginals)
                       << " (old " << old_cost << ")");
    CHECK(r.solved);
    CHECK(r.converged);
    CHECK(std::abs(r.kl - target) < 0.1 * target);
    CHECK(r.eta < prev_eta);
    CHECK(r.kl > prev_kl);
    // The KL is the one of the returned controller, and a larger step buys a lower cost.
    CHECK(trajectory_kl(r.marginals, r.controller, p_old) == doctest::Approx(r.kl).epsilon(1e-12));
    const double c = expected_cost(cost, r.marginals);
    CHECK(c < prev_cost);
    prev_eta = r.eta, prev_kl = r.kl, prev_cost = c;
  }
}

TEST_CASE("eta -> infinity returns the old controller; eta -> 0 the LQR optimum (Riccati)") {
  Rng rng(11);
  const int T = 15;
  const LocalLinearModel dyn = gps_point_mass_model(T);
  const QuadraticTrajectoryCost cost = gps_quadratic_cost(T);
  const LinearGaussianController old = gps_random_controller(T, 2, 1, rng);
  const auto same = kl_lqr_backward(dyn, cost, old, 1e16);
  REQUIRE(same);
  for (int t = 0; t < T; ++t) {
    CHECK(relative_error(same->K[t], old.K[t]) < 1e-9);
    CHECK(relative_error(same->k[t], old.k[t]) < 1e-9);
    CHECK(relative_error(same->cov[t], old.cov[t]) < 1e-9);
  }
  // Riccati for sum_t 1/2 x'Qx + 1/2 u'Ru over t < T (no final cost), written out here:
  // P_T = 0, K_t = -(R + B'PB)^-1 B'PA, P_t = Q + A'PA + A'PB K_t.
  Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(2, 2), R(1, 1), P = Eigen::MatrixXd::Zero(2, 2);
  Q.diagonal() << 1, 0.1;
  R << 0.01;
  const auto lqr = kl_lqr_backward(dyn, cost, old, 1e-10);
  REQUIRE(lqr);
  for (int t = T - 1; t >= 0; --t) {
    const Eigen::MatrixXd& A = dyn.A[t];
    const Eigen::MatrixXd& B = dyn.B[t];
    const Eigen::MatrixXd K = -(R + B.transpose() * P * B).inverse() * B.transpose() * P * A;
    P = Q + A.transpose() * P * A + A.transpose() * P * B * K;
    CAPTURE(t);
    CHECK((lqr->K[t] - K).norm() < 1e-6 * std::max(1.0, K.norm()));
    CHECK(lqr->k[t].norm() < 1e-6);  // no linear cost term, no offset: the LQR has none
    // C = Quu^-1 of the cost / eta: eta (R + B'PB)^-1.
    CHECK(lqr->cov[t](0, 0) == doctest::Approx(1e-10 / (R + B.transpose() * P * B)(0, 0)).epsilon(1e-6));
  }
}

TEST_CASE("the sample cost expansion is exact for a quadratic reward of (s, a, s') on a linear system") {
  // r = -(s'Qs' + a'Ra + s'Ns) with a cross term between the state before and after.
  // Its derivatives in closed form, so the check is of the expansion's algebra (the default
  // finite differences of finite differences leave about 1e-4 in a Hessian entry).
  class QuadraticReward : public DifferentiableReward {
   public:
    double reward(const Vec& s, const Vec& a, const Vec& s2) const override {
      return -(s2[0] * s2[0] + 0.5 * s2[1] * s2[1] + 0.1 * a[0] * a[0] + 0.3 * s[0] * s2[1] + 2 * s2[0]);
    }
    RewardGradient gradient(const Vec& s, const Vec& a, const Vec& s2) const override {
      RewardGradient g;
      g.r = reward(s, a, s2);
      g.rs = Vec{{-0.3 * s2[1], 0.0}};
      g.ra = Vec{{-0.2 * a[0]}};
      g.rn = Vec{{-2 * s2[0] - 2, -s2[1] - 0.3 * s[0]}};
      return g;
    }
    Eigen::MatrixXd hessian(const Vec&, const Vec&, const Vec&) const override {
      Eigen::MatrixXd H = Eigen::MatrixXd::Zero(5, 5);  // z = [s0, s1, a, s2_0, s2_1]
      H(2, 2) = -0.2;
      H(3, 3) = -2;
      H(4, 4) = -1;
      H(0, 4) = H(4, 0) = -0.3;
      return H;
    }
  };
  Rng rng(3);
  const int T = 4, n = 2, m = 1;
  LocalLinearModel dyn = gps_random_dynamics(T, n, m, rng, 0.01);
  std::vector<std::vector<Vec>> X(3), U(3);
  for (int i = 0; i < 3; ++i) {
    X[i].push_back(gps_random_vec(n, rng));
    for (int t = 0; t < T; ++t) {
      U[i].push_back(gps_random_vec(m, rng));
      X[i].push_back(dyn.A[t] * X[i][t] + dyn.B[t] * U[i][t] + dyn.c[t]);
    }
  }
  const QuadraticReward r;
  const QuadraticTrajectoryCost cost = expand_sample_costs(r, dyn, X, U);
  for (int t = 0; t < T; ++t)
    for (int k = 0; k < 5; ++k) {
      const Vec x = gps_random_vec(n, rng, 2), u = gps_random_vec(m, rng, 2);
      Vec y(n + m);
      y << x, u;
      const double truth = -r.reward(x, u, dyn.A[t] * x + dyn.B[t] * u + dyn.c[t]);
      CHECK(cost.value(t, y) == doctest::Approx(truth).epsilon(1e-12));
    }
}

TEST_CASE("the local dynamics fit with the GMM prior recovers a linear system from 5 rollouts") {
  Rng rng(5);
  const int T = 30, n = 3, m = 2;
  // One linear system at every step: the mixture over all steps' transitions then knows it.
  LocalLinearModel truth = gps_random_dynamics(1, n, m, rng, 0.01);
  for (int t = 1; t < T; ++t) {
    truth.A.push_back(truth.A[0]);
    truth.B.push_back(truth.B[0]);
    truth.c.push_back(truth.c[0]);
    truth.noise_cov.push_back(truth.noise_cov[0]);
  }
  auto rollouts = [&](int N, std::vector<std::vector<Vec>>& X, std::vector<std::vector<Vec>>& U) {
    for (int i = 0; i < N; ++i) {
      std::vector<Vec> x{gps_random_vec(n, rng, 0.1)}, u;
      for (int t = 0; t < T; ++t) {
        u.push_back(gps_random_vec(m, rng, 0.3));
        x.push_back(truth.A[t] * x[t] + truth.B[t] * u[t] + truth.c[t]);  // noise-free
      }
      X.push_back(x);
      U.push_back(u);
    }
  };
  std::vector<std::vector<Vec>> X, U, X5, U5;
  rollouts(20, X, U);
  rollouts(5, X5, U5);
  GmmPriorConfig cfg;
  cfg.min_samples_per_cluster = 40;
  DynamicsPriorGmm prior(cfg);
  Rng em(1);
  prior.update(X, U, em);
  CHECK(prior.fitted());
  CHECK(prior.clusters() == 15);  // 600 points / 40 per cluster
  const LocalLinearModel fit = fit_dynamics_with_prior(X5, U5, prior, 1e-6);
  double worst = 0;
  for (int t = 0; t < T; ++t) {
    Eigen::MatrixXd W(n, n + m + 1), W0(n, n + m + 1);
    W << fit.A[t], fit.B[t], fit.c[t];
    W0 << truth.A[t], truth.B[t], truth.c[t];
    worst = std::max(worst, (W - W0).cwiseAbs().maxCoeff());
  }
  // Without a prior the fit of 5 points in 6 unknowns per row is underdetermined.
  const LocalLinearModel ridge = fit_local_linear(X5, U5, 1e-6);
  double worst_ridge = 0;
  for (int t = 0; t < T; ++t) {
    Eigen::MatrixXd W(n, n + m + 1), W0(n, n + m + 1);
    W << ridge.A[t], ridge.B[t], ridge.c[t];
    W0 << truth.A[t], truth.B[t], truth.c[t];
    worst_ridge = std::max(worst_ridge, (W - W0).cwiseAbs().maxCoeff());
  }
  MESSAGE("largest error of [A B c] over the steps: " << worst << " with the prior, " << worst_ridge << " without");
  CHECK(worst < 3e-3);
  CHECK(worst_ridge > 0.1);
}

TEST_CASE("a linear policy's linearisation is the policy, by regression and by Jacobians") {
  Rng rng(9);
  const int T = 5, n = 3, m = 2, N = 12;
  std::vector<Eigen::MatrixXd> K;
  std::vector<Vec> k;
  for (int t = 0; t < T; ++t) K.push_back(gps_random_matrix(m, n, rng)), k.push_back(gps_random_vec(m, rng));
  std::vector<std::vector<Vec>> X(N), mu(N);
  std::vector<std::vector<Eigen::MatrixXd>> J(N);
  for (int i = 0; i < N; ++i)
    for (int t = 0; t < T; ++t) {
      X[i].push_back(gps_random_vec(n, rng));
      mu[i].push_back(K[t] * X[i][t] + k[t]);
      J[i].push_back(K[t]);
    }
  const Vec var = Vec::Constant(m, 0.05);
  const LinearGaussianController reg = linearize_policy(X, mu, var, T);
  const LinearGaussianController jac = linearize_policy_jacobian(X, mu, J, var, T);
  for (int t = 0; t < T; ++t) {
    CHECK(relative_error(reg.K[t], K[t]) < 1e-4);  // the weak prior (1e-4) shrinks a little
    CHECK(relative_error(reg.k[t], k[t]) < 1e-4);
    CHECK(relative_error(jac.K[t], K[t]) < 1e-12);
    CHECK(relative_error(jac.k[t], k[t]) < 1e-12);
    CHECK(relative_error(jac.cov[t], Eigen::MatrixXd(var.asDiagonal())) < 1e-12);
  }
}

TEST_CASE("the S-step fits the global policy to precision-weighted targets") {
  Rng rng(13);
  GlobalPolicyConfig cfg;
  cfg.iterations = 3000;
  Rng init(1);
  GlobalPolicy pi(cfg, 2, 1, init);
  PolicyRegressionData d;
  for (int i = 0; i < 400; ++i) {
    const Vec o = gps_random_vec(2, rng, 2.0) + Vec::Constant(2, 5.0);  // off-centre: the whitening's job
    d.obs.push_back(o);
    d.target_mean.push_back(Vec::Constant(1, 0.5 * (o[0] - 5) - 0.25 * (o[1] - 5)));
    // Half the targets are 100 times as precise: they must be fitted 10 times as closely.
    d.target_precision.push_back(Eigen::MatrixXd::Constant(1, 1, i % 2 ? 100.0 : 1.0));
  }
  Rng order(2);
  pi.begin_fit(d, order);
  CHECK(pi.fitting());
  int ticks = 0;
  while (!pi.train(500)) ++ticks;
  CHECK(ticks == 5);
  double err = 0, spread = 0;
  const Eigen::MatrixXd a = pi.means(d.obs);
  for (size_t i = 0; i < d.obs.size(); ++i) {
    err += std::pow(a(long(i), 0) - d.target_mean[i][0], 2);
    spread += std::pow(d.target_mean[i][0], 2);
  }
  MESSAGE("S-step: rms error " << std::sqrt(err / d.obs.size()) << " of rms target " << std::sqrt(spread / d.obs.size()));
  CHECK(err < 0.01 * spread);
  // The variance is the inverse of the mean precision.
  CHECK(pi.variance()[0] == doctest::Approx(1 / 50.5));
  // Jacobians through the whitening: d mu / d o of the linear target.
  const auto Jac = pi.jacobians({Vec::Constant(2, 5.0)});
  CHECK(Jac[0](0, 0) == doctest::Approx(0.5).epsilon(0.1));
  CHECK(Jac[0](0, 1) == doctest::Approx(-0.25).epsilon(0.1));
}

namespace {

std::unique_ptr<Experiment> gps_make(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("gps_point_mass", sets), env_registry());
}

const GpsAgent& gps_agent(const Experiment& e) {
  return dynamic_cast<const GpsAgent&>(dynamic_cast<const EpisodicExperiment&>(e).agent());
}

std::string gps_output(const Experiment& e, const std::string& file, const std::string& tag) {
  const auto dir = temp_dir("gps_out_" + tag);
  e.write_outputs(dir);
  const std::string s = read_file(dir / file);
  std::filesystem::remove_all(dir);
  return s;
}

}  // namespace

TEST_CASE("gps: one iteration's episodes, think ticks, outputs and view") {
  // Two iterations of 2 conditions x (3 samples + 1 policy rollout), a short S-step.
  auto e = gps_make({"episodes=16", "gps.samples=3", "gps.policy.iterations=300", "gps.policy.steps_per_tick=100"});
  int thinks = 0;
  auto& ee = dynamic_cast<EpisodicExperiment&>(*e);
  while (!e->finished()) {
    thinks += ee.agent().thinking();
    e->tick();
  }
  std::vector<Vec> starts;
  for (const auto& tr : ee.trajectories()) starts.push_back(tr.observation(0));
  // Per iteration: 2 fits, the C-step, 3 S-step ticks; the first also 3 catch-up ticks.
  CHECK(thinks == (2 + 3 + 1 + 3) + (2 + 1 + 3));
  REQUIRE(starts.size() == 16);
  // Each condition starts from the same state every time (3 samples then the policy's rollout).
  for (int it = 0; it < 2; ++it)
    for (int s = 0; s < 8; ++s) {
      const int cond = s < 6 ? s / 3 : s - 6;
      CHECK(starts[size_t(it * 8 + s)] == starts[size_t(cond * 3)]);
    }
  CHECK(starts[0] != starts[3]);
  const auto rows = csv_cells(gps_output(*e, "gps_iterations.csv", "one"));
  REQUIRE(rows.size() == 1 + 4);
  CHECK(rows[0] == std::vector<std::string>{"run", "iteration", "condition", "local_cost", "global_cost", "kl", "kl_target",
                                            "eta", "step_mult", "predicted_improvement", "actual_improvement",
                                            "final_distance", "global_final_distance"});
  CHECK(rows[1][9] == "nan");  // no step adjustment at the first iteration
  CHECK(rows[3][9] != "nan");
  for (size_t r = 1; r < rows.size(); ++r) {
    CHECK(std::stod(rows[r][6]) == doctest::Approx(0.2 * 100 * std::stod(rows[r][8])));  // kl_step * mult * T
    CHECK(std::abs(std::stod(rows[r][5]) - std::stod(rows[r][6])) < 0.1 * std::stod(rows[r][6]));
  }
  const auto metrics = csv_cells(gps_output(*e, "metrics.csv", "one_metrics"));
  REQUIRE(metrics.size() == 1 + 16);
  CHECK(metrics[0].back() == "final_distance");
  // Episode 7: iteration 0, condition 1, the global policy's rollout.
  CHECK(metrics[8][1] == "7");
  CHECK(metrics[8][6] == "0");
  CHECK(metrics[8][7] == "1");
  CHECK(metrics[8][8] == "1");
  CHECK(metrics[1][8] == "0");
  // The view: two iterations, each condition with its samples, nominal and the policy's rollout.
  const auto snap = e->snapshot();
  REQUIRE(snap->local_controllers);
  const LocalControllerView& v = *snap->local_controllers;
  REQUIRE(v.iterations.size() == 2);
  CHECK(v.horizon == 100);
  for (const auto& it : v.iterations)
    for (const auto& c : it->conditions) {
      CHECK(c.samples.size() == 3);
      CHECK(c.samples[0].size() == 101);
      CHECK(c.nominal.size() == 101);
      CHECK(c.policy_rollout.size() == 101);
      CHECK(std::isfinite(c.policy_cost));
    }
  bool has_cost_figure = false;
  for (const auto& f : snap->figures) has_cost_figure |= f.id == "gps_cost";
  CHECK(has_cost_figure);
}

TEST_CASE("gps: a session saved inside an S-step (and one inside an episode) continues bit-identically") {
  const std::vector<std::string> sets = {"episodes=16", "gps.samples=3", "gps.policy.iterations=300",
                                         "gps.policy.steps_per_tick=100", "runs=2"};
  for (int save_at : {0, 1}) {
    CAPTURE(save_at);
    auto a = gps_make(sets);
    auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
    if (save_at == 0) {  // run 1, iteration 1, in the S-step (after its first chunk)
      while (!(ea.clock().run == 1 && gps_agent(*a).algorithm().iteration() == 1 &&
               gps_agent(*a).algorithm().policy().fitting() && gps_agent(*a).algorithm().phase_name() == "s-step" &&
               gps_agent(*a).algorithm().policy().fits() == 3) &&
             a->tick()) {
      }
      REQUIRE(gps_agent(*a).algorithm().phase_name() == "s-step");
      a->tick();  // one chunk in
    } else {  // run 1, 40 steps into a sample of iteration 1
      while (!(ea.clock().run == 1 && gps_agent(*a).algorithm().iteration() == 1 && ea.clock().episode_steps == 40) && a->tick()) {
      }
    }
    REQUIRE(ea.clock().run == 1);
    const auto dir = temp_dir("gps_session");
    save_session(*a, dir / "session");
    auto b = load_session(dir / "session", env_registry());
    CHECK(gps_output(*a, "gps_iterations.csv", "sa") == gps_output(*b, "gps_iterations.csv", "sb"));
    while (a->tick()) REQUIRE(b->tick());
    CHECK(!b->tick());
    CHECK(gps_output(*a, "gps_iterations.csv", "ea") == gps_output(*b, "gps_iterations.csv", "eb"));
    CHECK(gps_output(*a, "metrics.csv", "ma") == gps_output(*b, "metrics.csv", "mb"));
    CHECK(gps_output(*a, "trajectories.csv", "ta") == gps_output(*b, "trajectories.csv", "tb"));
    // Both runs' rows are there.
    const auto rows = csv_cells(gps_output(*b, "gps_iterations.csv", "rows"));
    CHECK(rows.size() == 1 + 2 * 4);
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("gps: the same seed gives the same outputs; another seed others") {
  const std::vector<std::string> sets = {"episodes=8", "gps.samples=3", "gps.policy.iterations=200"};
  auto a = gps_make(sets), b = gps_make(sets);
  a->run_to_end();
  b->run_to_end();
  CHECK(gps_output(*a, "gps_iterations.csv", "da") == gps_output(*b, "gps_iterations.csv", "db"));
  CHECK(gps_output(*a, "trajectories.csv", "ta") == gps_output(*b, "trajectories.csv", "tb"));
  auto c = make_experiment(load_experiment("gps_point_mass", {"episodes=8", "gps.samples=3", "gps.policy.iterations=200", "seed=1"}),
                           env_registry());
  c->run_to_end();
  CHECK(gps_output(*a, "gps_iterations.csv", "dc1") != gps_output(*c, "gps_iterations.csv", "dc2"));
}

TEST_CASE("gps: bad config is a one-line error naming the key") {
  const std::string dims = error_of([] { gps_make({"gps.distance_dims=[2]"}); });
  CHECK(dims.find("gps.distance_dims") != std::string::npos);
  CHECK(dims.find('\n') == std::string::npos);
  const std::string samples = error_of([] { gps_make({"gps.samples=1"}); });
  CHECK(samples.find("gps.samples") != std::string::npos);
  const std::string mult = error_of([] { gps_make({"gps.min_step_mult=20"}); });
  CHECK(mult.find("gps.min_step_mult") != std::string::npos);
  const std::string act = error_of([] { gps_make({"gps.policy.activation=\"sigmoid\""}); });
  CHECK(act.find("gps.policy.activation") != std::string::npos);
  const std::string prior = error_of([] { gps_make({"gps.dynamics.prior=\"nn\""}); });
  CHECK(prior.find("gps.dynamics.prior") != std::string::npos);
  // An env without a bounded box action space.
  const std::string env = error_of([] { gps_make({"env={\"name\": \"grid_world\"}"}); });
  CHECK(env.find("env.name") != std::string::npos);
  CHECK(env.find('\n') == std::string::npos);
}

// Issue 18's outcomes on seeds 0, 1, 2 (the presets to their end: about 16 s for the six runs in
// a Release build; skipped under the sanitizers):
//  - gps_reacher (5 rollouts of 100 steps per iteration, 10 iterations): the global policy's
//    noise-free rollout ends with the tip within 0.1 m of the target by the 8th iteration
//    (iteration index <= 7; cbfinn/gps's Box2D arm example "gets there after around 6
//    iterations", its docs/index.md) and is still within 0.1 m at the last;
//  - gps_point_mass (2 starts, 8 iterations): "at the goal" by the 6th iteration (index <= 5),
//    meaning the global policy's rollout from every start ends with |position| < 0.05 m
//    (cbfinn/gps's point mass "should start reaching the visualized goal by around the 4th
//    iteration"), and still at the last.
// The local controllers' noisy samples are reported, not checked (their action noise alone
// moves the final state by centimetres).

namespace {

struct GpsOutcome {
  int first_global = -1, first_local = -1;  // first iteration where every condition is within
  bool global_at_end = false;
  std::string curve;                        // per iteration: the worst condition, global / local
};

GpsOutcome gps_outcome(const std::string& preset, int seed, double within) {
  auto e = make_experiment(load_experiment(preset, {"seed=" + std::to_string(seed)}), env_registry());
  e->run_to_end();
  const auto dir = temp_dir("reference_gps_" + preset + std::to_string(seed));
  e->write_outputs(dir);
  const auto rows = csv_cells(read_file(dir / "gps_iterations.csv"));
  std::filesystem::remove_all(dir);
  REQUIRE(rows.size() > 1);
  REQUIRE(rows[0][1] == "iteration");
  REQUIRE(rows[0][11] == "final_distance");
  REQUIRE(rows[0][12] == "global_final_distance");
  GpsOutcome out;
  std::ostringstream curve;
  const int last = std::stoi(rows.back()[1]);
  for (int it = 0; it <= last; ++it) {
    double worst_global = 0, worst_local = 0;
    for (size_t r = 1; r < rows.size(); ++r)
      if (std::stoi(rows[r][1]) == it) {
        worst_local = std::max(worst_local, std::stod(rows[r][11]));
        worst_global = std::max(worst_global, std::stod(rows[r][12]));
      }
    if (out.first_global < 0 && worst_global < within) out.first_global = it;
    if (out.first_local < 0 && worst_local < within) out.first_local = it;
    if (it == last) out.global_at_end = worst_global < within;
    curve << " " << std::round(worst_global * 1000) / 1000 << "/" << std::round(worst_local * 1000) / 1000;
  }
  out.curve = curve.str();
  return out;
}

void check_gps_outcome(const std::string& preset, double within, int by_iteration) {
  for (int seed = 0; seed < 3; ++seed) {
    const GpsOutcome o = gps_outcome(preset, seed, within);
    MESSAGE(preset << " seed " << seed << ": global policy within " << within << " from iteration " << o.first_global
                   << ", local samples from " << o.first_local << "; worst final distance global/local per iteration:"
                   << o.curve);
    CHECK(o.first_global >= 0);
    CHECK(o.first_global <= by_iteration);
    CHECK(o.global_at_end);
  }
}

}  // namespace

TEST_CASE("gps_reacher: the tip within 0.1 m of the target by the 8th iteration, on seeds 0-2" *
          doctest::skip(test::kSanitized)) {
  check_gps_outcome("gps_reacher", 0.1, 7);
}

TEST_CASE("gps_point_mass: at the goal (|position| < 0.05 m) by the 6th iteration, on seeds 0-2" *
          doctest::skip(test::kSanitized)) {
  check_gps_outcome("gps_point_mass", 0.05, 5);
}

}  // namespace test_gps
