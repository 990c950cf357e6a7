#pragma once
// The figure model shared by the GUI's plot widget and the exporters (CSV now, SVG later):
// one figure, several named series, so "Dyna n = 0 / 5 / 50" sit on one plot with a legend.

#include <string>
#include <vector>

namespace dynalab {

struct Series {
  std::string label;
  std::vector<double> x, y;
};

struct Figure {
  std::string id;  ///< file-name stem for exports, e.g. "steps_per_episode"
  std::string title, x_label, y_label;
  std::vector<Series> series;
  bool log_y = false;  ///< log-scale y axis (non-positive values are not drawn)

  /// y in plot coordinates: log10(y) on a log axis (NaN for y <= 0), else y.
  double plot_y(double y) const;
  /// Ticks of the y axis in data units, for the plot range [lo, hi] in plot coordinates.
  std::vector<double> y_ticks(double lo, double hi, int max_ticks = 6) const;

  /// The series with this label, created (empty) if absent.
  Series& series_named(const std::string& label);
  /// CSV with columns series,x,y (one row per point).
  std::string to_csv() const;
};

/// Data range of all series of a figure in plot coordinates (y through plot_y); {0, 1} on an
/// axis with no finite data.
struct FigureRange {
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
};
FigureRange data_range(const Figure& f);

/// "Nice" axis ticks (steps of 1, 2 or 5 times a power of ten) covering [lo, hi], at most
/// about `max_ticks` of them. Shared by the GUI's plot widget and the SVG exporter.
std::vector<double> nice_ticks(double lo, double hi, int max_ticks = 6);
/// A tick label: integers without decimals, otherwise up to 3 significant digits.
std::string tick_label(double v);

/// The colour of series i in every plot (a palette readable on a projector and in print).
struct Rgb {
  float r, g, b;
};
Rgb series_color(size_t i);

}  // namespace dynalab
