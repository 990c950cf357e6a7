#include "core/planning/ilqr_reward_cost.h"

namespace dynalab {

IlqrRewardCost::IlqrRewardCost(const DifferentiableReward& reward,
                               const DifferentiableDynamics& dynamics)
    : reward_(reward), dynamics_(dynamics) {}

double IlqrRewardCost::running(const Vec& x, const Vec& u) const {
  return transition(x, u, dynamics_.step(x, u));
}

double IlqrRewardCost::transition(const Vec& x, const Vec& u, const Vec& x_next) const {
  return -reward_.reward(x, u, x_next);
}

CostExpansion IlqrRewardCost::expand_running(const Vec& x, const Vec& u) const {
  Eigen::MatrixXd A, B;
  dynamics_.jacobians(x, u, A, B);
  return expand_transition(x, u, dynamics_.step(x, u), A, B);
}

CostExpansion IlqrRewardCost::expand_final(const Vec& x) const {
  CostExpansion e;
  e.lx = Vec::Zero(x.size());
  e.lxx = Eigen::MatrixXd::Zero(x.size(), x.size());
  return e;
}

CostExpansion IlqrRewardCost::expand_transition(const Vec& x, const Vec& u, const Vec& x_next,
                                                const Eigen::MatrixXd& A,
                                                const Eigen::MatrixXd& B) const {
  const Eigen::Index n = x.size(), m = u.size();
  const RewardGradient g = reward_.gradient(x, u, x_next);
  CostExpansion e;
  e.l = -g.r;
  e.lx = -(g.rs + A.transpose() * g.rn);
  e.lu = -(g.ra + B.transpose() * g.rn);
  // J = d[s, a, s'] / d[x, u] to first order; the Hessian of -r through it (Gauss-Newton).
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(2 * n + m, n + m);
  J.topLeftCorner(n + m, n + m).setIdentity();
  J.bottomLeftCorner(n, n) = A;
  J.bottomRightCorner(n, m) = B;
  const Eigen::MatrixXd H = -(J.transpose() * reward_.hessian(x, u, x_next) * J);
  e.lxx = H.topLeftCorner(n, n);
  e.luu = H.bottomRightCorner(m, m);
  e.lux = H.bottomLeftCorner(m, n);
  return e;
}

}  // namespace dynalab
