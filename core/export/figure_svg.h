#pragma once
// A Figure as a standalone SVG (vector, for slides): axes with nice ticks, labels, title,
// a legend, one <path> per series. Non-finite points break a line rather than reaching the file.

#include <string>

#include "core/figure.h"

namespace dynalab {

/// The SVG text of `figure` at `width` x `height` pixels.
std::string figure_to_svg(const Figure& figure, int width = 640, int height = 400);

}  // namespace dynalab
