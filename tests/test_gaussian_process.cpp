// The Gaussian-process dynamics model (core/models/gp/): the SE-ARD kernel, the exact GP's
// posterior and marginal likelihood against hand-computed values, the hyperparameter fit, and
// GpDynamics as a LearnedModel on a known system.

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include "core/config.h"
#include "core/dataset.h"
#include "core/models/gp/gaussian_process.h"
#include "core/models/gp/gp_dynamics.h"
#include "core/models/gp/hyperparameter_fit.h"
#include "core/models/gp/moment_matching.h"
#include "core/models/gp/squared_exponential.h"
#include "core/rng.h"
#include "core/session.h"
#include "core/state_visitor.h"
#include "tests/test_util.h"

namespace test_gaussian_process {

using namespace dynalab;
using gp::GaussianProcess;

namespace {

Eigen::VectorXd log_params(std::initializer_list<double> ell, double sf, double sn) {
  Eigen::VectorXd t(int(ell.size()) + 2);
  int k = 0;
  for (double e : ell) t[k++] = std::log(e);
  t[k++] = std::log(sf);
  t[k] = std::log(sn);
  return t;
}

/// The inverse of a 3x3 matrix by the adjugate (cofactor) formula, and its determinant.
Eigen::Matrix3d inverse3(const Eigen::Matrix3d& a, double& det) {
  Eigen::Matrix3d c;  // cofactors
  c(0, 0) = a(1, 1) * a(2, 2) - a(1, 2) * a(2, 1);
  c(0, 1) = -(a(1, 0) * a(2, 2) - a(1, 2) * a(2, 0));
  c(0, 2) = a(1, 0) * a(2, 1) - a(1, 1) * a(2, 0);
  c(1, 0) = -(a(0, 1) * a(2, 2) - a(0, 2) * a(2, 1));
  c(1, 1) = a(0, 0) * a(2, 2) - a(0, 2) * a(2, 0);
  c(1, 2) = -(a(0, 0) * a(2, 1) - a(0, 1) * a(2, 0));
  c(2, 0) = a(0, 1) * a(1, 2) - a(0, 2) * a(1, 1);
  c(2, 1) = -(a(0, 0) * a(1, 2) - a(0, 2) * a(1, 0));
  c(2, 2) = a(0, 0) * a(1, 1) - a(0, 1) * a(1, 0);
  det = a(0, 0) * c(0, 0) + a(0, 1) * c(0, 1) + a(0, 2) * c(0, 2);
  return c.transpose() / det;
}

/// Central differences of the log marginal likelihood in each log hyperparameter.
Eigen::VectorXd lml_central_differences(GaussianProcess gp, double h = 1e-5) {
  const Eigen::VectorXd t0 = gp.params();
  Eigen::VectorXd g(t0.size());
  for (Eigen::Index j = 0; j < t0.size(); ++j) {
    Eigen::VectorXd tp = t0, tm = t0;
    tp[j] += h;
    tm[j] -= h;
    gp.set_params(tp);
    const double fp = gp.log_marginal_likelihood();
    gp.set_params(tm);
    const double fm = gp.log_marginal_likelihood();
    g[j] = (fp - fm) / (2 * h);
  }
  return g;
}

void check_gradient(const GaussianProcess& gp) {
  const Eigen::VectorXd g = gp.log_marginal_likelihood_gradient();
  const Eigen::VectorXd fd = lml_central_differences(gp);
  for (Eigen::Index j = 0; j < g.size(); ++j) {
    CAPTURE(j);
    CAPTURE(g[j]);
    CAPTURE(fd[j]);
    CHECK(std::abs(g[j] - fd[j]) <= 1e-6 * std::max(std::abs(fd[j]), 1e-2));
  }
}

/// n points of a function of one input on [lo, hi] (uniform draws), with N(0, noise^2) added.
template <class F>
void sample_1d(int n, double lo, double hi, F f, double noise, uint64_t seed, Eigen::MatrixXd& X,
               Eigen::VectorXd& y) {
  Rng rng(seed);
  X.resize(n, 1);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    X(i, 0) = rng.uniform(lo, hi);
    y[i] = f(X(i, 0)) + noise * rng.normal();
  }
}

// The known system of the GpDynamics tests: s = [theta, omega], a in [-1, 1],
// s' - s = [0.1 omega, 0.1 (a - sin theta)], reward -theta^2; N(0, 1e-3^2) noise on s'.
Transition known_step(double th, double om, double a, Rng& rng) {
  Transition t;
  t.obs = Vec(2);
  t.obs << th, om;
  t.action = Vec::Constant(1, a);
  t.next_obs = Vec(2);
  t.next_obs << th + 0.1 * om + 1e-3 * rng.normal(), om + 0.1 * (a - std::sin(th)) + 1e-3 * rng.normal();
  t.reward = -th * th;
  return t;
}

Dataset known_system_data(int n, uint64_t seed) {
  Dataset d(2, 1);
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    const double th = rng.uniform(-2, 2), om = rng.uniform(-2, 2), a = rng.uniform(-1, 1);
    d.add(known_step(th, om, a, rng));
  }
  return d;
}

