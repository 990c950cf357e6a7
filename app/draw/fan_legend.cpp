#include "app/draw/fan_legend.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace dynalab {

namespace {
// A return as a legend shows it: 3 significant digits ("48.2", "-120", "0.0131").
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

enum class Swatch { gradient, elite, chosen, failure, end_cross };

struct Row {
  Swatch swatch;
  std::string text;
};

std::vector<Row> rows(const FanLegend& l) {
  std::vector<Row> r;
  r.push_back({Swatch::gradient, "predicted return " + short_number(l.scale.lo) + " to " +
                                     short_number(l.scale.hi) +
                                     (l.scale_fixed ? " (this episode)" : "")});
  if (!l.elites_name.empty()) r.push_back({Swatch::elite, l.elites_name});
  if (l.chosen)
    r.push_back({Swatch::chosen, l.chosen_particles > 1
                                     ? "chosen plan (thin: its " + std::to_string(l.chosen_particles) + " particles)"
                                     : std::string("chosen plan")});
  if (!l.failure_name.empty()) r.push_back({Swatch::failure, l.failure_name});
  if (l.terminated) r.push_back({Swatch::end_cross, "the episode ends there"});
  return r;
}
}  // namespace

std::vector<std::string> fan_legend_lines(const FanLegend& legend) {
  std::vector<std::string> out;
  for (const Row& r : rows(legend)) out.push_back(r.text);
  return out;
}

namespace {
struct Metrics {
  double h, line, swatch, gap, pad, w, box_h;
};

Metrics metrics(const Canvas& canvas, const std::vector<Row>& rs, double fallback_line) {
  constexpr float kSize = 0.9f;
  Metrics m;
  m.h = canvas.text_height(kSize) > 0 ? canvas.text_height(kSize) : fallback_line;
  m.line = 1.45 * m.h, m.swatch = 2.6 * m.h, m.gap = 0.6 * m.h, m.pad = 0.5 * m.h;
  size_t chars = 0;
  for (const Row& r : rs) chars = std::max(chars, r.text.size());
  // Width from an estimate of the text's (about 0.47 h per character of a sans font).
  m.w = m.pad + m.swatch + m.gap + 0.47 * m.h * double(chars) + m.pad;
  m.box_h = 2 * m.pad + m.line * double(rs.size());
  return m;
}
}  // namespace

Vec2 fan_legend_size(const Canvas& canvas, const FanLegend& legend, double fallback_line) {
  const Metrics m = metrics(canvas, rows(legend), fallback_line);
  return {m.w, m.box_h};
}

Vec2 emptiest_corner(const std::vector<Vec2>& corners, Vec2 size, const std::vector<Vec2>& points) {
  Vec2 best = corners.empty() ? Vec2{} : corners.front();
  size_t fewest = SIZE_MAX;
  for (const Vec2& c : corners) {
    size_t n = 0;
    for (const Vec2& p : points)
      n += p.x >= c.x && p.x <= c.x + size.x && p.y <= c.y && p.y >= c.y - size.y;
    if (n < fewest) fewest = n, best = c;
  }
  return best;
}

void draw_fan_legend(Canvas& canvas, Vec2 top_left, const FanLegend& legend, double fallback_line) {
  constexpr float kSize = 0.9f;
  const std::vector<Row> rs = rows(legend);
  const Metrics m = metrics(canvas, rs, fallback_line);
  const double h = m.h, line = m.line, swatch = m.swatch, gap = m.gap, pad = m.pad, w = m.w,
               box_h = m.box_h;
  canvas.rect({top_left.x, top_left.y - box_h}, {top_left.x + w, top_left.y},
              Color{1, 1, 1, 0.85f}, Color{0.35f, 0.35f, 0.45f, 0.8f});
  for (size_t i = 0; i < rs.size(); ++i) {
    const double y = top_left.y - pad - line * (double(i) + 0.5);
    const double x0 = top_left.x + pad, x1 = x0 + swatch;
    switch (rs[i].swatch) {
      case Swatch::gradient: {
        constexpr int kSteps = 8;
        for (int k = 0; k < kSteps; ++k)
          canvas.rect({x0 + swatch * k / kSteps, y - 0.35 * h},
                      {x0 + swatch * (k + 1) / kSteps, y + 0.35 * h},
                      return_color(float(k) / (kSteps - 1)), palette::none);
        break;
      }
      case Swatch::elite:
        canvas.segment({x0, y}, {x1, y}, Color{0.12f, 0.08f, 0.16f, 0.9f}, 5.5f);
        canvas.segment({x0, y}, {x1, y}, return_color(0.8f), 3.0f);
        break;
      case Swatch::chosen:
        canvas.segment({x0, y}, {x1, y}, palette::plan, 6.0f);
        break;
      case Swatch::failure:
        canvas.segment({x0, y}, {x1, y}, palette::danger, 3.0f);
        break;
      case Swatch::end_cross: {
        const double c = 0.5 * (x0 + x1), r = 0.35 * h;
        canvas.segment({c - r, y - r}, {c + r, y + r}, palette::text, 2.0f);
        canvas.segment({c - r, y + r}, {c + r, y - r}, palette::text, 2.0f);
        break;
      }
    }
    canvas.text_left({x1 + gap, y}, rs[i].text, palette::text, kSize);
  }
}

}  // namespace dynalab
