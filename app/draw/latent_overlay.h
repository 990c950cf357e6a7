#pragma once
// The latent family's views beside the world (core/views.h LatentView): below the world the
// visual-foresight filmstrip (latent_filmstrip.h); to the right the latent map
// (latent_map.h) level with the world and, under it, the current frame beside its
// reconstruction. The world's bounds grow to hold them, as future_density_bounds does.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

struct LatentOverlayOptions {
  bool filmstrip = true;   ///< the filmstrip and the current frame / reconstruction pair
  bool latent_map = true;  ///< the latent map
};

/// Where each part goes around a world with bounds `world` (a part's box is empty when it is
/// not shown) and the bounds of the whole.
struct LatentLayout {
  Bounds strip, pair, map, all;
  bool has_strip = false, has_pair = false, has_map = false;
};
LatentLayout latent_layout(const Bounds& world, const LatentView& v, const LatentOverlayOptions& opt);

/// The world's bounds grown to hold the shown parts.
Bounds latent_bounds(const Env& world, const LatentView& v, const LatentOverlayOptions& opt);

/// Draws the shown parts around the world (which is drawn already).
void draw_latent_overlay(Canvas& canvas, const Env& world, const LatentView& v, const LatentOverlayOptions& opt);

}  // namespace dynalab