ModelConfig gp_config(bool reward = true) {
  ModelConfig c;
  c.type = "gp";
  c.learn_reward = reward;
  c.gp.optimizer_iterations = 60;
  c.gp.iterations_per_epoch = 10;
  return c;
}

EpochStats fit(GpDynamics& m, const Dataset& d, uint64_t seed) {
  Rng rng(seed);
  m.begin_training(d, rng);
  EpochStats s;
  for (int guard = 0; guard < 1000 && !m.training_done(); ++guard) s = m.train_epoch(rng);
  return s;
}

RowMatrixXf rows_of(const std::vector<std::array<float, 3>>& xs, RowMatrixXf& act) {
  RowMatrixXf obs(xs.size(), 2);
  act.resize(xs.size(), 1);
  for (size_t i = 0; i < xs.size(); ++i) {
    obs(i, 0) = xs[i][0];
    obs(i, 1) = xs[i][1];
    act(i, 0) = xs[i][2];
  }
  return obs;
}

}  // namespace

TEST_CASE("the SE-ARD kernel: values, cross-covariance and dK/dtheta against finite differences") {
  gp::SquaredExponential k(2);
  k.set_params(log_params({0.5, 2.0}, 1.5, 0.1));
  Eigen::Vector2d a(0.3, -1.0), b(-0.2, 0.5);
  const double r2 = std::pow(0.5 / 0.5, 2) + std::pow(1.5 / 2.0, 2);
  CHECK(k(a, b) == doctest::Approx(2.25 * std::exp(-0.5 * r2)).epsilon(1e-14));
  Eigen::MatrixXd X(3, 2);
  X << 0.3, -1.0, -0.2, 0.5, 1.0, 1.0;
  const Eigen::MatrixXd K = k.gram(X);
  CHECK(K(0, 1) == doctest::Approx(k(a, b)).epsilon(1e-14));
  CHECK(K(2, 2) == doctest::Approx(2.25).epsilon(1e-14));
  CHECK((K - K.transpose()).norm() == 0.0);
  CHECK((k.cross(X.topRows(1), X) - K.topRows(1)).norm() < 1e-15);
  // dK/dtheta_j of K + sn^2 I by central differences.
  for (int j = 0; j < k.num_params(); ++j) {
    CAPTURE(j);
    const Eigen::MatrixXd dK = k.gram_derivative(X, K, j);
    gp::SquaredExponential kp = k, km = k;
    Eigen::VectorXd tp = k.params(), tm = k.params();
    tp[j] += 1e-6;
    tm[j] -= 1e-6;
    kp.set_params(tp);
    km.set_params(tm);
    Eigen::MatrixXd Kp = kp.gram(X), Km = km.gram(X);
    Kp.diagonal().array() += kp.noise_variance();
    Km.diagonal().array() += km.noise_variance();
    CHECK(((Kp - Km) / 2e-6 - dK).cwiseAbs().maxCoeff() < 1e-8);
  }
}

