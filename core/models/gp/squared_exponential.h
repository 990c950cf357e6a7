#pragma once
// The squared-exponential kernel with automatic relevance determination (SE-ARD), the
// covariance of every GP in dynalab (Rasmussen & Williams 2006, eq. 5.1; pilco-matlab covSEard):
//
//   k(x, x') = sf^2 exp(-1/2 sum_d (x_d - x'_d)^2 / ell_d^2),   plus sn^2 on the diagonal of K.
//
// Hyperparameters live in log space, theta = [log ell_1 .. log ell_d, log sf, log sn] (d + 2
// values), so that an unconstrained optimiser keeps them positive. Double precision throughout.

#include <Eigen/Core>

namespace dynalab::gp {

class SquaredExponential {
 public:
  /// A kernel on d inputs with ell = 1, sf = 1, sn = 0.1.
  explicit SquaredExponential(int input_dim);

  int input_dim() const { return d_; }
  /// d + 2: the log length scales, log sf, log sn.
  int num_params() const { return d_ + 2; }
  /// Index of log sf and of log sn in params().
  int signal_index() const { return d_; }
  int noise_index() const { return d_ + 1; }

  /// theta = [log ell (d), log sf, log sn].
  const Eigen::VectorXd& params() const { return theta_; }
  /// Sets theta (d + 2 finite values; std::invalid_argument otherwise).
  void set_params(const Eigen::VectorXd& theta);

  double lengthscale(int k) const;
  /// sf^2, the prior variance of the latent function.
  double signal_variance() const;
  /// sn^2, the observation noise variance.
  double noise_variance() const;

  /// k(a, b) of the latent function (no noise), a and b of length d.
  double operator()(const Eigen::Ref<const Eigen::VectorXd>& a,
                    const Eigen::Ref<const Eigen::VectorXd>& b) const;
  /// Latent Gram matrix K_ij = k(x_i, x_j) of the rows of X (n x d): n x n, without sn^2.
  Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const;
  /// Cross-covariance K_ij = k(a_i, b_j) of the rows of A (na x d) and B (nb x d): na x nb.
  Eigen::MatrixXd cross(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const;
  /// d(K + sn^2 I)/d theta_j for the rows of X (n x d), j in [0, d + 2); `K` is gram(X).
  ///   log ell_k:  K o (x_ik - x_jk)^2 / ell_k^2     (o: elementwise product)
  ///   log sf:     2 K
  ///   log sn:     2 sn^2 I
  Eigen::MatrixXd gram_derivative(const Eigen::MatrixXd& X, const Eigen::MatrixXd& K, int j) const;

 private:
  int d_;
  Eigen::VectorXd theta_;
};

}  // namespace dynalab::gp
