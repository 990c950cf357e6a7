#include "app/draw/plan_overlay.h"

#include <algorithm>

#include "app/draw/fan_legend.h"

namespace dynalab {

namespace {
// Where the imagined futures go (Env::future_layout): for time_up, the band above the world.
struct FutureBand {
  FutureLayout layout;
  double y0 = 0, height = 0;  // time_up band, world units
};

FutureBand future_band(const Env& env) {
  FutureBand f{env.future_layout()};
  if (f.layout.kind == FutureLayout::time_up) {
    const Bounds b = env.world_bounds();
    const double w = b.hi.x - b.lo.x, h = b.hi.y - b.lo.y;
    f.height = std::max(0.6 * h, 0.25 * w);
    f.y0 = b.hi.y + 0.05 * f.height;
  }
  return f;
}

// Where the k-th of `steps` predicted observations goes for the band's layout.
PathPlacer band_placer(const Env& env, const FutureBand& f) {
  if (f.layout.kind == FutureLayout::time_up)
    return [&env, f](const Vec& o, int k, int steps) -> std::optional<Vec2> {
      auto p = env.obs_position(o);
      if (!p) return std::nullopt;
      return Vec2{p->x, f.y0 + f.height * k / std::max(1, steps - 1)};
    };
  if (f.layout.kind == FutureLayout::radial)
    return [&env](const Vec& o, int k, int steps) -> std::optional<Vec2> {
      auto p = env.obs_position(o);
      if (!p) return std::nullopt;
      const double r = 1.0 + 0.85 * k / std::max(1, steps - 1);
      return Vec2{p->x * r, p->y * r};
    };
  return {};
}

// The time band's frame: "now" at the bottom, time going up, and the danger line of a cliff.
void draw_band_frame(Canvas& canvas, const Env& env, const FutureBand& f, int horizon,
                     std::string_view title = kFuturesTitle, std::string_view start = "now") {
  const Bounds b = env.world_bounds();
  const Color frame{0.35f, 0.35f, 0.45f, 1};
  canvas.rect({b.lo.x, f.y0}, {b.hi.x, f.y0 + f.height}, Color{1, 1, 1, 0.55f}, frame);
  canvas.text({0.5 * (b.lo.x + b.hi.x), f.y0 + f.height * 1.04}, title, palette::text, 1.0f);
  if (horizon > 0)
    canvas.text({b.lo.x + 0.06 * (b.hi.x - b.lo.x), f.y0 + f.height * 0.04}, start, palette::text,
                1.0f);
  for (const auto& mark : f.layout.marks) {
    // Up to the band solid; through the band dashed and darker, so the fan's red paths (a
    // failure) stand out against the line they cross.
    canvas.segment(mark.base, {mark.base.x, f.y0}, palette::danger, 3.0f);
    const Color dash{0.45f, 0.08f, 0.08f, 0.8f};
    dashed_segment(canvas, {mark.base.x, f.y0}, {mark.base.x, f.y0 + f.height}, 24, dash, 2.0f);
    canvas.text({mark.base.x + 0.04 * (b.hi.x - b.lo.x), f.y0 + f.height * 0.5}, mark.label,
                palette::danger, 1.1f);
  }
}

// Observations [from, to) of the episode so far.
std::vector<Vec> episode_path(const Trajectory& t, int obs_dim, size_t from, size_t to) {
  std::vector<Vec> path;
  for (size_t i = from; i < to; ++i)
    path.push_back(Eigen::Map<const Vec>(t.obs.data() + i * obs_dim, obs_dim));
  return path;
}
// Draws the fan's key where it hides no data: on the env's legend_area (solid ground) if it
// fits there, else in the corner of the time band (or of the view) that covers the fewest of
// the fan's points, if it takes at most a modest share of it; its text shrinks a little to fit.
// A view too small for any of these (side-by-side panes) gets no key rather than one over the
// fan it explains.
void place_fan_legend(Canvas& canvas, const Env& env, const FutureBand& f, const PlanTrace& shown,
                      const PathPlacer& place, FanLegend key) {
  const Bounds vb = plan_bounds(env), wb = env.world_bounds();
  const double fallback = 0.03 * (vb.hi.y - vb.lo.y), m = 0.01 * (wb.hi.x - wb.lo.x);
  const bool band = f.layout.kind == FutureLayout::time_up;
  // The region the corners belong to, and how much of it a key may take.
  const Bounds region = band ? Bounds{{wb.lo.x, f.y0}, {wb.hi.x, f.y0 + f.height}} : vb;
  const double max_w = 0.45 * (region.hi.x - region.lo.x),
               max_h = (band ? 0.6 : 0.35) * (region.hi.y - region.lo.y);
  std::vector<Vec2> points;
  const int steps = shown.horizon + 1;
  for (int p = 0; p < std::min<int>(shown.candidates, int(shown.returns.size())); ++p)
    for (int k = 0; const Vec& o : predicted_path(shown, p, 0)) {
      if (o.allFinite())
        if (auto q = place ? place(o, k, steps) : env.obs_position(o)) points.push_back(*q);
      ++k;
    }
  // Off the data the key may get smaller (down to about a 13 px line in presentation mode).
  if (const auto area = env.legend_area())
    for (float text = key.text_size; text >= 0.5f; text -= 0.05f) {
      FanLegend k = key;
      k.text_size = text;
      const Vec2 sz = fan_legend_size(canvas, k, fallback);
      if (area->hi.x - area->lo.x >= sz.x && area->hi.y - area->lo.y >= sz.y) {
        draw_fan_legend(canvas, {area->lo.x, area->hi.y}, k, fallback);
        return;
      }
    }
  for (float text = key.text_size; text >= 0.65f; text -= 0.05f) {
    FanLegend k = key;
    k.text_size = text;
    const Vec2 sz = fan_legend_size(canvas, k, fallback);
    if (sz.x > max_w || sz.y > max_h) continue;
    const double top = region.hi.y - m, bottom = region.lo.y + m + sz.y;
    const double left = region.lo.x + m, right = region.hi.x - m - sz.x;
    // The fan is widest at the top of the band (the horizon's end), narrow at "now".
    const std::vector<Vec2> corners{{left, top}, {right, top}, {left, bottom}, {right, bottom}};
    draw_fan_legend(canvas, emptiest_corner(corners, sz, points), k, fallback);
    return;
  }
}
}  // namespace

PathPlacer future_placer(const Env& env) { return band_placer(env, future_band(env)); }

void draw_future_band(Canvas& canvas, const Env& env, int horizon, std::string_view title,
                      std::string_view start) {
  const FutureBand f = future_band(env);
  if (f.layout.kind == FutureLayout::time_up) draw_band_frame(canvas, env, f, horizon, title, start);
}

Bounds plan_bounds(const Env& env) {
  Bounds b = env.world_bounds();
  const FutureBand f = future_band(env);
  if (f.layout.kind == FutureLayout::time_up) b.hi.y = f.y0 + f.height * 1.08;
  if (f.layout.kind == FutureLayout::radial) b.lo.x *= 1.9, b.lo.y *= 1.9, b.hi.x *= 1.9, b.hi.y *= 1.9;
  return b;
}

void draw_plan_overlay(Canvas& canvas, const Snapshot& s, const PlanView& m,
                       const MpcOverlayOptions& opt, const PlanTrace& shown) {
  if (!s.world) return;
  const Env& env = *s.world;
  const FutureBand f = future_band(env);
  const PathPlacer place = band_placer(env, f);
  const bool show_plan = m.phase != "collect" && m.phase != "train" && !m.trace.returns.empty();
  if (f.layout.kind == FutureLayout::time_up) draw_band_frame(canvas, env, f, m.trace.horizon);
  const size_t T = m.obs_dim > 0 ? s.trajectory.obs.size() / m.obs_dim : 0;
  // The executed trajectory this episode (orange, like the agent) under the imagined ones.
  if (opt.executed && m.obs_dim > 0 && m.phase != "collect")
    draw_observation_path(canvas, episode_path(s.trajectory, m.obs_dim, 0, T), env, palette::agent.with_alpha(0.9f), 4.0f);
  const ReturnScale scale = fan_scale(shown, m.return_lo, m.return_hi);
  if (show_plan) draw_plan_trace(canvas, shown, env, opt, place, scale);
  // Predicted vs actual: in the time band, what really happened since the plan was made (orange)
  // next to what the model predicted for the chosen plan (bold blue).
  if (show_plan && place && opt.executed && !m.planning && m.plan_index > 0 && m.obs_dim > 0) {
    const size_t n = std::min<size_t>(T, size_t(m.plan_index) + 1);
    const int steps = m.trace.horizon + 1;
    PathPlacer same_clock = [&place, steps](const Vec& o, int k, int) {
      return place(o, k, steps);
    };
    draw_observation_path(canvas, episode_path(s.trajectory, m.obs_dim, T - n, T), env, palette::agent, 5.0f, same_clock);
  }
  if (show_plan && opt.legend && (opt.candidates || opt.elites || opt.chosen)) {
    FanLegend key;
    key.scale = scale;
    key.scale_fixed = m.return_lo <= m.return_hi;
    if (opt.elites && !shown.elites.empty()) key.elites_name = m.elites_name;
    key.chosen = opt.chosen;
    key.chosen_particles = opt.particles ? shown.particles : 1;
    key.failure_name = env.failure_name();
    const std::vector<PathEnd> ends = candidate_ends(shown, env);
    key.terminated = std::count(ends.begin(), ends.end(), PathEnd::terminated) > 0;
    place_fan_legend(canvas, env, f, shown, place, key);
  }
  // The real state on top, so the fan's origin is clear.
  if (s.obs.size() > 0)
    if (auto p = env.obs_position(s.obs)) {
      const Bounds b = env.world_bounds();
      const double r = 0.012 * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
      canvas.circle(*p, r, palette::agent, palette::body_outline);
    }
}

}  // namespace dynalab
