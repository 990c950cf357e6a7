#include "core/models/gp/squared_exponential.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace dynalab::gp {

SquaredExponential::SquaredExponential(int input_dim) : d_(input_dim), theta_(input_dim + 2) {
  if (input_dim < 1)
    throw std::invalid_argument("SquaredExponential: expected input_dim >= 1, got " +
                                std::to_string(input_dim));
  theta_.setZero();
  theta_[noise_index()] = std::log(0.1);
}

void SquaredExponential::set_params(const Eigen::VectorXd& theta) {
  if (theta.size() != num_params() || !theta.allFinite())
    throw std::invalid_argument("SquaredExponential::set_params: expected " +
                                std::to_string(num_params()) + " finite values");
  theta_ = theta;
}

double SquaredExponential::lengthscale(int k) const { return std::exp(theta_[k]); }
double SquaredExponential::signal_variance() const { return std::exp(2 * theta_[d_]); }
double SquaredExponential::noise_variance() const { return std::exp(2 * theta_[d_ + 1]); }

double SquaredExponential::operator()(const Eigen::Ref<const Eigen::VectorXd>& a,
                                      const Eigen::Ref<const Eigen::VectorXd>& b) const {
  double r2 = 0;
  for (int k = 0; k < d_; ++k) {
    const double u = (a[k] - b[k]) * std::exp(-theta_[k]);
    r2 += u * u;
  }
  return signal_variance() * std::exp(-0.5 * r2);
}

Eigen::MatrixXd SquaredExponential::cross(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const {
  // Scaled inputs a / ell; the squared distances summed per dimension (exact, no |a|^2 + |b|^2
  // - 2 a.b cancellation, which loses digits for nearby points).
  const Eigen::ArrayXd inv_ell = (-theta_.head(d_)).array().exp();
  Eigen::MatrixXd r2 = Eigen::MatrixXd::Zero(A.rows(), B.rows());
  for (int k = 0; k < d_; ++k)
    for (Eigen::Index j = 0; j < B.rows(); ++j) {
      const double bk = B(j, k);
      r2.col(j).array() += ((A.col(k).array() - bk) * inv_ell[k]).square();
    }
  return signal_variance() * (-0.5 * r2.array()).exp().matrix();
}

Eigen::MatrixXd SquaredExponential::gram(const Eigen::MatrixXd& X) const { return cross(X, X); }

Eigen::MatrixXd SquaredExponential::gram_derivative(const Eigen::MatrixXd& X,
                                                    const Eigen::MatrixXd& K, int j) const {
  const Eigen::Index n = X.rows();
  if (j < d_) {
    const double inv_ell2 = std::exp(-2 * theta_[j]);
    Eigen::MatrixXd dK(n, n);
    for (Eigen::Index b = 0; b < n; ++b)
      dK.col(b) = K.col(b).array() * (X.col(j).array() - X(b, j)).square() * inv_ell2;
    return dK;
  }
  if (j == signal_index()) return 2 * K;
  if (j == noise_index()) return 2 * noise_variance() * Eigen::MatrixXd::Identity(n, n);
  throw std::invalid_argument("SquaredExponential::gram_derivative: expected j < " +
                              std::to_string(num_params()) + ", got " + std::to_string(j));
}

}  // namespace dynalab::gp
