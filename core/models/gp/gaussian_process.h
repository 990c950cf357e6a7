#pragma once
// One exact Gaussian process regressor with a single output and the SE-ARD kernel
// (squared_exponential.h), after Rasmussen & Williams 2006, Algorithm 2.1 and section 5.4.1:
//
//   K = k(X, X) + sn^2 I = L L^T,   alpha = K^-1 y = L^-T L^-1 y
//   mean       mu*   = k*^T alpha                      (k* = k(X, x*), n values)
//   variance   var*  = k(x*, x*) - |L^-1 k*|^2         (latent f*; add sn^2 for a noisy y*)
//   log p(y|X) = -1/2 y^T alpha - sum_i log L_ii - n/2 log 2 pi
//   d log p / d theta_j = 1/2 tr((alpha alpha^T - K^-1) dK/d theta_j)
//
// Training costs O(n^3) (the Cholesky factor); a prediction O(n) for the mean and O(n^2) for the
// variance. Double precision throughout; the prior mean is 0 (callers normalise the targets).

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "core/models/gp/squared_exponential.h"

namespace dynalab {
class Rng;
}

namespace dynalab::gp {

class GaussianProcess {
 public:
  /// A GP on d inputs with the kernel's default hyperparameters and no data (the prior).
  explicit GaussianProcess(int input_dim);

  int input_dim() const { return kernel_.input_dim(); }
  /// n, the number of training points (0 before set_data).
  Eigen::Index size() const { return X_.rows(); }
  const SquaredExponential& kernel() const { return kernel_; }
  /// theta = [log ell (d), log sf, log sn]: the kernel's params(); refactorises if data are set.
  const Eigen::VectorXd& params() const { return kernel_.params(); }
  /// Sets theta (see SquaredExponential::set_params) and refactorises K. Throws
  /// std::runtime_error (leaving the GP unusable until the next successful call) if K stays
  /// not positive definite even with the largest jitter.
  void set_params(const Eigen::VectorXd& theta);
  /// Training inputs X (n x d) and targets y (n), then the factorisation (errors as set_params).
  void set_data(Eigen::MatrixXd X, Eigen::VectorXd y);
  const Eigen::MatrixXd& inputs() const { return X_; }
  const Eigen::VectorXd& targets() const { return y_; }

  /// The jitter the last factorisation added to K's diagonal: 0 unless the Cholesky of
  /// K + sn^2 I failed; then 1e-10, 1e-9, ... up to 1e-4 times the mean diagonal were tried.
  double jitter() const { return jitter_; }
  /// alpha = K^-1 y (n values).
  const Eigen::VectorXd& alpha() const { return alpha_; }
  /// The Cholesky factor of K = k(X, X) + (sn^2 + jitter) I.
  const Eigen::LLT<Eigen::MatrixXd>& cholesky() const { return llt_; }

  /// log p(y | X, theta); 0 without data.
  double log_marginal_likelihood() const;
  /// Its gradient with respect to theta (d + 2 values); O(n^3) (forms K^-1).
  Eigen::VectorXd log_marginal_likelihood_gradient() const;

  /// Posterior mean (m) and latent variance (m, >= 0; without sn^2) at the rows of Xs (m x d).
  void predict(const Eigen::MatrixXd& Xs, Eigen::VectorXd& mean, Eigen::VectorXd& latent_var) const;
  /// Posterior mean at one input x (d).
  double predict_mean(const Eigen::Ref<const Eigen::VectorXd>& x) const;
  /// d mu* / d x* at one input x (d values): sum_i alpha_i k(x, x_i) (x_i - x) / ell^2.
  Eigen::VectorXd mean_gradient(const Eigen::Ref<const Eigen::VectorXd>& x) const;
  /// Joint latent posterior covariance at the rows of Xs (m x d): m x m.
  Eigen::MatrixXd posterior_covariance(const Eigen::MatrixXd& Xs) const;
  /// `count` joint posterior function samples at the rows of Xs (m x d): count x m, row s =
  /// mean + chol(cov + jitter I) eps_s with eps_s ~ N(0, I) from rng (m draws per sample, in
  /// order). The jitter starts at 1e-10 sf^2 and grows x10 until the Cholesky succeeds: the
  /// posterior covariance at points near the data is nearly singular.
  Eigen::MatrixXd sample_posterior(const Eigen::MatrixXd& Xs, int count, Rng& rng) const;

 private:
  void factorise();

  SquaredExponential kernel_;
  Eigen::MatrixXd X_;
  Eigen::VectorXd y_;
  Eigen::MatrixXd K_;  // latent Gram matrix k(X, X), kept for the gradient
  Eigen::LLT<Eigen::MatrixXd> llt_;
  Eigen::VectorXd alpha_;
  double jitter_ = 0;
  bool ok_ = true;
};

}  // namespace dynalab::gp
