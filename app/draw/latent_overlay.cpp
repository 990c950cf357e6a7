#include "app/draw/latent_overlay.h"

#include <algorithm>

#include "app/draw/latent_filmstrip.h"
#include "app/draw/latent_map.h"

namespace dynalab {

namespace {
// In world heights H: the gap between the parts and the width of the right-hand column (the
// latent map's square is as tall as the world; the extra width gives the pair under it room
// for readable captions, and costs no scale in a landscape pane).
constexpr double kLatentGap = 0.06, kLatentColumn = 1.2;

Bounds union_of(Bounds a, const Bounds& b) {
  a.lo = {std::min(a.lo.x, b.lo.x), std::min(a.lo.y, b.lo.y)};
  a.hi = {std::max(a.hi.x, b.hi.x), std::max(a.hi.y, b.hi.y)};
  return a;
}
}  // namespace

LatentLayout latent_layout(const Bounds& b, const LatentView& v, const LatentOverlayOptions& opt) {
  LatentLayout l;
  l.all = b;
  const double W = b.hi.x - b.lo.x, H = b.hi.y - b.lo.y, gap = kLatentGap * H, R = kLatentColumn * H;
  const double x_col = b.hi.x + gap;
  if (opt.latent_map) {
    l.has_map = true;
    l.map = {{x_col, b.lo.y}, {x_col + R, b.hi.y}};
    l.all = union_of(l.all, l.map);
  }
  if (opt.filmstrip) {
    // The strip under the world, as wide as it; the pair in the right-hand column, level with
    // the strip (the current frame sits next to the frames the plan predicts from it).
    const double y1 = b.lo.y - gap;
    l.has_strip = l.has_pair = true;
    l.strip = {{b.lo.x, y1 - filmstrip_height(W, filmstrip_columns(v))}, {b.hi.x, y1}};
    l.pair = {{x_col, y1 - frame_pair_height(R)}, {x_col + R, y1}};
    l.all = union_of(union_of(l.all, l.strip), l.pair);
  }
  return l;
}

Bounds latent_bounds(const Env& world, const LatentView& v, const LatentOverlayOptions& opt) {
  return latent_layout(world.world_bounds(), v, opt).all;
}

void draw_latent_overlay(Canvas& canvas, const Env& world, const LatentView& v, const LatentOverlayOptions& opt) {
  const LatentLayout l = latent_layout(world.world_bounds(), v, opt);
  if (l.has_strip) draw_filmstrip(canvas, v, l.strip);
  if (l.has_pair) draw_frame_pair(canvas, v, l.pair);
  if (l.has_map) draw_latent_map(canvas, v, l.map);
}

}  // namespace dynalab
