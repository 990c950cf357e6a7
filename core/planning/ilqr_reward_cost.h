#pragma once
// The iLQR cost of an MPC return: l(x, u) = -r(x, u, f(x, u)) per step and no final cost, so
// minimising the cost over H steps maximises the return an evaluator predicts (sum of r over
// the horizon). r is a DifferentiableReward and f a DifferentiableDynamics (the evaluator's,
// SequenceEvaluator::differentiable_dynamics / differentiable_reward).
//
// Derivatives by the chain rule through x' = f(x, u), with A = df/dx and B = df/du:
//   l_x = -(r_s + A' r_s'),   l_u = -(r_a + B' r_s'),
// and the Hessian Gauss-Newton style: with J = [I 0; 0 I; A B] (d[s, a, s'] / d[x, u] to first
// order) and H_r the reward's Hessian in [s, a, s'],
//   [l_xx l_xu; l_ux l_uu] = -J' H_r J,
// dropping the term r_s' . d2f/d[x,u]2 (the dynamics' curvature), as iLQR drops it from the
// value function's expansion too (Li & Todorov 2004; DDP keeps it). Exact when f is linear: the
// point mass with its quadratic reward is an LQ problem, and one iLQR iteration solves it.

#include "core/gradients/differentiable_dynamics.h"
#include "core/planning/ilqr.h"

namespace dynalab {

class IlqrRewardCost : public IlqrCost {
 public:
  /// The cost of maximising `reward` under `dynamics` (both must outlive this).
  IlqrRewardCost(const DifferentiableReward& reward, const DifferentiableDynamics& dynamics);

  /// -r(x, u, f(x, u)) (one step of f).
  double running(const Vec& x, const Vec& u) const override;
  /// 0: the return is the sum of the H step rewards.
  double final(const Vec&) const override { return 0; }
  /// expand_transition at (x, u, f(x, u)) with f's Jacobians there.
  CostExpansion expand_running(const Vec& x, const Vec& u) const override;
  /// Zero: no final cost (lx of state_dim zeros, lxx state_dim square zeros).
  CostExpansion expand_final(const Vec& x) const override;
  /// -r(x, u, x_next): the solver has the next state already.
  double transition(const Vec& x, const Vec& u, const Vec& x_next) const override;
  /// The chain rule above at (x, u, x_next) with f's Jacobians A, B there: l, l_x, l_u from the
  /// reward's gradient, l_xx, l_uu, l_ux from its Hessian (Gauss-Newton).
  CostExpansion expand_transition(const Vec& x, const Vec& u, const Vec& x_next,
                                  const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const override;

 private:
  const DifferentiableReward& reward_;
  const DifferentiableDynamics& dynamics_;
};

}  // namespace dynalab
