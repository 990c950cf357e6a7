#pragma once
// Closed-loop rollouts of a policy through a learned model: the data source of model-based
// policy learners (MBPO's short branched rollouts, backprop through the model, model-based
// policy gradients). Each step asks the policy for the actions of the current states, then
// advances every row with the same ModelStepper that open-loop planning uses (ModelEnv), so the
// propagation modes, sampling and termination are the planners' exactly.

#include <functional>
#include <vector>

#include "core/planning/model_stepper.h"

namespace dynalab {

/// A batched policy: fills actions (n x action_dim, already sized) for states (n x obs_dim).
/// Called once per step with every row, also rows that have ended (their states are frozen).
using BatchPolicy = std::function<void(const RowMatrixXf& states, RowMatrixXf& actions)>;

/// What a rollout produced. Rows: start state n's particles are rows n * K .. n * K + K - 1,
/// K = stepper.rows_per_group() (the particles, or 1 in mode mean).
struct PolicyRollout {
  std::vector<RowMatrixXf> states;   ///< H + 1 of (rows x obs_dim): s_0 .. s_H (frozen once ended)
  std::vector<RowMatrixXf> actions;  ///< H of (rows x action_dim): a_t = policy(s_t)
  Eigen::MatrixXf rewards;     ///< rows x H: reward of step t (0 once the row had ended)
  Eigen::MatrixXf terminated;  ///< rows x H: 1 where step t's transition ended the episode
  Eigen::MatrixXf alive;       ///< rows x H: 1 where the row still ran when step t began, i.e.
                               ///< (s_t, a_t, r_t, s_t+1) is a real imagined transition
  Eigen::VectorXf returns;     ///< rows: the sum of the rewards over the horizon
  /// rows x H: the model member (DynamicsModel member index) that predicted step t of the row in
  /// modes ts1 and tsinf (which member drew each imagined step, for drawing); -1 in the others.
  Eigen::MatrixXi members;
};

/// Rolls every start state (rows of `starts`, N x obs_dim) through the model for `horizon`
/// steps, the actions chosen by `policy` at each step. Start state n draws its noise from
/// Rng::derive(seed, {n}), as candidate n of ModelEnv::evaluate does: with a policy that
/// replays an action sequence, both give the same numbers.
PolicyRollout policy_rollout(const ModelStepper& stepper, const RowMatrixXf& starts, int horizon,
                             const BatchPolicy& policy, uint64_t seed);

}  // namespace dynalab
