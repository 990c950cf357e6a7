#include "core/export/world_svg.h"

#include <algorithm>
#include <cmath>

#include "core/io/atomic_file.h"
#include "core/io/svg_canvas.h"

namespace dynalab {

std::string world_svg(const Env& env, int width_px) {
  return world_svg(env.world_bounds(), [&env](Canvas& c) { env.draw(c); }, width_px);
}

std::string world_svg(const Bounds& b, const std::function<void(Canvas&)>& draw, int width_px) {
  constexpr double kMargin = 10;
  const double wx = std::max(b.hi.x - b.lo.x, 1e-9), wy = std::max(b.hi.y - b.lo.y, 1e-9);
  const double inner = std::max(width_px - 2 * kMargin, 1.0);
  const int height_px = int(std::clamp(std::lround(inner * wy / wx + 2 * kMargin), 100L, 4L * width_px));
  SvgCanvas canvas(b, width_px, height_px, kMargin);
  draw(canvas);
  return canvas.svg();
}

void write_world_svg(const Env& env, const std::filesystem::path& path, int width_px) {
  write_file_atomic(path, world_svg(env, width_px));
}

}  // namespace dynalab