TEST_CASE("posterior mean, variance and log marginal likelihood on three points equal the "
          "hand-computed values") {
  // ell 0.8, sf 1.3, sn 0.2; data (0, 0.5), (1, -0.3), (2.5, 1.1); test input 0.7.
  const double ell = 0.8, sf = 1.3, sn = 0.2, xs = 0.7;
  const double x[3] = {0.0, 1.0, 2.5}, y[3] = {0.5, -0.3, 1.1};
  auto k = [&](double a, double b) { return sf * sf * std::exp(-(a - b) * (a - b) / (2 * ell * ell)); };
  Eigen::Matrix3d Ky;
  Eigen::Vector3d ks, yv(y[0], y[1], y[2]);
  for (int i = 0; i < 3; ++i) {
    ks[i] = k(x[i], xs);
    for (int j = 0; j < 3; ++j) Ky(i, j) = k(x[i], x[j]) + (i == j ? sn * sn : 0.0);
  }
  double det = 0;
  const Eigen::Matrix3d Kinv = inverse3(Ky, det);
  const double mean = ks.dot(Kinv * yv);
  const double var = sf * sf - ks.dot(Kinv * ks);
  const double lml = -0.5 * yv.dot(Kinv * yv) - 0.5 * std::log(det) - 1.5 * std::log(2 * std::numbers::pi);

  GaussianProcess gp(1);
  gp.set_params(log_params({ell}, sf, sn));
  Eigen::MatrixXd X(3, 1);
  X << x[0], x[1], x[2];
  gp.set_data(X, yv);
  CHECK(gp.jitter() == 0.0);
  Eigen::VectorXd mu, lv;
  gp.predict(Eigen::MatrixXd::Constant(1, 1, xs), mu, lv);
  CHECK(std::abs(mu[0] - mean) < 1e-10);
  CHECK(std::abs(lv[0] - var) < 1e-10);
  CHECK(std::abs(gp.predict_mean(Eigen::VectorXd::Constant(1, xs)) - mean) < 1e-10);
  CHECK(std::abs(gp.log_marginal_likelihood() - lml) < 1e-10);
  // The noisy-y variance adds sn^2; far from the data the latent variance returns to sf^2.
  gp.predict(Eigen::MatrixXd::Constant(1, 1, 50.0), mu, lv);
  CHECK(std::abs(lv[0] - sf * sf) < 1e-12);
  CHECK(std::abs(mu[0]) < 1e-12);
  // The joint posterior covariance's diagonal is the latent variance.
  const Eigen::MatrixXd C = gp.posterior_covariance(Eigen::MatrixXd::Constant(1, 1, xs));
  CHECK(std::abs(C(0, 0) - var) < 1e-10);
  // d mean / dx by the hand formula sum_i alpha_i k(x*, x_i) (x_i - x*) / ell^2.
  const Eigen::Vector3d alpha = Kinv * yv;
  double dmu = 0;
  for (int i = 0; i < 3; ++i) dmu += alpha[i] * ks[i] * (x[i] - xs) / (ell * ell);
  CHECK(std::abs(gp.mean_gradient(Eigen::VectorXd::Constant(1, xs))[0] - dmu) < 1e-10);
  check_gradient(gp);
}

TEST_CASE("the marginal-likelihood gradient matches central differences on a random 2-D set, "
          "and the kernel's dK/dtheta gives the same trace formula") {
  Rng rng(3);
  const int n = 25;
  Eigen::MatrixXd X(n, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    X(i, 0) = rng.uniform(-2, 2);
    X(i, 1) = rng.uniform(-1, 3);
    y[i] = std::sin(X(i, 0)) * X(i, 1) + 0.1 * rng.normal();
  }
  GaussianProcess gp(2);
  gp.set_params(log_params({0.9, 1.7}, 1.2, 0.3));
  gp.set_data(X, y);
  check_gradient(gp);
  // 1/2 tr((alpha alpha^T - K^-1) dK/dtheta_j) with the explicit dK.
  const Eigen::MatrixXd K = gp.kernel().gram(X);
  Eigen::MatrixXd Ky = K;
  Ky.diagonal().array() += gp.kernel().noise_variance();
  const Eigen::MatrixXd W = gp.alpha() * gp.alpha().transpose() - Ky.inverse();
  const Eigen::VectorXd g = gp.log_marginal_likelihood_gradient();
  for (int j = 0; j < 4; ++j)
    CHECK(std::abs(0.5 * (W * gp.kernel().gram_derivative(X, K, j)).trace() - g[j]) <
          1e-9 * std::max(1.0, std::abs(g[j])));
}

