#pragma once
// A Figure as a standalone SVG (vector, for slides): axes with nice ticks, labels, title,
// a legend, one <path> per series. Non-finite points break a line rather than reaching the file.

#include <filesystem>
#include <string>

#include "core/figure.h"

namespace dynalab {

/// The SVG text of `figure` at `width` x `height` pixels.
std::string figure_to_svg(const Figure& figure, int width = 640, int height = 400);

/// Writes `figure` as dir/<id>.svg (figure_to_svg) and dir/<id>.csv (Figure::to_csv),
/// atomically. Throws InputError naming the path.
void write_figure_files(const Figure& figure, const std::filesystem::path& dir);

}  // namespace dynalab
