#pragma once
// MBPO's branched rollouts (Janner et al. 2019, algorithm 2; mbrl-lib mbrl/algorithms/mbpo.py,
// rollout_model_and_populate_sac_buffer): from states drawn uniformly from the REAL data, roll
// the current policy k steps through the learned model and store every imagined transition in
// the model buffer. Propagation is mbrl-lib's "random_model": each rollout draws a uniformly
// random elite member at every step (ModelStepper's ts1 with one particle) and samples the next
// state from that member's Gaussian. A rollout stops at termination: the terminating transition
// is stored (done = 1), nothing after it (mbrl-lib masks with accum_dones).
//
// k follows mbrl-lib's rollout_schedule [min_epoch, max_epoch, min_k, max_k] (truncated_linear):
// min_k up to min_epoch, max_k from max_epoch, linear in between, truncated to an integer; the
// epoch x is 1-based (mbrl-lib calls it with epoch + 1).

#include <cstdint>
#include <functional>
#include <vector>

#include "core/agents/sac/replay_buffer.h"
#include "core/agents/sac/sac_learner.h"
#include "core/planning/model_stepper.h"
#include "core/views.h"

namespace dynalab {

class Rng;

/// mbrl-lib's truncated_linear(min_x, max_x, min_y, max_y, x) on `schedule` = [min_x, max_x,
/// min_y, max_y] (4 values, min_x <= max_x), truncated to int: the rollout length k at 1-based
/// epoch x.
int rollout_horizon(const std::vector<int>& schedule, int64_t x);

/// What one call of branched_rollout() did.
struct BranchedRolloutStats {
  int64_t transitions = 0;  ///< imagined transitions stored
  int64_t terminated = 0;   ///< rollouts that ended by termination before k steps
};

/// Draws `n` start states uniformly (with replacement, through `rng`) from `real`'s obs, rolls
/// each out for `horizon` steps through `stepper` with actions ~ learner's policy (in (-1, 1)
/// units; `to_env` scales them to the env's actions the model was fit on), the model's noise
/// from `seed`, and adds every transition of a rollout that has not ended to `model` (actions
/// in policy units, as the learner trains on them). `stepper` must have one row per group
/// (particles 1). real.size() > 0, n >= 1, horizon >= 1. If `sample` is not null it receives the
/// first min(n, sample_size) rollouts as drawn (for the view; it changes no number).
BranchedRolloutStats branched_rollout(const ModelStepper& stepper, const ReplayBuffer& real, int n,
                                      int horizon, SacLearner& learner,
                                      const std::function<Vec(const Vec&)>& to_env, Rng& rng,
                                      uint64_t seed, ReplayBuffer& model,
                                      std::vector<BranchedRolloutView::Rollout>* sample = nullptr,
                                      int sample_size = 20);

}  // namespace dynalab
