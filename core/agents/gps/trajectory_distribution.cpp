#include "core/agents/gps/trajectory_distribution.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dynalab {

Vec TrajectoryMarginals::state_mean(int t) const {
  if (t == horizon()) return final_mean;
  return mean[t].head(final_mean.size());
}

TrajectoryMarginals forward_pass(const LinearGaussianController& p, const LocalLinearModel& dyn,
                                 const Vec& x0_mean, const Eigen::MatrixXd& x0_cov) {
  const int T = p.horizon(), n = p.state_dim(), m = p.action_dim();
  if (dyn.horizon() != T || T == 0 || dyn.A[0].rows() != n || dyn.B[0].cols() != m || x0_mean.size() != n ||
      x0_cov.rows() != n || x0_cov.cols() != n)
    throw std::invalid_argument("forward_pass: the controller, the dynamics and the start distribution differ in horizon or size");
  TrajectoryMarginals out;
  out.mean.reserve(size_t(T));
  out.cov.reserve(size_t(T));
  Vec mu = x0_mean;
  Eigen::MatrixXd S = x0_cov;
  Eigen::MatrixXd F(n, n + m);
  for (int t = 0; t < T; ++t) {
    // [x; u] with u = K x + k + noise(C): mean [mu; K mu + k], covariance [S, S K'; K S, K S K' + C].
    Vec y(n + m);
    y << mu, p.mean(t, mu);
    Eigen::MatrixXd Sy(n + m, n + m);
    const Eigen::MatrixXd KS = p.K[t] * S;
    Sy.topLeftCorner(n, n) = S;
    Sy.topRightCorner(n, m) = KS.transpose();
    Sy.bottomLeftCorner(m, n) = KS;
    Sy.bottomRightCorner(m, m) = KS * p.K[t].transpose() + p.cov[t];
    F << dyn.A[t], dyn.B[t];
    mu = F * y + dyn.c[t];
    S = F * Sy * F.transpose() + dyn.noise_cov[t];
    S = 0.5 * (S + S.transpose());
    out.mean.push_back(std::move(y));
    out.cov.push_back(std::move(Sy));
  }
  out.final_mean = mu;
  out.final_cov = S;
  return out;
}

std::vector<double> kl_per_step(const TrajectoryMarginals& mg, const LinearGaussianController& pn,
                                const LinearGaussianController& po) {
  const int T = pn.horizon(), n = pn.state_dim(), m = pn.action_dim();
  if (po.horizon() != T || mg.horizon() != T || po.state_dim() != n || po.action_dim() != m)
    throw std::invalid_argument("kl_per_step: the controllers and the marginals differ in horizon or size");
  std::vector<double> kl(static_cast<size_t>(T), 0.0);
  for (int t = 0; t < T; ++t) {
    // KL(N(a, Cn) || N(b, Co)) = 1/2 [tr(Po Cn) + (a - b)' Po (a - b) - m + log det Co - log det Cn]
    // with a - b = dK x + dk, averaged over x ~ N(mu, S):
    // E (dK x + dk)' Po (dK x + dk) = (dK mu + dk)' Po (dK mu + dk) + tr(dK' Po dK S).
    const Vec mu = mg.mean[t].head(n);
    const Eigen::MatrixXd S = mg.cov[t].topLeftCorner(n, n);
    const Eigen::MatrixXd& Po = po.precision[t];
    const Eigen::MatrixXd dK = pn.K[t] - po.K[t];
    const Vec dm = dK * mu + (pn.k[t] - po.k[t]);
    const double logdet_o = 2 * po.chol[t].diagonal().array().log().sum();
    const double logdet_n = 2 * pn.chol[t].diagonal().array().log().sum();
    const double v = 0.5 * ((Po * pn.cov[t]).trace() + dm.dot(Po * dm) + (dK.transpose() * Po * dK * S).trace() -
                            m + logdet_o - logdet_n);
    kl[t] = std::max(0.0, v);
  }
  return kl;
}

double trajectory_kl(const TrajectoryMarginals& m, const LinearGaussianController& pn,
                     const LinearGaussianController& po) {
  double s = 0;
  for (double v : kl_per_step(m, pn, po)) s += v;
  return s;
}

double expected_cost(const QuadraticTrajectoryCost& cost, const TrajectoryMarginals& m) {
  if (cost.horizon() != m.horizon()) throw std::invalid_argument("expected_cost: the cost and the marginals differ in horizon");
  double total = 0;
  for (int t = 0; t < m.horizon(); ++t)
    total += cost.value(t, m.mean[t]) + 0.5 * (cost.Cm[t].cwiseProduct(m.cov[t])).sum();
  return total;
}

}  // namespace dynalab