TEST_CASE("posterior function samples: mean and spread of the joint draws match the posterior") {
  Eigen::MatrixXd X(3, 1);
  X << -1, 0, 1.5;
  Eigen::VectorXd y(3);
  y << 0.2, -0.4, 0.9;
  GaussianProcess gp(1);
  gp.set_params(log_params({0.7}, 1.0, 0.05));
  gp.set_data(X, y);
  Eigen::MatrixXd Xs(4, 1);
  Xs << -1, 0.5, 3, 6;
  Rng rng(11);
  const int S = 4000;
  const Eigen::MatrixXd s = gp.sample_posterior(Xs, S, rng);
  REQUIRE(s.rows() == S);
  REQUIRE(s.cols() == 4);
  Eigen::VectorXd mu, var;
  gp.predict(Xs, mu, var);
  const Eigen::RowVectorXd m = s.colwise().mean();
  const Eigen::RowVectorXd v = (s.rowwise() - m).array().square().colwise().mean();
  for (int i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(std::abs(m[i] - mu[i]) < 4 * std::sqrt(var[i] / S) + 1e-6);
    CHECK(v[i] == doctest::Approx(var[i]).epsilon(0.1));
  }
  // Near a data point the functions agree; far away they spread to the prior.
  CHECK(v[0] < 0.01);
  CHECK(v[3] > 0.8);
  // Same seed, same draws.
  Rng again(11);
  CHECK(gp.sample_posterior(Xs, S, again) == s);
}

TEST_CASE("fitting recovers the length scale of a GP sample and raises the marginal likelihood") {
  // 80 draws of a function sampled from the prior with ell 0.7, sf 1, plus noise sn 0.1.
  const int n = 80;
  Rng rng(5);
  Eigen::MatrixXd X(n, 1);
  for (int i = 0; i < n; ++i) X(i, 0) = rng.uniform(-5, 5);
  GaussianProcess prior(1);
  prior.set_params(log_params({0.7}, 1.0, 0.1));
  Eigen::VectorXd y = prior.sample_posterior(X, 1, rng).row(0).transpose();
  for (int i = 0; i < n; ++i) y[i] += 0.1 * rng.normal();
  GaussianProcess gp(1);
  gp.set_data(X, y);
  gp.set_params(gp::initial_hyperparameters(X, y));
  CHECK(gp.kernel().lengthscale(0) > 2.5);  // std of the inputs: a poor start
  const double lml0 = gp.log_marginal_likelihood();
  gp::FitOptions opt;
  opt.max_iterations = 200;
  const gp::FitResult r = gp::fit_hyperparameters(gp, opt);
  MESSAGE("fit: ell ", gp.kernel().lengthscale(0), ", sf ", std::sqrt(gp.kernel().signal_variance()),
          ", sn ", std::sqrt(gp.kernel().noise_variance()), ", iterations ", r.iterations,
          ", log p ", lml0, " -> ", r.log_likelihood);
  CHECK(r.converged);
  CHECK(r.log_likelihood > lml0 + 10);
  CHECK(r.log_likelihood == doctest::Approx(gp.log_marginal_likelihood()));
  CHECK(gp.kernel().lengthscale(0) > 0.7 / 1.5);
  CHECK(gp.kernel().lengthscale(0) < 0.7 * 1.5);
  CHECK(std::sqrt(gp.kernel().noise_variance()) > 0.1 / 2);
  CHECK(std::sqrt(gp.kernel().noise_variance()) < 0.1 * 2);
  // Deterministic: the same start gives the same hyperparameters, bit for bit.
  GaussianProcess gp2(1);
  gp2.set_data(X, y);
  gp2.set_params(gp::initial_hyperparameters(X, y));
  gp::fit_hyperparameters(gp2, opt);
  CHECK(gp2.params() == gp.params());
}

