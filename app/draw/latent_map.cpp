#include "app/draw/latent_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "core/export/world_svg.h"
#include "core/heatmap.h"
#include "core/io/csv.h"

namespace dynalab {

namespace {

// Proportions of the map's box (its height h): the title strip, the key strip below the plot.
constexpr double kMapTitle = 0.1, kMapKey = 0.2;
constexpr int kMapKeySteps = 48;  // colour cells of the key's bar

/// A value's colour on the map: the hue wheel for an angle, the sequential heat scale over
/// [lo, hi] otherwise.
Color point_color(const LatentView& v, double value, double lo, double hi) {
  if (latent_colour_is_angle(v)) return angle_color(value);
  return heat_color(hi > lo ? (value - lo) / (hi - lo) : 0.5);
}

/// The colour key under the plot: what the colour is, a bar over the colour range, and its
/// ends and middle named (for an angle, -pi and pi: the bar's ends are the same colour).
void draw_key(Canvas& c, const LatentView& v, double lo, double hi, Bounds box) {
  const double w = box.hi.x - box.lo.x, h = box.hi.y - box.lo.y, line = 0.3 * h;
  const double x0 = box.lo.x + 0.15 * w, x1 = box.hi.x - 0.15 * w;
  const double y_name = box.hi.y - 0.1 * h - 0.5 * line, y1 = box.hi.y - 0.1 * h - line, y0 = y1 - 0.22 * h;
  const bool angle = latent_colour_is_angle(v);
  const std::string name = "colour: " + (v.colour_name.empty() ? std::string("true state") : v.colour_name) +
                           (angle ? ", cyclic" : "");
  c.text({0.5 * (x0 + x1), y_name}, name, palette::text, caption_size(c, name, 0.8 * line, w));
  for (int i = 0; i < kMapKeySteps; ++i) {
    const double a = x0 + (x1 - x0) * i / kMapKeySteps, b = x0 + (x1 - x0) * (i + 1) / kMapKeySteps;
    const double value = lo + (hi - lo) * (i + 0.5) / kMapKeySteps;
    c.rect({a, y0}, {b, y1}, point_color(v, value, lo, hi), palette::none);
  }
  c.rect({x0, y0}, {x1, y1}, palette::none, palette::body_outline);
  auto number = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", x);
    return std::string(buf);
  };
  const std::string lo_s = angle ? "-pi" : number(lo), hi_s = angle ? "pi" : number(hi);
  const std::string mid_s = angle ? "0" : number(0.5 * (lo + hi));
  const double label_y = y0 - 0.5 * line;
  const float size = caption_size(c, hi_s.size() > lo_s.size() ? hi_s : lo_s, 0.8 * line, 0.25 * w);
  c.text({x0, label_y}, lo_s, palette::text, size);
  c.text({0.5 * (x0 + x1), label_y}, mid_s, palette::text, size);
  c.text({x1, label_y}, hi_s, palette::text, size);
}

}  // namespace

bool latent_colour_is_angle(const LatentView& v) { return v.colour_name.rfind("angle", 0) == 0; }

Color angle_color(double radians) {
  // HSV at saturation 0.75, value 0.9: six hue sectors, bright enough on a white page.
  double h = std::fmod(radians / (2 * std::numbers::pi), 1.0);
  if (h < 0) h += 1;
  const double s = 0.75, val = 0.9, x = 6 * h;
  const int sector = std::min(int(x), 5);
  const double f = x - sector, p = val * (1 - s), q = val * (1 - s * f), t = val * (1 - s * (1 - f));
  double r = 0, g = 0, b = 0;
  switch (sector) {
    case 0: r = val, g = t, b = p; break;
    case 1: r = q, g = val, b = p; break;
    case 2: r = p, g = val, b = t; break;
    case 3: r = p, g = q, b = val; break;
    case 4: r = t, g = p, b = val; break;
    default: r = val, g = p, b = q; break;
  }
  return {float(r), float(g), float(b), 1.0f};
}

