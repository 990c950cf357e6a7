#include "core/figure.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/export/csv.h"

namespace dynalab {

Series& Figure::series_named(const std::string& label) {
  for (auto& s : series)
    if (s.label == label) return s;
  series.push_back({label, {}, {}});
  return series.back();
}

std::string Figure::to_csv() const {
  std::string out = "series," + csv_field(x_label.empty() ? "x" : x_label) + "," +
                    csv_field(y_label.empty() ? "y" : y_label) + "\n";
  for (const auto& s : series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      out += csv_field(s.label) + "," + format_number(s.x[i]) + "," + format_number(s.y[i]) + "\n";
  return out;
}

double Figure::plot_y(double y) const {
  if (!log_y) return y;
  return y > 0 ? std::log10(y) : std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> Figure::y_ticks(double lo, double hi, int max_ticks) const {
  if (!log_y) return nice_ticks(lo, hi, max_ticks);
  // Decades, and 2 and 5 within them when the range is short.
  std::vector<double> ticks;
  const bool dense = hi - lo < 3;
  for (int e = static_cast<int>(std::floor(lo)); e <= static_cast<int>(std::ceil(hi)); ++e)
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !dense) continue;
      const double v = m * std::pow(10.0, e), p = std::log10(v);
      if (p >= lo - 1e-9 && p <= hi + 1e-9) ticks.push_back(v);
    }
  return ticks;
}

FigureRange data_range(const Figure& f) {
  const double inf = std::numeric_limits<double>::infinity();
  FigureRange r{inf, -inf, inf, -inf};
  for (const auto& s : f.series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      const double y = f.plot_y(s.y[i]);
      if (!std::isfinite(s.x[i]) || !std::isfinite(y)) continue;  // nothing non-finite is drawn
      r.x_lo = std::min(r.x_lo, s.x[i]);
      r.x_hi = std::max(r.x_hi, s.x[i]);
      r.y_lo = std::min(r.y_lo, y);
      r.y_hi = std::max(r.y_hi, y);
    }
  if (r.x_lo > r.x_hi) r.x_lo = 0, r.x_hi = 1;
  if (r.y_lo > r.y_hi) r.y_lo = 0, r.y_hi = 1;
  if (r.x_lo == r.x_hi) r.x_lo -= 0.5, r.x_hi += 0.5;
  if (r.y_lo == r.y_hi) r.y_lo -= 0.5, r.y_hi += 0.5;
  return r;
}

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo || max_ticks < 2) return ticks;
  const double raw = (hi - lo) / (max_ticks - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  // Integer multiples of the step: no drift from repeated addition.
  for (double k = std::ceil(lo / step - 1e-9); k <= std::floor(hi / step + 1e-9); k += 1) ticks.push_back(k * step + 0.0);
  return ticks;
}

std::string tick_label(double v) {
  char buf[32];
  if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

Rgb series_color(size_t i) {
  // Okabe-Ito: distinguishable for colour-blind viewers, on projectors and in print.
  static const Rgb colors[] = {{0.00f, 0.45f, 0.70f}, {0.90f, 0.62f, 0.00f}, {0.00f, 0.62f, 0.45f},
                               {0.80f, 0.40f, 0.00f}, {0.80f, 0.47f, 0.65f}, {0.34f, 0.71f, 0.91f},
                               {0.94f, 0.89f, 0.26f}, {0.20f, 0.20f, 0.20f}};
  return colors[i % (sizeof colors / sizeof colors[0])];
}

}  // namespace dynalab
