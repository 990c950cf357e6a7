#pragma once
// MBPO's branched rollouts over the world (core/views.h BranchedRolloutView): short imagined
// fans sprouting from REAL states, each step's segment in the colour of the ensemble member that
// predicted it, placed as the env lays out imagined futures (Env::future_layout: up a time band
// on cliff hill, outward on the pendulum), a dark dot at each real start and a cross where a
// rollout terminated; a caption where the env has a legend area (Env::legend_area).

#include <vector>

#include "app/draw/mpc_overlay.h"
#include "core/snapshot.h"

namespace dynalab {

/// The colour of ensemble member `m` (of `members`): a categorical palette, distinct in pairs.
Color member_color(int m);

/// The members that predicted a step of `v`'s rollouts, ascending (the key's rows).
std::vector<int> members_used(const BranchedRolloutView& v);

/// Draws `v` over `env` (drawn already).
void draw_branched_rollouts(Canvas& canvas, const Env& env, const BranchedRolloutView& v);

}  // namespace dynalab
