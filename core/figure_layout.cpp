#include "core/figure_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dynalab {

double plotted_y(const Figure& fig, double y) {
  if (!fig.log_y) return y;
  return y > 0 ? std::log10(y) : std::nan("");
}

double plotted_x(const Figure& fig, double x) {
  if (!fig.log_x) return x;
  return x > 0 ? std::log10(x) : std::nan("");
}

FigureBounds figure_bounds(const Figure& fig) {
  FigureBounds b;
  double xl = INFINITY, xh = -INFINITY, yl = INFINITY, yh = -INFINITY;
  for (const auto& s : fig.series)
    for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
      const double x = plotted_x(fig, s.x[i]), y = plotted_y(fig, s.y[i]);
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      xl = std::min(xl, x), xh = std::max(xh, x);
      yl = std::min(yl, y), yh = std::max(yh, y);
      if (s.has_band() && i < s.band_lo.size())  // the band stays inside the frame too
        for (double e : {plotted_y(fig, s.band_lo[i]), plotted_y(fig, s.band_hi[i])})
          if (std::isfinite(e)) yl = std::min(yl, e), yh = std::max(yh, e);
    }
  if (!(xl <= xh)) return b;
  b.empty = false;
  if (xh - xl < 1e-12) xl -= 0.5, xh += 0.5;
  if (yh - yl < 1e-12) yl -= 0.5, yh += 0.5;
  // Markers are drawn as dots around their point: a category axis gets half a category on each
  // side and the y axis more room, so no dot is cut by the frame.
  if (fig.points) xl -= 0.5, xh += 0.5;
  const double py = (yh - yl) * (fig.points ? 0.15 : 0.05);
  // Counts and losses start at zero: keep 0 as the floor rather than padding below it.
  b.y_lo = (yl >= 0 && !fig.log_y) ? std::max(0.0, yl - py) : yl - py;
  b.y_hi = yh + py;
  b.x_lo = xl, b.x_hi = xh;
  const double fy0 = plotted_y(fig, fig.y_lo), fy1 = plotted_y(fig, fig.y_hi);
  if (std::isfinite(fy0) && std::isfinite(fy1) && fy1 > fy0) b.y_lo = fy0, b.y_hi = fy1;
  return b;
}

bool integer_x(const Figure& fig) {
  for (const auto& s : fig.series)
    for (double x : s.x)
      if (std::isfinite(x) && x != std::floor(x)) return false;
  return true;
}

std::vector<double> nice_ticks(double lo, double hi, int target, bool integer) {
  std::vector<double> ticks;
  if (!(hi > lo) || target < 1) return ticks;
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  if (integer) step = std::max(step, 1.0);
  // Integer multiples of the step: no drift from repeated addition.
  for (double k = std::ceil(lo / step - 1e-9); k <= std::floor(hi / step + 1e-9); k += 1)
    ticks.push_back(k * step + 0.0);
  // A short axis still gets two labels: one tick alone gives no scale.
  if (ticks.size() < 2 && target < 64 && !(integer && step <= 1))
    return nice_ticks(lo, hi, target * 2, integer);
  return ticks;
}

namespace {

/// Ticks in data units for a log axis over the plotted range [lo, hi] (log10 units): decades
/// (and 2, 5 within them on short ranges); round linear ticks when fewer than two of those fall
/// inside (45 to 95).
std::vector<double> log_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  const bool dense = hi - lo < 3;  // fewer than three decades: 1, 2, 5 in each
  for (int e = static_cast<int>(std::floor(lo)); e <= static_cast<int>(std::ceil(hi)); ++e)
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !dense) continue;
      const double v = m * std::pow(10.0, e), p = std::log10(v);
      if (p >= lo - 1e-9 && p <= hi + 1e-9) ticks.push_back(v);
    }
  if (ticks.size() >= 2) return ticks;
  // Less than a 1-2-5 interval: round ticks of the data's own range, so the axis still has two
  // numbers to read it by.
  ticks.clear();
  for (double v : nice_ticks(std::pow(10.0, lo), std::pow(10.0, hi), std::max(2, target)))
    if (v > 0) ticks.push_back(v);
  return ticks;
}

}  // namespace

std::vector<double> y_axis_ticks(const Figure& fig, double lo, double hi, int target) {
  return fig.log_y ? log_ticks(lo, hi, target) : nice_ticks(lo, hi, target);
}

