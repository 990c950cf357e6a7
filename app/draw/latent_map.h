#pragma once
// The latent family's latent map (core/views.h LatentView; lecture deck 003, "reconstruction
// objectives might not recover the right representation"): the held-out frames' latent z on
// its first two principal components, each dot coloured by the true state behind the frame.
// For the pendulum the colour is the angle on a cyclic hue wheel (-pi and pi share a colour):
// an embedding that keeps the angle's topology draws a ring whose colour goes once round it.
// Drawn beside the world (latent_overlay.h) and alone for File > Export (SVG, CSV).

#include <string>

#include "core/canvas.h"
#include "core/views.h"

namespace dynalab {

/// True when the map's colour is an angle (cyclic colours), from LatentView::colour_name.
bool latent_colour_is_angle(const LatentView& v);

/// An angle's colour on a hue wheel: a full turn goes once through the hues, so -pi and pi
/// (the same pendulum) get the same colour.
Color angle_color(double radians);

/// Title, scatter and colour key filling `box` (about square).
void draw_latent_map(Canvas& canvas, const LatentView& v, Bounds box);

/// The latent map alone as an SVG document `width_px` wide.
std::string latent_map_svg(const LatentView& v, int width_px = 640);

/// The latent map's points as CSV: point,pc1,pc2,<colour_name> (one row per held-out frame).
std::string latent_map_csv(const LatentView& v);

}  // namespace dynalab
