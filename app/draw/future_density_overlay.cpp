#include "app/draw/future_density_overlay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace dynalab {

namespace {

/// A canvas that shifts everything by `dx` (world units): the world drawn a second time beside
/// itself, through the same drawing code.
class ShiftedCanvas : public Canvas {
 public:
  ShiftedCanvas(Canvas& base, double dx) : base_(base), dx_(dx) {}
  void polygon(std::span<const Vec2> pts, Color fill, Color outline) override {
    base_.polygon(shifted(pts), fill, outline);
  }
  void circle(Vec2 c, double r, Color fill, Color outline) override { base_.circle(at(c), r, fill, outline); }
  void segment(Vec2 a, Vec2 b, Color color, float w) override { base_.segment(at(a), at(b), color, w); }
  void polyline(std::span<const Vec2> pts, Color color, float w) override {
    base_.polyline(shifted(pts), color, w);
  }
  void rect(Vec2 lo, Vec2 hi, Color fill, Color outline) override { base_.rect(at(lo), at(hi), fill, outline); }
  void text(Vec2 p, std::string_view s, Color color, float size) override { base_.text(at(p), s, color, size); }
  void text_left(Vec2 p, std::string_view s, Color color, float size) override {
    base_.text_left(at(p), s, color, size);
  }
  double text_height(float size) const override { return base_.text_height(size); }
  double ui_text_height(float size) const override { return base_.ui_text_height(size); }
  void arrow(Vec2 from, Vec2 to, Color color, float w) override { base_.arrow(at(from), at(to), color, w); }

 private:
  Vec2 at(Vec2 p) const { return {p.x + dx_, p.y}; }
  std::vector<Vec2> shifted(std::span<const Vec2> pts) const {
    std::vector<Vec2> out(pts.begin(), pts.end());
    for (Vec2& p : out) p.x += dx_;
    return out;
  }
  Canvas& base_;
  double dx_;
};

double gap(const Bounds& b) { return 0.06 * (b.hi.x - b.lo.x); }
double caption_height(const Bounds& b) { return 0.16 * (b.hi.y - b.lo.y); }

/// Centred text no wider than `width` (world units): shrunk from `size` when the canvas's text
/// (screen-sized) would run into the next panel, as in narrow side-by-side lanes. The width
/// estimate is text_left's: 0.56 text heights per character.
void fitted_text(Canvas& c, Vec2 at, const std::string& s, double width, float size) {
  const double h = c.text_height(1.0f);
  if (h > 0) size = float(std::min(double(size), width / (0.56 * h * double(std::max<size_t>(s.size(), 1)))));
  c.text(at, s, palette::text, size);
}

/// The heat map's cells over the world; cells below 3 % of the top colour stay clear, so the
/// world shows where no future goes.
void draw_cells(Canvas& c, const Heatmap& h) {
  const double top = h.v_hi > h.v_lo ? h.v_hi : *std::max_element(h.values.begin(), h.values.end());
  if (!(top > 0)) return;
  const double dx = (h.x_hi - h.x_lo) / h.nx, dy = (h.y_hi - h.y_lo) / h.ny;
  for (int iy = 0; iy < h.ny; ++iy)
    for (int ix = 0; ix < h.nx; ++ix) {
      const double t = h.values[size_t(iy * h.nx + ix)] / top;
      if (!(t > 0.03)) continue;
      const Vec2 lo{h.x_lo + ix * dx, h.y_lo + iy * dy};
      c.rect(lo, {lo.x + dx, lo.y + dy}, heat_color(t).with_alpha(0.85f), palette::none);
    }
}

/// The query: a ring at its position, its velocity as a dark arrow (the distance it covers in
/// kVelocityArrowSeconds at that velocity: the state's momentum carries the futures as much as
/// the force does) and the action as a red arrow (1 world unit at |a| = 1).
constexpr double kVelocityArrowSeconds = 0.5;  // the puck's mean speed, ~3 m/s, gives ~1.5 m
void draw_query(Canvas& c, const Heatmap& h, const FutureDensityView& v, double scale) {
  const Vec2 p{h.marker_x, h.marker_y};
  if (v.has_query_velocity)
    c.arrow(p, {p.x + kVelocityArrowSeconds * v.query_velocity.x, p.y + kVelocityArrowSeconds * v.query_velocity.y},
            palette::text, 2.0f);
  if (v.query_action.size() >= 2)
    c.arrow(p, {p.x + v.query_action[0], p.y + v.query_action[1]}, palette::danger, 3.0f);
  c.circle(p, 0.022 * scale, palette::none, palette::text);
  c.circle(p, 0.012 * scale, Color{1, 1, 1, 1}, palette::text);
}

}  // namespace

Bounds future_density_bounds(const Env& world, const FutureDensityView&) {
  const Bounds b = world.world_bounds();
  const double w = b.hi.x - b.lo.x;
  return {b.lo, {b.hi.x + gap(b) + w, b.hi.y + caption_height(b)}};
}

void draw_future_density(Canvas& canvas, const Env& world, const FutureDensityView& v,
                         const FutureDensityOverlayOptions& opt) {
  const bool marginal = opt.marginal_instead && !v.marginal.values.empty();
  const Bounds b = world.world_bounds();
  const double w = b.hi.x - b.lo.x, scale = std::max(w, b.hi.y - b.lo.y);
  const double shift = w + gap(b);
  draw_cells(canvas, marginal ? v.marginal : v.predicted);
  draw_query(canvas, v.predicted, v, scale);
  ShiftedCanvas right(canvas, shift);
  world.draw(right);
  draw_cells(right, v.monte_carlo);
  draw_query(right, v.monte_carlo, v, scale);
  // Captions above each panel: what it is and its KL to the Monte Carlo histogram.
  const double y1 = b.hi.y + 0.11 * (b.hi.y - b.lo.y), y2 = b.hi.y + 0.045 * (b.hi.y - b.lo.y);
  const double cx = 0.5 * (b.lo.x + b.hi.x);
  // Short lines: a panel is half the pane, and the projector's font is large.
  char line[120];
  fitted_text(canvas, {cx, y1}, marginal ? "marginal alone: p(s_f)" : "predicted: C/(1-C) x p(s_f)", w, 1.0f);
  if (marginal)
    std::snprintf(line, sizeof line, "KL %.2f nats (C-learning %.2f)", v.kl_marginal, v.kl_predicted);
  else
    std::snprintf(line, sizeof line, "KL %.2f nats, marginal %.2f", v.kl_predicted, v.kl_marginal);
  fitted_text(canvas, {cx, y2}, line, w, 0.85f);
  std::snprintf(line, sizeof line, "Monte Carlo: %d real futures", v.mc_rollouts);
  fitted_text(canvas, {cx + shift, y1}, line, w, 1.0f);
  std::snprintf(line, sizeof line, "query %d of %d, gamma %.2f", v.query + 1, v.queries, v.gamma);
  fitted_text(canvas, {cx + shift, y2}, line, w, 0.85f);
}

}  // namespace dynalab
