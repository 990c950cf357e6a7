#pragma once
// The one thing planners call (mbrl-lib's ModelEnv.evaluate_action_sequences): score candidate
// action sequences from a start state. Implemented by ModelEnv (a learned model, with particle
// propagation) and by OracleEvaluator (the true env via Env::clone()).
//
// Optionally an evaluator also offers the derivatives of what it scores, for gradient-based
// optimisers (iLQR, ilqr_planner.h): differentiable_dynamics() and differentiable_reward(), both
// nullptr by default. Sampling planners never call them.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/space.h"

namespace dynalab {

class DifferentiableDynamics;
class DifferentiableReward;

/// Row-major float matrix: one candidate action sequence per row, H*A values, time-major.
using ActionBatch = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

class SequenceEvaluator {
 public:
  virtual ~SequenceEvaluator() = default;
  virtual int obs_dim() const = 0;
  virtual int action_dim() const = 0;
  /// Particles evaluated per candidate (1 for a deterministic evaluator).
  virtual int particles() const = 0;
  /// Scores each row of `actions` (P x H*A) from `start`. `returns` gets P values: the return
  /// (sum of rewards over the horizon, up to and including the step that terminates the episode)
  /// averaged over particles (ModelEnv: or another score of them, rollout.score); candidates whose return is not finite get -infinity so planners
  /// ignore them. Randomness derives from `noise_seed` and the candidate index only, so the
  /// result does not depend on thread count.
  /// If `paths` is not null it receives P x particles() x (H+1) x obs_dim predicted observations;
  /// the rows after a particle's terminal state are NaN (its path ends there).
  virtual void evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t noise_seed,
                        Eigen::VectorXf& returns, std::vector<float>* paths) = 0;

  /// Optional: the deterministic one-step map x' = f(x, u) behind evaluate(), over observations
  /// (state_dim() == obs_dim(), action_dim() == action_dim()), with its Jacobians; nullptr (the
  /// default) if the evaluator cannot differentiate its dynamics. OracleEvaluator: the true env
  /// put at an observation (EnvDynamics, finite differences through the simulator); ModelEnv:
  /// the mean of the model's rollout (elite) members (ModelDynamics), without particles or
  /// noise. Owned by the evaluator and valid while it lives; not thread-safe. Termination is not
  /// part of it: a gradient-based optimiser plans as if the episode went on.
  virtual const DifferentiableDynamics* differentiable_dynamics() { return nullptr; }
  /// Optional: the reward r(s, a, s') evaluate() sums, with its derivatives; nullptr (the
  /// default) if it has none (a learned reward). Owned by the evaluator, valid while it lives.
  virtual const DifferentiableReward* differentiable_reward() { return nullptr; }
};

}  // namespace dynalab
