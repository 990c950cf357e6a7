#include "envs/bin_panel.h"

#include <algorithm>
#include <cstdio>

namespace dynalab {

namespace {
std::string value_text(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}
}  // namespace

BinPanel BinPanel::beside(const Bounds& inner, const std::vector<int>& bins, const Vec& low,
                          const Vec& high, std::string x_name, std::string y_name) {
  BinPanel p;
  p.nx = bins.empty() ? 1 : bins[0];
  p.ny = bins.size() > 1 ? bins[1] : 1;
  p.x_lo = low.size() > 0 ? low[0] : 0, p.x_hi = high.size() > 0 ? high[0] : 1;
  if (bins.size() > 1) p.y_lo = low[1], p.y_hi = high[1];
  p.x_name = std::move(x_name), p.y_name = std::move(y_name);
  const double W = inner.hi.x - inner.lo.x, H = inner.hi.y - inner.lo.y;
  // As tall as most of the world; cells square-ish (a one-dim strip: one row of square cells).
  const double h = 0.72 * H;
  const double cell = p.ny > 1 ? h / p.ny : std::min(h, 1.3 * h / p.nx);
  const double w = std::clamp(cell * p.nx, 0.6 * h, 1.4 * h);
  const double hh = p.ny > 1 ? h : w / p.nx;
  const double x0 = inner.hi.x + 0.14 * W, y0 = inner.lo.y + 0.12 * H;
  p.frame = {{x0, y0}, {x0 + w, y0 + hh}};
  return p;
}

Bounds BinPanel::extent() const {
  const double w = frame.hi.x - frame.lo.x, h = frame.hi.y - frame.lo.y;
  const double pad = 0.12 * std::max(w, h);
  return {{frame.lo.x - pad, frame.lo.y - pad}, {frame.hi.x + 0.05 * w, frame.hi.y + pad}};
}

Vec2 BinPanel::cell_centre(int ix, int iy) const {
  const double w = frame.hi.x - frame.lo.x, h = frame.hi.y - frame.lo.y;
  return {frame.lo.x + w * (ix + 0.5) / nx, frame.lo.y + h * (iy + 0.5) / ny};
}

Vec2 BinPanel::at(double vx, double vy) const {
  const double w = frame.hi.x - frame.lo.x, h = frame.hi.y - frame.lo.y;
  const double u = std::clamp((vx - x_lo) / (x_hi - x_lo), 0.0, 1.0);
  const double v = ny > 1 ? std::clamp((vy - y_lo) / (y_hi - y_lo), 0.0, 1.0) : 0.5;
  return {frame.lo.x + u * w, frame.lo.y + v * h};
}

void BinPanel::draw(Canvas& canvas) const {
  const Color line{0.55f, 0.55f, 0.60f, 1}, frame_c{0.25f, 0.25f, 0.32f, 1};
  const double w = frame.hi.x - frame.lo.x, h = frame.hi.y - frame.lo.y;
  canvas.rect(frame.lo, frame.hi, Color{1, 1, 1, 1}, palette::none);
  for (int i = 1; i < nx; ++i) {
    const double x = frame.lo.x + w * i / nx;
    canvas.segment({x, frame.lo.y}, {x, frame.hi.y}, line, 1.0f);
  }
  for (int j = 1; j < ny; ++j) {
    const double y = frame.lo.y + h * j / ny;
    canvas.segment({frame.lo.x, y}, {frame.hi.x, y}, line, 1.0f);
  }
  canvas.rect(frame.lo, frame.hi, palette::none, frame_c);
  const double d = 0.045 * std::max(w, h);
  const std::string title = "the table's cells: " + std::to_string(nx) +
                            (ny > 1 ? " x " + std::to_string(ny) : std::string()) + " bins";
  canvas.text({frame.lo.x + 0.5 * w, frame.hi.y + 1.6 * d}, title, palette::text, 1.0f);
  // The first dim across: its name under the middle, its range at the ends.
  canvas.text({frame.lo.x + 0.5 * w, frame.lo.y - 1.2 * d}, x_name + " ->", palette::text, 1.0f);
  canvas.text({frame.lo.x, frame.lo.y - 1.2 * d}, value_text(x_lo), palette::text, 0.85f);
  canvas.text({frame.hi.x, frame.lo.y - 1.2 * d}, value_text(x_hi), palette::text, 0.85f);
  if (ny > 1) {  // the second up: its name above the top left, its range left of the ends
    canvas.text({frame.lo.x, frame.hi.y + 0.5 * d}, y_name + " (up)", palette::text, 0.85f);
    canvas.text({frame.lo.x - 1.6 * d, frame.lo.y}, value_text(y_lo), palette::text, 0.85f);
    canvas.text({frame.lo.x - 1.6 * d, frame.hi.y - d}, value_text(y_hi), palette::text, 0.85f);
  }
}

}  // namespace dynalab
