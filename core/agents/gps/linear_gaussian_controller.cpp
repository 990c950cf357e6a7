#include "core/agents/gps/linear_gaussian_controller.h"

#include <Eigen/Cholesky>
#include <stdexcept>

#include "core/rng.h"

namespace dynalab {

void LinearGaussianController::resize(int T, int state_dim, int action_dim) {
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(action_dim, action_dim);
  K.assign(size_t(T), Eigen::MatrixXd::Zero(action_dim, state_dim));
  k.assign(size_t(T), Vec::Zero(action_dim));
  cov.assign(size_t(T), I);
  chol.assign(size_t(T), I);
  precision.assign(size_t(T), I);
}

LinearGaussianController LinearGaussianController::constant(int T, int state_dim, const Vec& offset,
                                                            double variance) {
  if (T < 1 || state_dim < 1 || offset.size() < 1 || !(variance > 0))
    throw std::invalid_argument("LinearGaussianController::constant: needs T >= 1, sizes >= 1 and variance > 0");
  LinearGaussianController c;
  const int m = int(offset.size());
  c.resize(T, state_dim, m);
  for (int t = 0; t < T; ++t) {
    c.k[t] = offset;
    c.set_covariance(t, variance * Eigen::MatrixXd::Identity(m, m));
  }
  return c;
}

Vec LinearGaussianController::sample(int t, const Vec& x, Rng& rng) const {
  Vec z(action_dim());
  for (int i = 0; i < z.size(); ++i) z[i] = rng.normal();
  return mean(t, x) + chol[t] * z;
}

bool LinearGaussianController::set_covariance(int t, const Eigen::MatrixXd& C) {
  const Eigen::MatrixXd S = 0.5 * (C + C.transpose());
  Eigen::LLT<Eigen::MatrixXd> llt(S);
  if (llt.info() != Eigen::Success) return false;
  cov[t] = S;
  chol[t] = llt.matrixL();
  const Eigen::MatrixXd P = llt.solve(Eigen::MatrixXd::Identity(S.rows(), S.cols()));
  precision[t] = 0.5 * (P + P.transpose());
  return true;
}

bool LinearGaussianController::set_precision(int t, const Eigen::MatrixXd& P) {
  const Eigen::MatrixXd S = 0.5 * (P + P.transpose());
  Eigen::LLT<Eigen::MatrixXd> llt(S);
  if (llt.info() != Eigen::Success) return false;
  const Eigen::MatrixXd C = llt.solve(Eigen::MatrixXd::Identity(S.rows(), S.cols()));
  const Eigen::MatrixXd Cs = 0.5 * (C + C.transpose());
  Eigen::LLT<Eigen::MatrixXd> llt_c(Cs);
  if (llt_c.info() != Eigen::Success) return false;
  precision[t] = S;
  cov[t] = Cs;
  chol[t] = llt_c.matrixL();
  return true;
}

}  // namespace dynalab
