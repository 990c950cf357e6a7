#pragma once
// An env's closed-form reward and termination, batched for model rollouts: ModelStepper calls
// them on every imagined step with one transition (s, a, s') per row.

#include <Eigen/Core>
#include <functional>

#include "core/env.h"
#include "core/models/dynamics_model.h"

namespace dynalab {

/// Batched reward r(s, a, s'): row i of obs (n x obs_dim), action (n x action_dim) and next_obs
/// is one transition; write its reward to reward[i]. Called concurrently from worker threads
/// (on disjoint rows), so it must not mutate shared state.
using BatchRewardFn = std::function<void(
    const Eigen::Ref<const RowMatrixXf>& obs, const Eigen::Ref<const RowMatrixXf>& action,
    const Eigen::Ref<const RowMatrixXf>& next_obs, Eigen::Ref<Eigen::VectorXf> reward)>;

/// Batched termination predicate: terminated[i] = 1 if row i's transition ends the episode,
/// else 0. Same rows and threading rules as BatchRewardFn.
using BatchTerminationFn = std::function<void(
    const Eigen::Ref<const RowMatrixXf>& obs, const Eigen::Ref<const RowMatrixXf>& action,
    const Eigen::Ref<const RowMatrixXf>& next_obs, Eigen::Ref<Eigen::VectorXf> terminated)>;

/// The env's closed-form reward r(s, a, s') as a BatchRewardFn. `env` must outlive it and must
/// not be stepped meanwhile (rollouts call it from worker threads); the env must have a
/// closed-form reward (Env::reward not nullopt).
BatchRewardFn env_reward(const Env& env);
/// The env's closed-form Env::terminated as a BatchTerminationFn (same rules).
BatchTerminationFn env_termination(const Env& env);

}  // namespace dynalab
