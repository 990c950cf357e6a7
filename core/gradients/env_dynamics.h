#pragma once
// The true env as DifferentiableDynamics and DifferentiableReward. The state is the env's
// observation: step(x, u) puts a private clone at x (Env::set_observation) and steps it, so the
// Jacobians are central finite differences through the simulator (two steps per input
// coordinate), or the env's own closed-form ones (Env::dynamics_jacobians, the point mass).
// The reward is the env's closed form (Env::reward) with finite-difference derivatives.
//
// Not thread-safe: step() moves the one clone. Give each thread its own EnvDynamics.

#include <memory>

#include "core/env.h"
#include "core/gradients/differentiable_dynamics.h"

namespace dynalab {

class EnvDynamics : public DifferentiableDynamics {
 public:
  /// Dynamics of a clone of `env`. `fd_step` is the finite-difference step in observation
  /// units: Box2D keeps its state in float (relative round-off 6e-8), so a step of 1e-3 leaves
  /// about 1e-4 of round-off in a Jacobian entry where 1e-5 would leave 1e-2.
  /// Throws std::invalid_argument if the env cannot be set to an observation.
  explicit EnvDynamics(const Env& env, double fd_step = 1e-3);
  int state_dim() const override { return obs_dim_; }
  int action_dim() const override { return action_dim_; }
  /// The observation after one env step from observation x with action u (clipped by the env).
  Vec step(const Vec& x, const Vec& u) const override;
  /// The env's exact Jacobians if it has them, else central differences.
  void jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A, Eigen::MatrixXd& B) const override;
  /// True if jacobians() are the env's closed-form ones.
  bool exact() const { return exact_; }

 private:
  std::unique_ptr<Env> clone_;  // moved by step(): const only to callers
  int obs_dim_, action_dim_;
  bool exact_;
};

class EnvReward : public DifferentiableReward {
 public:
  /// The closed-form reward of `env` (which must outlive this). Throws std::invalid_argument if
  /// the env has none (Env::reward returns nullopt).
  explicit EnvReward(const Env& env);
  double reward(const Vec& s, const Vec& a, const Vec& s_next) const override;

 private:
  const Env& env_;
};

}  // namespace dynalab