std::vector<double> x_axis_ticks(const Figure& fig, double lo, double hi, int target) {
  return fig.log_x ? log_ticks(lo, hi, target) : nice_ticks(lo, hi, target, integer_x(fig));
}

std::string axis_tick_label(bool log, double value, double step) {
  return format_tick(value, log ? value : step);
}

std::string format_tick(double value, double step) {
  char buf[64];
  const double a = std::abs(value);
  if (a != 0 && (a >= 1e6 || a < 1e-4)) {
    std::snprintf(buf, sizeof buf, "%.2g", value);
    // "1e+06" -> "1e6", "2.5e-05" -> "2.5e-5": the exponent as a reader writes it.
    std::string s = buf;
    if (const size_t e = s.find('e'); e != std::string::npos) {
      std::string mant = s.substr(0, e), exp = s.substr(e + 1);
      const bool neg = !exp.empty() && exp[0] == '-';
      if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) exp.erase(0, 1);
      while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
      return mant + "e" + (neg ? "-" : "") + exp;
    }
    return s;
  } else {
    const int decimals = step >= 1 ? 0 : std::min(6, int(std::ceil(-std::log10(step) - 1e-9)));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  }
  return buf;
}

Color series_color(int i) {
  static constexpr Color kPalette[] = {{0.00f, 0.45f, 0.70f, 1}, {0.84f, 0.37f, 0.00f, 1},
                                       {0.00f, 0.62f, 0.45f, 1}, {0.80f, 0.47f, 0.65f, 1},
                                       {0.90f, 0.62f, 0.00f, 1}, {0.34f, 0.71f, 0.91f, 1},
                                       {0.10f, 0.10f, 0.10f, 1}, {0.60f, 0.40f, 0.20f, 1}};
  return kPalette[((i % 8) + 8) % 8];
}

int data_under_box(const Figure& fig, const FigureSurface& surface, double x0, double y0,
                   double w, double h) {
  int n = 0;
  auto inside = [&](double px, double py) {
    return px >= x0 && px <= x0 + w && py >= y0 && py <= y0 + h;
  };
  for (size_t i = 0; i < fig.series.size(); ++i) {
    const Series& s = fig.series[i];
    const bool line = surface.draws_line(i);
    const size_t m = std::min(s.x.size(), s.y.size());
    for (size_t k = 0; k < m; ++k) {
      const double y = plotted_y(fig, s.y[k]);
      if (!std::isfinite(y) || !std::isfinite(plotted_x(fig, s.x[k]))) continue;
      const double ax = surface.sx(s.x[k]), ay = surface.sy(y);
      n += inside(ax, ay);
      if (line && k + 1 < m && m < 2000) {
        const double y2 = plotted_y(fig, s.y[k + 1]);
        if (!std::isfinite(y2) || !std::isfinite(plotted_x(fig, s.x[k + 1]))) continue;
        // A sample every ~3 px along the segment, so a steep line cannot slip between them.
        const double bx = surface.sx(s.x[k + 1]), by = surface.sy(y2);
        const int steps = std::clamp(int(std::hypot(bx - ax, by - ay) / 3.0), 1, 400);
        for (int j = 1; j < steps; ++j) {
          const double t = double(j) / steps;
          n += inside(ax * (1 - t) + bx * t, ay * (1 - t) + by * t);
        }
      }
    }
  }
  return n;
}

LegendSpot best_legend_corner(const Figure& fig, const FigureSurface& surface, double left,
                              double top, double right, double bottom, double w, double h,
                              double pad, double margin) {
  const double x_right = right - w - pad, x_left = left + pad;
  const double y_top = top + pad, y_bottom = bottom - h - pad;
  const LegendSpot corners[4] = {{x_right, y_top}, {x_left, y_top}, {x_right, y_bottom},
                                 {x_left, y_bottom}};
  LegendSpot best;
  for (const double m : {margin, 0.0}) {
    best = corners[0];
    best.covered = data_under_box(fig, surface, best.x - m, best.y - m, w + 2 * m, h + 2 * m);
    for (int c = 1; c < 4 && best.covered > 0; ++c) {
      const int n = data_under_box(fig, surface, corners[c].x - m, corners[c].y - m, w + 2 * m,
                                   h + 2 * m);
      if (n < best.covered) best = {corners[c].x, corners[c].y, n};
    }
    if (best.covered == 0) return best;
  }
  return best;
}

}  // namespace dynalab
