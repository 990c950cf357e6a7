#pragma once
// Where a learned model's training data lies in the world: one translucent dot per training
// state at Env::obs_position, so dense regions look dark and regions without data stay empty
// (lesson 01: random pushes keep pi_0's data at the foot of the slope, nowhere near the cliff).

#include "core/canvas.h"
#include "core/dataset.h"
#include "core/env.h"

namespace dynalab {

/// Draws every state of `data` (its observations) where `world` places it, with a caption
/// "training data (N transitions)" above the data's centre. Envs without obs_position draw nothing.
void draw_training_data(Canvas& canvas, const Env& world, const Dataset& data);

}  // namespace dynalab