void draw_latent_map(Canvas& c, const LatentView& v, Bounds box) {
  const double w = box.hi.x - box.lo.x, h = box.hi.y - box.lo.y;
  char title[120];
  if (std::isfinite(v.probe_r2))
    std::snprintf(title, sizeof title, "latent map (PC1, PC2), probe R^2 = %.2f", v.probe_r2);
  else
    std::snprintf(title, sizeof title, "latent map (PC1, PC2)");
  c.text({0.5 * (box.lo.x + box.hi.x), box.hi.y - 0.5 * kMapTitle * h}, title, palette::text,
         caption_size(c, title, 0.75 * kMapTitle * h, w));
  // The plot: a square (one scale for both components keeps the embedding's shape).
  const double side = std::min(w, (1 - kMapTitle - kMapKey) * h);
  const double px0 = 0.5 * (box.lo.x + box.hi.x - side), py1 = box.hi.y - kMapTitle * h;
  const Bounds plot{{px0, py1 - side}, {px0 + side, py1}};
  c.rect(plot.lo, plot.hi, Color{1, 1, 1, 1}, palette::grid_line);
  const size_t n = std::min(v.latent_points.size(), v.latent_colour.size());
  if (n == 0) {
    const std::string wait = "after the first fit";
    c.text({0.5 * (plot.lo.x + plot.hi.x), 0.5 * (plot.lo.y + plot.hi.y)}, wait, palette::text,
           caption_size(c, wait, 0.06 * side, 0.8 * side));
    return;
  }
  Vec2 lo = v.latent_points[0], hi = lo;
  double clo = v.latent_colour[0], chi = clo;
  for (size_t i = 0; i < n; ++i) {
    const Vec2 p = v.latent_points[i];
    lo = {std::min(lo.x, p.x), std::min(lo.y, p.y)}, hi = {std::max(hi.x, p.x), std::max(hi.y, p.y)};
    clo = std::min(clo, v.latent_colour[i]), chi = std::max(chi, v.latent_colour[i]);
  }
  if (latent_colour_is_angle(v)) clo = -std::numbers::pi, chi = std::numbers::pi;
  const double range = std::max({hi.x - lo.x, hi.y - lo.y, 1e-12}) * 1.1;
  const Vec2 mid{0.5 * (lo.x + hi.x), 0.5 * (lo.y + hi.y)};
  const double k = side / range, r = 0.011 * side;
  auto at = [&](Vec2 p) {
    return Vec2{0.5 * (plot.lo.x + plot.hi.x) + (p.x - mid.x) * k, 0.5 * (plot.lo.y + plot.hi.y) + (p.y - mid.y) * k};
  };
  for (size_t i = 0; i < n; ++i)
    c.circle(at(v.latent_points[i]), r, point_color(v, v.latent_colour[i], clo, chi), palette::none);
  // Axis names inside the plot's corners (the components have no units worth a tick).
  const float axis = caption_size(c, "PC2", 0.05 * side, 0.12 * side);
  c.text_left({plot.hi.x - 0.11 * side, plot.lo.y + 0.035 * side}, "PC1", palette::text, axis);
  c.text_left({plot.lo.x + 0.015 * side, plot.hi.y - 0.035 * side}, "PC2", palette::text, axis);
  draw_key(c, v, clo, chi, {{box.lo.x, box.lo.y}, {box.hi.x, plot.lo.y}});
}

std::string latent_map_svg(const LatentView& v, int width_px) {
  const Bounds box{{0, 0}, {1, 1}};
  return world_svg(box, [&](Canvas& c) { draw_latent_map(c, v, box); }, width_px);
}

std::string latent_map_csv(const LatentView& v) {
  std::string out = "point,pc1,pc2," + (v.colour_name.empty() ? std::string("colour") : v.colour_name) + "\n";
  const size_t n = std::min(v.latent_points.size(), v.latent_colour.size());
  for (size_t i = 0; i < n; ++i)
    out += std::to_string(i) + ',' + format_number(v.latent_points[i].x) + ',' + format_number(v.latent_points[i].y) +
           ',' + format_number(v.latent_colour[i]) + '\n';
  return out;
}

}  // namespace dynalab