TEST_CASE("the signal-to-noise curb holds on noise-free data; without it sn falls to the floor") {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  sample_1d(30, -3, 3, [](double x) { return 100 * std::sin(x); }, 0.0, 9, X, y);
  auto snr_after_fit = [&](double max_snr, double& sn2) {
    GaussianProcess gp(1);
    gp.set_data(X, y);
    gp.set_params(gp::initial_hyperparameters(X, y));
    gp::FitOptions opt;
    opt.max_iterations = 300;
    opt.max_signal_to_noise = max_snr;
    gp::fit_hyperparameters(gp, opt);
    sn2 = gp.kernel().noise_variance();
    return std::sqrt(gp.kernel().signal_variance() / sn2);
  };
  double sn2_curbed = 0, sn2_free = 0;
  const double curbed = snr_after_fit(500, sn2_curbed), free = snr_after_fit(1e12, sn2_free);
  MESSAGE("noise-free sine: sf/sn ", curbed, " with the curb at 500, ", free, " without");
  // Soft (hypCurb's power 30): a little beyond 500, far below the uncurbed optimum.
  CHECK(curbed < 2 * 500);
  CHECK(curbed > 500 / 2);
  CHECK(free > 10 * curbed);
  // The floor sn^2 >= 1e-6 holds either way.
  CHECK(sn2_free >= 1e-6);
  CHECK(sn2_curbed >= 1e-6);
}

TEST_CASE("moment matching at a Gaussian input agrees with 1e5-sample Monte Carlo within 1 %") {
  // A 2-D GP (fixed hyperparameters) on 30 points of 1 + sin(x0) + 0.5 x1.
  Rng rng(17);
  const int n = 30;
  Eigen::MatrixXd X(n, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    X(i, 0) = rng.uniform(-2, 2);
    X(i, 1) = rng.uniform(-2, 2);
    y[i] = 1 + std::sin(X(i, 0)) + 0.5 * X(i, 1) + 0.05 * rng.normal();
  }
  GaussianProcess gp(2);
  gp.set_params(log_params({0.9, 1.4}, 1.3, 0.05));
  gp.set_data(X, y);
  Eigen::Vector2d m(0.3, -0.2);
  Eigen::Matrix2d S;
  S << 0.2, 0.05, 0.05, 0.1;
  const gp::GaussianInputPrediction mm = gp::predict_at_gaussian_input(gp, m, S);
  // Monte Carlo: x ~ N(m, S); mean E[mu(x)], variance E[var(x)] + Var[mu(x)].
  const int N = 100000;
  const Eigen::Matrix2d C = S.llt().matrixL();
  Eigen::MatrixXd xs(N, 2);
  for (int s = 0; s < N; ++s) {
    const double e0 = rng.normal(), e1 = rng.normal();
    xs.row(s) = (m + C * Eigen::Vector2d(e0, e1)).transpose();
  }
  Eigen::VectorXd mu, var;
  gp.predict(xs, mu, var);
  const double mc_mean = mu.mean();
  const double mc_var = var.mean() + (mu.array() - mc_mean).square().mean();
  MESSAGE("moment matching: mean ", mm.mean, " (MC ", mc_mean, "), variance ", mm.variance,
          " (MC ", mc_var, ")");
  CHECK(std::abs(mm.mean - mc_mean) < 0.01 * std::abs(mc_mean));
  CHECK(std::abs(mm.variance - mc_var) < 0.01 * mc_var);
  // S = 0: the ordinary posterior at m.
  const gp::GaussianInputPrediction at_m = gp::predict_at_gaussian_input(gp, m, Eigen::Matrix2d::Zero());
  gp.predict(m.transpose(), mu, var);
  CHECK(std::abs(at_m.mean - mu[0]) < 1e-10);
  CHECK(std::abs(at_m.variance - var[0]) < 1e-10);
}

