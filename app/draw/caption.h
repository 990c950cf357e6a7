#pragma once
// Text sized to a slot: overlays that reserve a fixed strip of world units for a title (the
// layout cannot ask the canvas, which the bounds functions never see) draw it as large as the
// strip and its width allow, so it is readable when zoomed and never runs into its neighbour.

#include <algorithm>
#include <string_view>

#include "core/canvas.h"

namespace dynalab {

/// The relative text size at which `s` fits a slot `height` high and `width` wide (world
/// units) on `canvas`, at most `max_size`. The width estimate is text_left's, 0.56 text heights
/// per character. A canvas that cannot tell its text height gets `max_size`.
inline float caption_size(const Canvas& canvas, std::string_view s, double height, double width,
                          float max_size = 1.0f) {
  const double h = canvas.text_height(1.0f);
  if (!(h > 0)) return max_size;
  const double chars = double(std::max<size_t>(s.size(), 1));
  return float(std::min({double(max_size), height / h, width / (0.56 * h * chars)}));
}

}  // namespace dynalab
