#pragma once
// An env's world as an SVG figure: what Env::draw paints, through SvgCanvas, fitted to
// world_bounds() (for slides, `dynalab-cli run ... --world-svg FILE`).

#include <filesystem>
#include <functional>
#include <string>

#include "core/env.h"

namespace dynalab {

/// The SVG text of `env` drawn `width_px` wide, the height following the world's aspect ratio.
std::string world_svg(const Env& env, int width_px = 800);
/// The SVG text of what `draw` paints into `bounds` (a world with overlays), `width_px` wide.
std::string world_svg(const Bounds& bounds, const std::function<void(Canvas&)>& draw, int width_px = 800);
/// world_svg written atomically to `path`; InputError naming it if that fails.
void write_world_svg(const Env& env, const std::filesystem::path& path, int width_px = 800);

}  // namespace dynalab