TEST_CASE("GpDynamics learns a known system: accurate held-out deltas, variance that grows away "
          "from the data, analytic input Jacobians") {
  const Dataset train = known_system_data(120, 1);
  GpDynamics m(gp_config(), 2, 1, 0);
  CHECK(m.members() == 1);
  CHECK(m.probabilistic());
  CHECK(m.target_dim() == 3);
  CHECK(m.describe_shape() == "GP per column (3 columns), no data yet, SE-ARD on 3 inputs (reward learned)");
  const EpochStats s = fit(m, train, 2);
  CHECK(s.done);
  CHECK(!s.diverged);
  CHECK(m.describe_shape() == "GP per column (3 columns), 120 of 120 points, SE-ARD on 3 inputs (reward learned)");
  CHECK(m.fit_seconds() > 0);

  // Held-out transitions of the same system (noise-free targets).
  const int nt = 50;
  Rng rng(77);
  RowMatrixXf obs(nt, 2), act(nt, 1);
  Eigen::MatrixXd truth(nt, 3);
  for (int i = 0; i < nt; ++i) {
    const double th = rng.uniform(-1.8, 1.8), om = rng.uniform(-1.8, 1.8), a = rng.uniform(-0.9, 0.9);
    obs(i, 0) = float(th);
    obs(i, 1) = float(om);
    act(i, 0) = float(a);
    truth.row(i) << 0.1 * om, 0.1 * (a - std::sin(th)), -th * th;
  }
  MemberPredictions p;
  m.predict(obs, act, p);
  REQUIRE(p.mean.size() == 1);
  for (int j = 0; j < 3; ++j) {
    const double rmse = std::sqrt((p.mean[0].col(j).cast<double>() - truth.col(j)).squaredNorm() / nt);
    const double spread = std::sqrt((truth.col(j).array() - truth.col(j).mean()).square().mean());
    CAPTURE(j);
    MESSAGE("column ", j, ": held-out RMSE ", rmse, " (target std ", spread, ")");
    CHECK(rmse < 0.01 * spread);
  }
  // predict_member agrees with predict (std = sqrt(var)), on gathered rows too.
  auto ws = m.make_workspace();
  const int rows[3] = {4, 0, 9};
  auto out = m.predict_member(0, obs, act, rows, 3, true, *ws);
  for (int r = 0; r < 3; ++r)
    for (int j = 0; j < 3; ++j) {
      CHECK(out(r, j) == doctest::Approx(p.mean[0](rows[r], j)).epsilon(1e-5));
      CHECK(out(r, 3 + j) == doctest::Approx(std::sqrt(p.var[0](rows[r], j))).epsilon(1e-4));
    }
  // Epistemic + noise = predictive variance; the latent part grows >= 10x far from the data.
  GpLatentPrediction lat;
  m.predict_latent(obs, act, lat);
  CHECK((lat.latent_var.rowwise() + lat.noise_var - p.var[0]).cwiseAbs().maxCoeff() < 1e-6);
  RowMatrixXf far_obs(1, 2), far_act(1, 1);
  far_obs << 8.0f, -8.0f;
  far_act << 3.0f;
  MemberPredictions pf;
  m.predict(far_obs, far_act, pf);
  for (int j = 0; j < 3; ++j) {
    const double near = p.var[0].col(j).cast<double>().mean();
    CAPTURE(j);
    MESSAGE("column ", j, ": variance far ", pf.var[0](0, j), ", near (mean) ", near);
    CHECK(pf.var[0](0, j) >= 10 * near);
  }
  // Posterior function samples in real units: their mean and spread follow predict_latent.
  Rng srng(5);
  const Eigen::MatrixXf fs = m.posterior_samples(1, far_obs, far_act, 400, srng);
  REQUIRE(fs.rows() == 400);
  GpLatentPrediction far_lat;
  m.predict_latent(far_obs, far_act, far_lat);
  const double fmean = fs.col(0).cast<double>().mean();
  const double fsd = std::sqrt((fs.col(0).cast<double>().array() - fmean).square().mean());
  CHECK(std::abs(fmean - far_lat.mean(0, 1)) < 4 * std::sqrt(far_lat.latent_var(0, 1) / 400));
  CHECK(fsd == doctest::Approx(std::sqrt(far_lat.latent_var(0, 1))).epsilon(0.15));
  // The analytic Jacobian against central differences of the predicted mean.
  for (int i = 0; i < 3; ++i) {
    Eigen::VectorXf o = obs.row(i).transpose(), a = act.row(i).transpose();
    Eigen::MatrixXf J;
    REQUIRE(m.input_jacobian(0, o, a, J));
    REQUIRE(J.rows() == 3);
    REQUIRE(J.cols() == 3);
    for (int k = 0; k < 3; ++k) {
      RowMatrixXf op = obs.row(i), om = obs.row(i), ap = act.row(i), am = act.row(i);
      const float h = 1e-2f;
      if (k < 2) {
        op(0, k) += h;
        om(0, k) -= h;
      } else {
        ap(0, 0) += h;
        am(0, 0) -= h;
      }
      MemberPredictions pp, pm;
      m.predict(op, ap, pp);
      m.predict(om, am, pm);
      for (int j = 0; j < 3; ++j) {
        const double fd = (double(pp.mean[0](0, j)) - pm.mean[0](0, j)) / (2 * h);
        CAPTURE(i);
        CAPTURE(j);
        CAPTURE(k);
        CHECK(std::abs(J(j, k) - fd) < 2e-3 * std::max(1.0, std::abs(fd)));
      }
    }
  }
  // The Jacobian of the true system: d(delta omega)/da = 0.1, d(delta theta)/d omega = 0.1.
  Eigen::MatrixXf J;
  m.input_jacobian(0, Eigen::Vector2f(0.3f, -0.5f), Eigen::VectorXf::Constant(1, 0.2f), J);
  CHECK(J(1, 2) == doctest::Approx(0.1).epsilon(0.05));
  CHECK(J(0, 1) == doctest::Approx(0.1).epsilon(0.05));
}

