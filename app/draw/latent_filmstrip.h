#pragma once
// The latent family's visual foresight (core/views.h LatentView; lecture deck 003, "planning
// with visual foresight"): the decoded frames of the plan chosen at step t0, t0+1..t0+n, in a
// row, and directly below each the real frame of that step once it has arrived (an empty box
// until then). Reading down a column compares what the model imagined with what happened;
// reading along the row shows the drift grow with k. Also the current frame beside its
// reconstruction d(g(o_t)): what the encoder keeps of what the agent sees, with the encoder's
// keypoints on it as red dots if it has them (the sharpest channel's the largest).
// Frames are grayscale, row 0 at the top, one rectangle per lit pixel over a black square.

#include <string>
#include <vector>

#include "core/canvas.h"
#include "core/views.h"

namespace dynalab {

/// Columns of the strip: the predicted frames, or the default plan length before the first
/// plan (the layout does not jump when the first plan arrives).
int filmstrip_columns(const LatentView& v);

/// The height the filmstrip takes when laid out `width` wide with `columns` frames.
double filmstrip_height(double width, int columns);

/// The filmstrip filling the width of `box` (top aligned; box's height: filmstrip_height).
void draw_filmstrip(Canvas& canvas, const LatentView& v, Bounds box);

/// The filmstrip laid out alone, one world unit wide (the exports draw it into this box).
Bounds filmstrip_alone_box(const LatentView& v);

/// The filmstrip alone as an SVG document `width_px` wide (File > Export, `dynalab-cli run
/// --export-all`).
std::string filmstrip_svg(const LatentView& v, int width_px = 1200);

/// The height of the "what the agent sees" / "reconstruction" pair laid out `width` wide.
double frame_pair_height(double width);

/// The current frame and its reconstruction side by side, captioned, at the top of `box`.
void draw_frame_pair(Canvas& canvas, const LatentView& v, Bounds box);


}  // namespace dynalab
