#pragma once
// Model-based value expansion (Feinberg et al. 2018, "Model-Based Value Estimation for Efficient
// Model-Free Reinforcement Learning", algorithm 1 with its TD-k trick), with SAC's soft value as
// the bootstrap. For a batch of transitions (s, a, r, s', d), the policy is rolled H steps
// through the learned model from s^_0 = s' (a random elite member per step, as MBPO's branched
// rollouts), and the critics learn on the real pair and on every imagined pair:
//   G_H = Vbar(s^_H) = min_j Qbar_j(s^_H, a') - alpha log pi(a'|s^_H)
//   G_t = r^_t + gamma (1 - d^_t) G_{t+1}                 target of (s^_t, a^_t), t = 0..H-1
//   y   = r + gamma (1 - d) G_0                           target of the real (s, a)
// Imagined pairs after an imagined termination, and all imagined pairs of a real terminal
// transition, are left out. H = 0 is SAC's own target (the caller then uses the plain update).
// The entropy bonus enters only at the bootstrap, not at the imagined steps (MVE was derived for
// DDPG; this is the simplest soft form).

#include <cstdint>
#include <functional>

#include "core/agents/sac/replay_buffer.h"
#include "core/agents/sac/sac_learner.h"
#include "core/planning/model_stepper.h"

namespace dynalab {

/// The critics' training rows of one MVE update.
struct MveTargets {
  Mlp::Mat x;  ///< [m, obs_dim + action_dim]: [obs | action] of the real rows, then the imagined
  Mlp::Mat y;  ///< [m, 1]: their targets
  int64_t imagined_rows = 0;  ///< m - batch rows
};

/// Fills `out` for `batch` (actions in the policy's (-1, 1) units) with horizon H >= 1 through
/// `stepper` (one row per group), actions ~ learner's policy scaled to the env by `to_env`, the
/// model's noise from `seed`. gamma: the discount.
void mve_targets(const ModelStepper& stepper, SacLearner& learner, const ReplayBatch& batch,
                 int horizon, double gamma, const std::function<Vec(const Vec&)>& to_env,
                 uint64_t seed, MveTargets& out);

}  // namespace dynalab
