#pragma once
// v2.0's imagined rollout over the world (core/views.h PathwiseRolloutView): each step's segment
// coloured by log10 of the return's sensitivity to that step's action on one fixed scale
// (1e-3 .. 1e3: pale blue where an action hardly matters, dark red where the Jacobian products
// have exploded), with a colour key where the env has room (Env::legend_area).

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

/// Colour of log10 |dJ/da| on the overlay's fixed scale (clamped to [-3, 3]).
Color sensitivity_color(double log10_sensitivity);

void draw_pathwise_rollout(Canvas& canvas, const Env& env, const PathwiseRolloutView& v);

}  // namespace dynalab
