#include "core/models/gp/moment_matching.h"

#include <Eigen/LU>
#include <cmath>
#include <stdexcept>

namespace dynalab::gp {

GaussianInputPrediction predict_at_gaussian_input(const GaussianProcess& gp, const Eigen::VectorXd& m,
                                                  const Eigen::MatrixXd& S) {
  const int d = gp.input_dim();
  if (m.size() != d || S.rows() != d || S.cols() != d)
    throw std::invalid_argument("predict_at_gaussian_input: expected m (" + std::to_string(d) +
                                ") and S (" + std::to_string(d) + " x " + std::to_string(d) + ")");
  const double sf2 = gp.kernel().signal_variance();
  const Eigen::Index n = gp.size();
  GaussianInputPrediction out;
  if (n == 0) {
    out.variance = sf2;
    return out;
  }
  const Eigen::VectorXd inv_l2 = (-2 * gp.params().head(d)).array().exp();  // Lambda^-1
  const Eigen::MatrixXd nu = gp.inputs().rowwise() - m.transpose();          // n x d
  const Eigen::VectorXd& beta = gp.alpha();

  // Mean: (S + Lambda)^-1 nu_i = Lambda^-1 (S Lambda^-1 + I)^-1 nu_i, as gp0.m writes it.
  const Eigen::MatrixXd B = S * inv_l2.asDiagonal() + Eigen::MatrixXd::Identity(d, d);
  const Eigen::PartialPivLU<Eigen::MatrixXd> Blu(B);
  const Eigen::MatrixXd t = Blu.solve(nu.transpose());  // d x n: (S Lambda^-1 + I)^-1 nu_i
  Eigen::VectorXd q(n);
  for (Eigen::Index i = 0; i < n; ++i)
    q[i] = std::exp(-0.5 * nu.row(i).dot(inv_l2.cwiseProduct(t.col(i))));
  q *= sf2 / std::sqrt(Blu.determinant());
  out.mean = beta.dot(q);

  // Variance: log Q_ij = log k_i + log k_j - 1/2 log|R| + 1/2 z_ij^T T z_ij with T = R^-1 S.
  const Eigen::MatrixXd R = 2 * S * inv_l2.asDiagonal() + Eigen::MatrixXd::Identity(d, d);
  const Eigen::PartialPivLU<Eigen::MatrixXd> Rlu(R);
  Eigen::MatrixXd T = Rlu.solve(S);
  T = 0.5 * (T + T.transpose());  // symmetric in exact arithmetic: (2 Lambda^-1 + S^-1)^-1
  const Eigen::MatrixXd zeta = nu * inv_l2.asDiagonal();  // rows Lambda^-1 nu_i
  Eigen::VectorXd logk(n);
  for (Eigen::Index i = 0; i < n; ++i) logk[i] = std::log(sf2) - 0.5 * nu.row(i).dot(zeta.row(i));
  const Eigen::MatrixXd zT = zeta * T;  // rows zeta_i^T T
  const Eigen::VectorXd quad = zT.cwiseProduct(zeta).rowwise().sum();  // zeta_i^T T zeta_i
  const Eigen::MatrixXd cross = zT * zeta.transpose();                // zeta_i^T T zeta_j
  const double half_logdet = 0.5 * std::log(Rlu.determinant());
  Eigen::MatrixXd Q(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      Q(i, j) = std::exp(logk[i] + logk[j] - half_logdet +
                         0.5 * (quad[i] + quad[j] + 2 * cross(i, j)));
  const double trace_iKQ = gp.cholesky().solve(Q).trace();
  out.variance = std::max(0.0, beta.dot(Q * beta) - out.mean * out.mean + sf2 - trace_iKQ);
  return out;
}

}  // namespace dynalab::gp
