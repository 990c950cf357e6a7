#include "core/agents/gps/kl_step.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dynalab {

std::optional<LinearGaussianController> kl_lqr_backward(const LocalLinearModel& dyn, const QuadraticTrajectoryCost& cost,
                                                        const LinearGaussianController& old, double eta) {
  const int T = old.horizon(), n = old.state_dim(), m = old.action_dim(), d = n + m;
  if (dyn.horizon() != T || cost.horizon() != T || T == 0 || dyn.A[0].rows() != n || dyn.B[0].cols() != m ||
      cost.cv[0].size() != d)
    throw std::invalid_argument("kl_lqr_backward: the dynamics, the cost and the controller differ in horizon or size");
  if (!(eta > 0)) throw std::invalid_argument("kl_lqr_backward: eta must be > 0");
  LinearGaussianController out;
  out.resize(T, n, m);
  Eigen::MatrixXd Vxx = Eigen::MatrixXd::Zero(n, n), F(n, d);
  Vec Vx = Vec::Zero(n);
  for (int t = T - 1; t >= 0; --t) {
    // -log p_old(u | x) = 1/2 (u - K x - k)' P (u - K x - k) + const, as a quadratic in [x; u].
    const Eigen::MatrixXd& P = old.precision[t];
    const Eigen::MatrixXd PK = P * old.K[t];
    const Vec Pk = P * old.k[t];
    Eigen::MatrixXd Qtt = cost.Cm[t] / eta;
    Vec Qt = cost.cv[t] / eta;
    Qtt.topLeftCorner(n, n) += old.K[t].transpose() * PK;
    Qtt.topRightCorner(n, m) -= PK.transpose();
    Qtt.bottomLeftCorner(m, n) -= PK;
    Qtt.bottomRightCorner(m, m) += P;
    Qt.head(n) += old.K[t].transpose() * Pk;
    Qt.tail(m) -= Pk;
    // The value of the next step through the dynamics x' = F [x; u] + c.
    F << dyn.A[t], dyn.B[t];
    Qtt += F.transpose() * Vxx * F;
    Qt += F.transpose() * (Vx + Vxx * dyn.c[t]);
    Qtt = 0.5 * (Qtt + Qtt.transpose());
    const Eigen::MatrixXd Quu = Qtt.bottomRightCorner(m, m);
    Eigen::LLT<Eigen::MatrixXd> llt(Quu);
    if (llt.info() != Eigen::Success) return std::nullopt;
    out.K[t] = -llt.solve(Qtt.bottomLeftCorner(m, n));
    out.k[t] = -llt.solve(Qt.tail(m));
    if (!out.set_precision(t, Quu)) return std::nullopt;
    // V = Q at u = K x + k: Vxx = Qxx + Qxu K, Vx = Qx + Qxu k (Qxu K = -Qxu Quu^-1 Qux).
    Vxx = Qtt.topLeftCorner(n, n) + Qtt.topRightCorner(n, m) * out.K[t];
    Vx = Qt.head(n) + Qtt.topRightCorner(n, m) * out.k[t];
    Vxx = 0.5 * (Vxx + Vxx.transpose());
  }
  return out;
}

namespace {

/// cbfinn/gps's backward(): on a non-PD Quu retry with eta0 + del, del doubling, up to max_eta.
/// Sets `eta` to the value that worked; nullopt if none did.
std::optional<LinearGaussianController> gps_backward_pd(const LocalLinearModel& dyn, const QuadraticTrajectoryCost& cost,
                                                        const LinearGaussianController& old, double& eta,
                                                        const KlStepOptions& o, int& passes) {
  const double eta0 = eta;
  double del = o.del0;
  for (;;) {
    ++passes;
    if (auto p = kl_lqr_backward(dyn, cost, old, eta)) return p;
    eta = eta0 + del;
    del *= 2;
    if (eta >= o.max_eta) return std::nullopt;
  }
}

}  // namespace

KlStepResult kl_constrained_update(const LocalLinearModel& dyn, const QuadraticTrajectoryCost& cost,
                                   const LinearGaussianController& old, const Vec& x0_mean,
                                   const Eigen::MatrixXd& x0_cov, double kl_target, double eta0,
                                   const KlStepOptions& o) {
  if (!(kl_target > 0)) throw std::invalid_argument("kl_constrained_update: the KL target must be > 0");
  if (!(o.min_eta > 0) || !(o.max_eta > o.min_eta) || o.max_iterations < 1 || !(o.tolerance > 0))
    throw std::invalid_argument("kl_constrained_update: bad options");
  KlStepResult r;
  r.target = kl_target;
  double eta = std::clamp(eta0, o.min_eta, o.max_eta);
  double lo = o.min_eta, hi = o.max_eta;
  int passes = 0;
  for (int it = 0; it < o.max_iterations; ++it) {
    std::optional<LinearGaussianController> p = gps_backward_pd(dyn, cost, old, eta, o, passes);
    if (!p) {  // no PD solution even for a huge eta: keep the old controller
      r.controller = old;
      r.marginals = forward_pass(old, dyn, x0_mean, x0_cov);
      r.eta = eta;
      r.kl = 0;
      r.iterations = passes;
      r.solved = false;
      return r;
    }
    r.controller = std::move(*p);
    r.marginals = forward_pass(r.controller, dyn, x0_mean, x0_cov);
    r.kl = trajectory_kl(r.marginals, r.controller, old);
    r.eta = eta;
    const double con = r.kl - kl_target;
    if (std::abs(con) < o.tolerance * kl_target) {
      r.converged = true;
      break;
    }
    if (con < 0) {  // KL too small: eta too big
      hi = eta;
      eta = std::max(std::sqrt(lo * hi), 0.1 * hi);
    } else {  // KL too large: eta too small
      lo = eta;
      eta = std::min(std::sqrt(lo * hi), 10.0 * lo);
    }
  }
  r.iterations = passes;
  return r;
}

}  // namespace dynalab