TEST_CASE("GpDynamics training: bounded units, non-increasing loss, subset above max_points, "
          "same seed same model") {
  const Dataset data = known_system_data(260, 4);
  ModelConfig cfg = gp_config(false);
  cfg.gp.max_points = 90;
  cfg.gp.iterations_per_epoch = 3;
  cfg.gp.optimizer_iterations = 12;
  GpDynamics a(cfg, 2, 1, 0);
  Rng ra(21);
  a.begin_training(data, ra);
  REQUIRE(a.subset().size() == 90);
  CHECK(std::is_sorted(a.subset().begin(), a.subset().end()));
  CHECK(std::adjacent_find(a.subset().begin(), a.subset().end()) == a.subset().end());
  CHECK(a.subset().back() < 260);
  CHECK(a.dataset_rows() == 260);
  CHECK(a.column(0).size() == 90);
  CHECK(a.describe_shape() == "GP per column (2 columns), 90 of 260 points, SE-ARD on 3 inputs");
  double prev = std::numeric_limits<double>::infinity();
  int epochs = 0;
  while (!a.training_done()) {
    const EpochStats s = a.train_epoch(ra);
    ++epochs;
    for (int j = 0; j < 2; ++j) CHECK(a.iterations(j) <= 3 * epochs);
    CHECK(s.train_loss <= prev + 1e-12);
    prev = s.train_loss;
    REQUIRE(epochs <= 4);
  }
  for (int j = 0; j < 2; ++j) CHECK(a.iterations(j) <= 12);
  // After done, train_epoch does nothing.
  const Eigen::VectorXd theta = a.column(0).params();
  a.train_epoch(ra);
  CHECK(a.column(0).params() == theta);

  // Same seed and data: identical predictions; another seed picks another subset.
  GpDynamics b(cfg, 2, 1, 0), c(cfg, 2, 1, 0);
  fit(b, data, 21);
  fit(c, data, 22);
  RowMatrixXf act;
  const RowMatrixXf obs = rows_of({{0.1f, 0.2f, 0.3f}, {-1.0f, 1.5f, -0.5f}}, act);
  MemberPredictions pa, pb, pc;
  a.predict(obs, act, pa);
  b.predict(obs, act, pb);
  c.predict(obs, act, pc);
  CHECK(pa.mean[0] == pb.mean[0]);
  CHECK(pa.var[0] == pb.var[0]);
  CHECK(b.subset() != c.subset());
  CHECK(pa.mean[0] != pc.mean[0]);
  // ... at any thread count.
  cfg.threads = 1;
  GpDynamics d(cfg, 2, 1, 0);
  fit(d, data, 21);
  MemberPredictions pd;
  d.predict(obs, act, pd);
  CHECK(pd.mean[0] == pa.mean[0]);
}

