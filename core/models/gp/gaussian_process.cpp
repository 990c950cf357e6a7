#include "core/models/gp/gaussian_process.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "core/rng.h"

namespace dynalab::gp {

GaussianProcess::GaussianProcess(int input_dim) : kernel_(input_dim), X_(0, input_dim) {
  // An initialised (empty) factorisation: a default LLT leaves its status unset, and copying a
  // GaussianProcess copies it.
  llt_.compute(Eigen::MatrixXd(0, 0));
}

void GaussianProcess::set_params(const Eigen::VectorXd& theta) {
  kernel_.set_params(theta);
  factorise();
}

void GaussianProcess::set_data(Eigen::MatrixXd X, Eigen::VectorXd y) {
  if (X.cols() != input_dim() || X.rows() != y.size() || !X.allFinite() || !y.allFinite())
    throw std::invalid_argument("GaussianProcess::set_data: expected finite X (n x " +
                                std::to_string(input_dim()) + ") and y (n), got " +
                                std::to_string(X.rows()) + " x " + std::to_string(X.cols()) +
                                " and " + std::to_string(y.size()));
  X_ = std::move(X);
  y_ = std::move(y);
  factorise();
}

void GaussianProcess::factorise() {
  const Eigen::Index n = size();
  jitter_ = 0;
  ok_ = true;
  if (n == 0) {
    alpha_.resize(0);
    return;
  }
  K_ = kernel_.gram(X_);
  Eigen::MatrixXd Ky = K_;
  Ky.diagonal().array() += kernel_.noise_variance();
  llt_.compute(Ky);
  if (llt_.info() != Eigen::Success) {
    // Nearly duplicate inputs with a tiny noise make K numerically singular; a jitter of a
    // relative 1e-10 .. 1e-4 of the mean diagonal restores positive definiteness while changing
    // the posterior far less than the noise does.
    const double scale = Ky.diagonal().mean();
    ok_ = false;
    for (double rel = 1e-10; rel <= 1.01e-4; rel *= 10) {
      Eigen::MatrixXd Kj = Ky;
      Kj.diagonal().array() += rel * scale;
      llt_.compute(Kj);
      if (llt_.info() == Eigen::Success) {
        jitter_ = rel * scale;
        ok_ = true;
        break;
      }
    }
    if (!ok_)
      throw std::runtime_error("GaussianProcess: K + sn^2 I is not positive definite even with "
                               "a jitter of 1e-4 times its mean diagonal");
  }
  alpha_ = llt_.solve(y_);
}

double GaussianProcess::log_marginal_likelihood() const {
  const Eigen::Index n = size();
  if (n == 0) return 0;
  const auto& L = llt_.matrixLLT();
  double log_det_half = 0;
  for (Eigen::Index i = 0; i < n; ++i) log_det_half += std::log(L(i, i));
  return -0.5 * y_.dot(alpha_) - log_det_half - 0.5 * double(n) * std::log(2 * std::numbers::pi);
}

Eigen::VectorXd GaussianProcess::log_marginal_likelihood_gradient() const {
  const Eigen::Index n = size();
  const int d = input_dim();
  Eigen::VectorXd g = Eigen::VectorXd::Zero(kernel_.num_params());
  if (n == 0) return g;
  // W = alpha alpha^T - K^-1; g_j = 1/2 sum_ab W_ab dK_ab / dtheta_j (R&W eq. 5.9), contracted
  // per dimension in O(n^2 d) without forming each dK (gram_derivative spells them out).
  Eigen::MatrixXd W = -llt_.solve(Eigen::MatrixXd::Identity(n, n));
  W.noalias() += alpha_ * alpha_.transpose();
  const Eigen::MatrixXd M = W.cwiseProduct(K_);
  for (int k = 0; k < d; ++k) {
    const double inv_ell2 = std::exp(-2 * kernel_.params()[k]);
    double s = 0;
    for (Eigen::Index b = 0; b < n; ++b)
      s += (M.col(b).array() * (X_.col(k).array() - X_(b, k)).square()).sum();
    g[k] = 0.5 * s * inv_ell2;
  }
  g[kernel_.signal_index()] = M.sum();
  g[kernel_.noise_index()] = kernel_.noise_variance() * W.trace();
  return g;
}

void GaussianProcess::predict(const Eigen::MatrixXd& Xs, Eigen::VectorXd& mean,
                              Eigen::VectorXd& latent_var) const {
  const Eigen::Index m = Xs.rows();
  const double sf2 = kernel_.signal_variance();
  if (size() == 0) {
    mean = Eigen::VectorXd::Zero(m);
    latent_var = Eigen::VectorXd::Constant(m, sf2);
    return;
  }
  const Eigen::MatrixXd Ks = kernel_.cross(X_, Xs);  // n x m
  mean = Ks.transpose() * alpha_;
  const Eigen::MatrixXd V = llt_.matrixL().solve(Ks);
  latent_var = (sf2 - V.colwise().squaredNorm().transpose().array()).max(0.0).matrix();
}

double GaussianProcess::predict_mean(const Eigen::Ref<const Eigen::VectorXd>& x) const {
  double mu = 0;
  for (Eigen::Index i = 0; i < size(); ++i) mu += alpha_[i] * kernel_(X_.row(i).transpose(), x);
  return mu;
}

Eigen::VectorXd GaussianProcess::mean_gradient(const Eigen::Ref<const Eigen::VectorXd>& x) const {
  const int d = input_dim();
  Eigen::VectorXd g = Eigen::VectorXd::Zero(d);
  for (Eigen::Index i = 0; i < size(); ++i) {
    const double w = alpha_[i] * kernel_(X_.row(i).transpose(), x);
    g += w * (X_.row(i).transpose() - x);
  }
  for (int k = 0; k < d; ++k) g[k] *= std::exp(-2 * kernel_.params()[k]);
  return g;
}

Eigen::MatrixXd GaussianProcess::posterior_covariance(const Eigen::MatrixXd& Xs) const {
  Eigen::MatrixXd C = kernel_.gram(Xs);
  if (size() > 0) {
    const Eigen::MatrixXd V = llt_.matrixL().solve(kernel_.cross(X_, Xs));
    C.noalias() -= V.transpose() * V;
  }
  return 0.5 * (C + C.transpose());
}

Eigen::MatrixXd GaussianProcess::sample_posterior(const Eigen::MatrixXd& Xs, int count,
                                                  Rng& rng) const {
  const Eigen::Index m = Xs.rows();
  Eigen::VectorXd mean, var;
  predict(Xs, mean, var);
  const Eigen::MatrixXd C = posterior_covariance(Xs);
  const double sf2 = kernel_.signal_variance();
  Eigen::LLT<Eigen::MatrixXd> chol;
  for (double rel = 1e-10;; rel *= 10) {
    Eigen::MatrixXd Cj = C;
    Cj.diagonal().array() += rel * sf2;
    chol.compute(Cj);
    if (chol.info() == Eigen::Success) break;
    if (rel > 1)
      throw std::runtime_error("GaussianProcess::sample_posterior: covariance not positive definite");
  }
  Eigen::MatrixXd out(count, m);
  Eigen::VectorXd eps(m);
  for (int s = 0; s < count; ++s) {
    for (Eigen::Index i = 0; i < m; ++i) eps[i] = rng.normal();
    out.row(s) = (mean + chol.matrixL() * eps).transpose();
  }
  return out;
}

}  // namespace dynalab::gp
