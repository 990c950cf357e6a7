#pragma once
// C-learning's future-state density over the world (core/views.h FutureDensityView): on the
// left the world with the predicted density p(s_f | s, a) = C/(1 - C) p(s_f) laid over it, on
// the right a copy of the world with the Monte Carlo histogram of real futures from the same
// (s, a), on one colour scale, the query state marked in both (a ring, and an arrow for the
// action taken there). The lecture's point at a glance: the two blobs match, where the marginal
// alone would spread over the whole arena.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

/// The world's bounds grown to hold the Monte Carlo copy to the right and the captions above.
Bounds future_density_bounds(const Env& world, const FutureDensityView& v);

/// Draws both panels (the left world is drawn already; the right copy is drawn here).
void draw_future_density(Canvas& canvas, const Env& world, const FutureDensityView& v);

}  // namespace dynalab
