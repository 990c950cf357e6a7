#pragma once
// The "truth" C-learning's predicted density is scored against (Eysenbach, Salakhutdinov &
// Levine 2020; lecture deck 001): samples of the discounted future state of (s, a) under the
// behaviour policy from real rollouts of the env, Delta ~ Geom(1 - gamma) steps ahead
// (future_replay.h's geometric_offset), binned on the density grid by grid_histogram
// (core/analysis/grid_histogram.h).

#include <array>
#include <functional>
#include <vector>

#include "core/env.h"
#include "core/rng.h"

namespace dynalab {

/// The behaviour policy's action for an observation, given the action before it (a policy that
/// keeps its action for a while is Markov in (s, a)); draws from `rng`.
using BehaviourPolicy = std::function<Vec(const Vec& obs, const Vec& previous_action, Rng& rng)>;

/// Monte Carlo samples of the discounted future state of (s, a) under the behaviour policy, from
/// real rollouts: per rollout a copy of `env` is put in `state` (Env::set_state), takes `action`,
/// then follows `policy` (its first previous action is `action`) for Delta - 1 more steps,
/// Delta ~ geometric_offset(gamma), and the observation reached gives (obs[dims[0]], obs[dims[1]]).
/// A rollout that TERMINATES earlier keeps its terminal observation (absorbing, as the replay's
/// positives). Truncation by the step limit is ignored: the classifier never sees the step
/// counter that get_state() carries, so the future of a state must not depend on how late in
/// its episode it was saved. Every env keeps stepping past its limit (step() only reports
/// truncated = counter >= limit; Box2DEnv's physics never reads the counter), so no counter reset
/// is needed. Appends to xs and ys.
void monte_carlo_futures(const Env& env, const std::vector<double>& state, const Vec& action,
                         const BehaviourPolicy& policy, double gamma, int rollouts,
                         std::array<int, 2> dims, Rng& rng, std::vector<double>& xs,
                         std::vector<double>& ys);

}  // namespace dynalab
