#include "core/agents/gps/trajectory_cost.h"

#include <stdexcept>

namespace dynalab {

QuadraticTrajectoryCost expand_sample_costs(const DifferentiableReward& reward, const LocalLinearModel& dyn,
                                            const std::vector<std::vector<Vec>>& X,
                                            const std::vector<std::vector<Vec>>& U) {
  if (X.empty() || X.size() != U.size() || U[0].empty())
    throw std::invalid_argument("expand_sample_costs: expected as many action sequences as rollouts (at least one)");
  const int N = int(X.size()), T = int(U[0].size());
  const int n = int(X[0][0].size()), m = int(U[0][0].size()), d = n + m;
  for (int i = 0; i < N; ++i)
    if (int(X[i].size()) != T + 1 || int(U[i].size()) != T)
      throw std::invalid_argument("expand_sample_costs: every rollout needs T + 1 states and T actions");
  if (dyn.horizon() != T || dyn.A[0].rows() != n || dyn.B[0].cols() != m)
    throw std::invalid_argument("expand_sample_costs: the dynamics have another horizon or other sizes");

  QuadraticTrajectoryCost out;
  out.cc.assign(size_t(T), 0.0);
  out.cv.assign(size_t(T), Vec::Zero(d));
  out.Cm.assign(size_t(T), Eigen::MatrixXd::Zero(d, d));
  // z = [s; a; s'] = J y + const with y = [x; u]: J = [I 0; 0 I; A B].
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(2 * n + m, d);
  J.topRows(d).setIdentity();
  for (int t = 0; t < T; ++t) {
    J.bottomRows(n) << dyn.A[t], dyn.B[t];
    for (int i = 0; i < N; ++i) {
      const Vec &s = X[i][t], &a = U[i][t], &s2 = X[i][t + 1];
      const RewardGradient g = reward.gradient(s, a, s2);
      const Eigen::MatrixXd H = reward.hessian(s, a, s2);
      Vec gz(2 * n + m);
      gz << g.rs, g.ra, g.rn;
      const Vec ly = -(J.transpose() * gz);                   // d cost / dy
      Eigen::MatrixXd lyy = -(J.transpose() * H * J);         // d2 cost / dy2
      lyy = 0.5 * (lyy + lyy.transpose());
      Vec y(d);
      y << s, a;
      // Around y = 0: l(y') = l + ly (y' - y) + 1/2 (y' - y)' lyy (y' - y).
      const Vec lyy_y = lyy * y;
      out.cc[t] += -g.r - ly.dot(y) + 0.5 * y.dot(lyy_y);
      out.cv[t] += ly - lyy_y;
      out.Cm[t] += lyy;
    }
    out.cc[t] /= N;
    out.cv[t] /= N;
    out.Cm[t] /= N;
  }
  return out;
}

}  // namespace dynalab
