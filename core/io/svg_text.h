#pragma once
// The small text pieces every SVG writer shares, so figures and heat maps print alike.

#include <string>

#include "core/canvas.h"

namespace dynalab {

/// `s` with &, <, > and " escaped for SVG text and attributes.
std::string svg_escape(const std::string& s);
/// A coordinate in pixels, 2 decimals.
std::string svg_num(double v);
/// "#rrggbb" of `c` (alpha ignored).
std::string svg_rgb(Color c);

}  // namespace dynalab
