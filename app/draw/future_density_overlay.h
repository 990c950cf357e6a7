#pragma once
// C-learning's future-state density over the world (core/views.h FutureDensityView): on the
// left the world with the predicted density p(s_f | s, a) = C/(1 - C) p(s_f) laid over it (or,
// as the baseline, the marginal p(s_f) alone), on
// the right a copy of the world with the Monte Carlo histogram of real futures from the same
// (s, a), on one colour scale, the query state marked in both (a ring, a dark arrow for its
// velocity and a red one for the action taken there). The lecture's point at a glance: the two blobs match, where the marginal
// alone would spread over the whole arena.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

struct FutureDensityOverlayOptions {
  bool shown = true;
  /// The left panel shows the baseline, the marginal p(s_f) alone, instead of the prediction:
  /// the same colour scale, so the audience sees how much the classifier's odds sharpen it.
  bool marginal_instead = false;
};

/// The world's bounds grown to hold the Monte Carlo copy to the right and the captions above.
Bounds future_density_bounds(const Env& world, const FutureDensityView& v);

/// Draws both panels (the left world is drawn already; the right copy is drawn here).
void draw_future_density(Canvas& canvas, const Env& world, const FutureDensityView& v,
                         const FutureDensityOverlayOptions& opt = {});

}  // namespace dynalab
