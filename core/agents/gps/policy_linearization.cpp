#include "core/agents/gps/policy_linearization.h"

#include <stdexcept>

#include "core/agents/gps/joint_gaussian_fit.h"

namespace dynalab {

LinearGaussianController linearize_policy(const std::vector<std::vector<Vec>>& X,
                                          const std::vector<std::vector<Vec>>& mu, const Vec& var, int T,
                                          double strength) {
  if (X.empty() || X.size() != mu.size() || T < 1)
    throw std::invalid_argument("linearize_policy: expected as many mean-action sequences as rollouts (at least one)");
  const int N = int(X.size()), n = int(X[0][0].size()), m = int(var.size()), D = n + m;
  for (int i = 0; i < N; ++i)
    if (int(X[i].size()) < T || int(mu[i].size()) < T)
      throw std::invalid_argument("linearize_policy: every rollout needs T states and mean actions");
  NiwPrior prior;
  prior.mu0 = Vec::Zero(D);
  prior.Phi = Eigen::MatrixXd::Zero(D, D);
  prior.Phi.topLeftCorner(n, n).setIdentity();
  prior.Phi.bottomRightCorner(m, m) = 1e-5 * Eigen::MatrixXd::Identity(m, m);
  prior.Phi *= strength;
  prior.m = 0;
  prior.n0 = strength;
  LinearGaussianController out;
  out.resize(T, n, m);
  const Eigen::MatrixXd var_diag = var.asDiagonal();
  for (int t = 0; t < T; ++t) {
    Eigen::MatrixXd pts(N, D);
    for (int i = 0; i < N; ++i) {
      if (X[i][t].size() != n || mu[i][t].size() != m) throw std::invalid_argument("linearize_policy: sizes differ");
      pts.row(i) << X[i][t].transpose(), mu[i][t].transpose();
    }
    Eigen::MatrixXd reg = Eigen::MatrixXd::Zero(D, D);
    if (t == 0) reg.topLeftCorner(n, n).diagonal().setConstant(1e-8);
    const LinearGaussianFit fit = fit_linear_gaussian(pts, n, prior, reg);
    out.K[t] = fit.F;
    out.k[t] = fit.f;
    Eigen::MatrixXd C = fit.cov + var_diag;
    // The residual covariance is PSD up to round-off; var > 0 makes C PD. Guard against round-off.
    if (!out.set_covariance(t, C) && !out.set_covariance(t, var_diag))
      throw std::invalid_argument("linearize_policy: the policy's variance must be > 0");
  }
  return out;
}

LinearGaussianController linearize_policy_jacobian(const std::vector<std::vector<Vec>>& X,
                                                   const std::vector<std::vector<Vec>>& mu,
                                                   const std::vector<std::vector<Eigen::MatrixXd>>& J,
                                                   const Vec& var, int T) {
  if (X.empty() || X.size() != mu.size() || X.size() != J.size() || T < 1)
    throw std::invalid_argument("linearize_policy_jacobian: expected as many mean actions and Jacobians as rollouts");
  const int N = int(X.size()), n = int(X[0][0].size()), m = int(var.size());
  for (int i = 0; i < N; ++i)
    if (int(X[i].size()) < T || int(mu[i].size()) < T || int(J[i].size()) < T)
      throw std::invalid_argument("linearize_policy_jacobian: every rollout needs T states, mean actions and Jacobians");
  LinearGaussianController out;
  out.resize(T, n, m);
  const Eigen::MatrixXd var_diag = var.asDiagonal();
  for (int t = 0; t < T; ++t) {
    Eigen::MatrixXd K = Eigen::MatrixXd::Zero(m, n);
    for (int i = 0; i < N; ++i) K += J[i][t] / N;
    Vec k = Vec::Zero(m);
    for (int i = 0; i < N; ++i) k += (mu[i][t] - K * X[i][t]) / N;
    Eigen::MatrixXd C = var_diag;
    for (int i = 0; i < N; ++i) {
      const Vec r = mu[i][t] - K * X[i][t] - k;
      C += r * r.transpose() / N;
    }
    out.K[t] = K;
    out.k[t] = k;
    if (!out.set_covariance(t, C) && !out.set_covariance(t, var_diag))
      throw std::invalid_argument("linearize_policy_jacobian: the policy's variance must be > 0");
  }
  return out;
}

}  // namespace dynalab
