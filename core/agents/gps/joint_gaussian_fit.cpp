#include "core/agents/gps/joint_gaussian_fit.h"

#include <Eigen/Cholesky>
#include <stdexcept>

namespace dynalab {

LinearGaussianFit fit_linear_gaussian(const Eigen::MatrixXd& pts, int dx, const NiwPrior& prior,
                                      const Eigen::MatrixXd& sig_reg) {
  const int N = int(pts.rows()), D = int(pts.cols()), dy = D - dx;
  if (N < 1 || dx < 1 || dy < 1 || prior.mu0.size() != D || prior.Phi.rows() != D || prior.Phi.cols() != D ||
      sig_reg.rows() != D || sig_reg.cols() != D)
    throw std::invalid_argument("fit_linear_gaussian: sizes do not match");
  const Vec mu = pts.colwise().mean().transpose();
  const Eigen::MatrixXd diff = pts.rowwise() - mu.transpose();
  const Eigen::MatrixXd emp = diff.transpose() * diff / N;
  const Vec dm = mu - prior.mu0;
  Eigen::MatrixXd sigma = (N * emp + prior.Phi + (N * prior.m / (N + prior.m)) * dm * dm.transpose()) / (N + prior.n0);
  sigma = 0.5 * (sigma + sigma.transpose()) + sig_reg;
  LinearGaussianFit out;
  const Eigen::MatrixXd Sxx = sigma.topLeftCorner(dx, dx);
  // F' = Sxx^-1 Sxy (LDLT: Sxx may be only semi-definite without a prior).
  out.F = Sxx.ldlt().solve(sigma.topRightCorner(dx, dy)).transpose();
  out.f = mu.tail(dy) - out.F * mu.head(dx);
  out.cov = sigma.bottomRightCorner(dy, dy) - out.F * Sxx * out.F.transpose();
  out.cov = 0.5 * (out.cov + out.cov.transpose());
  return out;
}

}  // namespace dynalab
