#include "app/draw/pathwise_rollout_overlay.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/draw/plan_overlay.h"

namespace dynalab {

Color sensitivity_color(double lg) {
  // Blue (small) -> grey -> red (large): a diverging scale centred on |dJ/da| = 1.
  const float t = float((std::clamp(std::isfinite(lg) ? lg : 3.0, -3.0, 3.0) + 3) / 6);
  const Color lo{0.13f, 0.40f, 0.75f, 1}, mid{0.75f, 0.75f, 0.75f, 1}, hi{0.75f, 0.05f, 0.10f, 1};
  const Color& a = t < 0.5f ? lo : mid;
  const Color& b = t < 0.5f ? mid : hi;
  const float u = t < 0.5f ? 2 * t : 2 * t - 1;
  return {a.r + u * (b.r - a.r), a.g + u * (b.g - a.g), a.b + u * (b.b - a.b), 1};
}

void draw_pathwise_rollout(Canvas& canvas, const Env& env, const PathwiseRolloutView& v) {
  if (v.states.size() < 2) return;
  const PathPlacer place = future_placer(env);
  const int steps = v.horizon + 1;
  auto at = [&](const Vec& o, int k) { return place ? place(o, k, steps) : env.obs_position(o); };
  draw_future_band(canvas, env, v.horizon);
  for (size_t t = 0; t + 1 < v.states.size(); ++t) {
    const auto p = at(v.states[t], int(t)), q = at(v.states[t + 1], int(t) + 1);
    const double s = t < v.sensitivity.size() ? v.sensitivity[t] : 0;
    if (p && q) canvas.segment(*p, *q, sensitivity_color(std::log10(std::max(s, 1e-300))), 4.0f);
  }
  const Bounds b = env.world_bounds();
  const double r = 0.012 * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
  if (const auto s = at(v.states[0], 0)) canvas.circle(*s, r, palette::body_outline, palette::none);
  // The key: the scale's three anchors, in the UI's text size, where the env has room.
  const auto area = env.legend_area();
  if (!area) return;
  const double ui = canvas.ui_text_height(0.9f), grown = canvas.text_height(1.0f);
  const float ts = ui > 0 && grown > 0 ? float(ui / grown) : 0.9f;
  const double line = ui > 0 ? 1.3 * ui : 0.04 * (b.hi.y - b.lo.y);
  Vec2 p{area->lo.x + 0.02 * (area->hi.x - area->lo.x), area->hi.y - 0.7 * line};
  canvas.text_left(p, "|dJ/da_t| of each imagined step:", palette::text, ts);
  for (const auto& [lg, text] : {std::pair{-3.0, "1e-3"}, std::pair{0.0, "1"}, std::pair{3.0, "1e3"}}) {
    p.y -= line;
    canvas.segment({p.x, p.y}, {p.x + 1.5 * line, p.y}, sensitivity_color(lg), 4.0f);
    canvas.text_left({p.x + 2 * line, p.y}, text, palette::text, ts);
  }
}

}  // namespace dynalab
