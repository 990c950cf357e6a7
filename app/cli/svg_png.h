#pragma once
// SVG to PNG for the figures the CLI writes (aggregate's plots for slides that take no SVG):
// rendered by librsvg onto a cairo image surface (Debian's librsvg2-dev), not by our own
// rasteriser, so the PNG is the same picture as the SVG.

#include <filesystem>
#include <string>

namespace dynalab::cli {

/// Renders the SVG text `svg` at `scale` (2: twice its pixel size, sharp on a projector) and
/// writes it to `png` atomically. Throws InputError naming the file on a render or write error.
void write_svg_as_png(const std::string& svg, const std::filesystem::path& png, double scale = 2);

}  // namespace dynalab::cli