TEST_CASE("GpDynamics session state: a loaded model predicts and trains on bit-identically") {
  const Dataset data = known_system_data(140, 6);
  ModelConfig cfg = gp_config(true);
  cfg.gp.max_points = 100;
  cfg.gp.iterations_per_epoch = 4;
  cfg.gp.optimizer_iterations = 16;
  GpDynamics a(cfg, 2, 1, 0);
  Rng ra(3);
  a.begin_training(data, ra);
  a.train_epoch(ra);
  a.train_epoch(ra);
  REQUIRE(!a.training_done());
  const auto dir = test::temp_dir("gp_session");
  const Json state = save_state_json(dir, [&](StateVisitor& v) { a.visit_state(v, data); });
  GpDynamics b(cfg, 2, 1, 0);
  load_state_json(dir, SessionReader(state, "session.json", "state"),
                  [&](StateVisitor& v) { b.visit_state(v, data); });
  CHECK(b.subset() == a.subset());
  CHECK(b.training_done() == a.training_done());
  RowMatrixXf act;
  const RowMatrixXf obs = rows_of({{0.5f, -0.2f, 0.1f}, {1.7f, 1.0f, -0.8f}, {5.0f, 5.0f, 2.0f}}, act);
  MemberPredictions pa, pb;
  a.predict(obs, act, pa);
  b.predict(obs, act, pb);
  CHECK(pa.mean[0] == pb.mean[0]);
  CHECK(pa.var[0] == pb.var[0]);
  Rng rb = ra;
  while (!a.training_done()) a.train_epoch(ra);
  while (!b.training_done()) b.train_epoch(rb);
  a.predict(obs, act, pa);
  b.predict(obs, act, pb);
  CHECK(pa.mean[0] == pb.mean[0]);
  CHECK(pa.var[0] == pb.var[0]);
  for (int j = 0; j < 3; ++j) CHECK(a.column(j).params() == b.column(j).params());
  // A subset index beyond the dataset is an error naming the key.
  Json broken = state;
  broken["subset"].back() = 100000;
  GpDynamics c(cfg, 2, 1, 0);
  const std::string err = test::error_of([&] {
    load_state_json(dir, SessionReader(broken, "session.json", "state"),
                    [&](StateVisitor& v) { c.visit_state(v, data); });
  });
  CHECK(err.find("session.json: state.subset: expected ascending row indices") == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("model.type = gp: built by make_learned_model; learn_termination is rejected") {
  ModelConfig cfg;
  cfg.type = "gp";
  auto m = make_learned_model(cfg, 3, 1, 0);
  CHECK(dynamic_cast<GpDynamics*>(m.get()) != nullptr);
  // An unfitted GP predicts its prior: mean 0, variance sf^2 + sn^2 = 1.01.
  MemberPredictions p;
  m->predict(RowMatrixXf::Zero(1, 3), RowMatrixXf::Zero(1, 1), p);
  CHECK(p.mean[0].cwiseAbs().maxCoeff() == 0.0f);
  CHECK(p.var[0](0, 0) == doctest::Approx(1.01));
  cfg.learn_termination = true;
  CHECK(test::error_of([&] { make_learned_model(cfg, 3, 1, 0); })
            .find("model.learn_termination: expected false with type = gp") == 0);
  ModelConfig read;
  ConfigNode node(Json::parse(R"({"type": "gp", "learn_termination": true})"), "cfg.json");
  const std::string err = test::error_of([&] {
    read.visit(node);
    node.finish();
  });
  CHECK(err.find("cfg.json: learn_termination: expected false with type = gp") == 0);
  // The gp section's fields are range-checked.
  ModelConfig read2;
  ConfigNode node2(Json::parse(R"({"type": "gp", "gp": {"max_points": 1}})"), "cfg.json");
  CHECK(test::error_of([&] {
          read2.visit(node2);
          node2.finish();
        }).find("cfg.json: gp.max_points") == 0);
}

}  // namespace test_gaussian_process
