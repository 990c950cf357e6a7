#pragma once
// The cost model of the local trajectory optimiser: one quadratic per time step in absolute
// coordinates y_t = [x_t; u_t] (state_dim + action_dim),
//
//   l_t(y) = cc_t + cv_t' y + 1/2 y' Cm_t y,   t = 0 .. T-1,
//
// estimated from samples as cbfinn/gps does (python/gps/algorithm/algorithm.py, _eval_cost): the
// second-order expansion of the cost at every sample step, rewritten around y = 0, averaged over
// the samples. The costs are the env's: l = -r(x_t, u_t, x_{t+1}) with the closed-form reward
// (Env::reward through DifferentiableReward). Our rewards depend on the state AFTER the step, so
// the expansion goes through the step's fitted dynamics x_{t+1} = A_t x_t + B_t u_t + c_t (the
// chain rule; exact for a linear system): the trajectory's cost is sum_t l_t, no separate
// final-state cost (x_T's cost is in l_{T-1}).

#include <Eigen/Core>
#include <vector>

#include "core/gradients/differentiable_dynamics.h"
#include "core/planning/local_linear_fit.h"
#include "core/space.h"

namespace dynalab {

struct QuadraticTrajectoryCost {
  std::vector<double> cc;           ///< T constants
  std::vector<Vec> cv;              ///< T linear terms, state_dim + action_dim
  std::vector<Eigen::MatrixXd> Cm;  ///< T symmetric Hessians, (state_dim + action_dim)^2
  /// T.
  int horizon() const { return int(cc.size()); }
  /// l_t at y = [x; u].
  double value(int t, const Vec& y) const { return cc[t] + cv[t].dot(y) + 0.5 * y.dot(Cm[t] * y); }
};

/// The sample-averaged expansion of -r over N rollouts X[i] (T + 1 states) and U[i] (T actions)
/// through the fitted `dynamics` (horizon T). Each step costs one reward Hessian per sample
/// (finite differences unless the reward overrides them). Throws std::invalid_argument on empty
/// or ragged samples or a dynamics model of another horizon or size.
QuadraticTrajectoryCost expand_sample_costs(const DifferentiableReward& reward, const LocalLinearModel& dynamics,
                                            const std::vector<std::vector<Vec>>& X,
                                            const std::vector<std::vector<Vec>>& U);

}  // namespace dynalab
