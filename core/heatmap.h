#pragma once
// A 2-D field over two axes as plain data (a variance over two state dims, a state density),
// with points drawn on top: what the GUI's heat map widget and the SVG exporter
// (core/export/heatmap_svg.h) both draw, with the same colour scale.

#include <string>
#include <vector>

#include "core/canvas.h"

namespace dynalab {

struct Heatmap {
  std::string title, x_label, y_label, value_label;  ///< value_label names the colour bar's unit
  int nx = 0, ny = 0;                                ///< cells per axis
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;     ///< the grid's extent, data units
  std::vector<double> values;  ///< ny x nx, row-major: [iy * nx + ix], iy = 0 at y_lo
  double v_lo = 0, v_hi = 0;   ///< colour range; v_hi <= v_lo: the values' own range
  bool log_colour = false;     ///< colour by log10 (positive values; others get the lowest colour)
  std::vector<double> px, py;  ///< points drawn on top (data units), e.g. training states
  std::string points_label;    ///< legend entry for the points ("" : no legend)
  bool has_marker = false;     ///< a cross at (marker_x, marker_y), e.g. the current state
  double marker_x = 0, marker_y = 0;
};

/// The colour scale of `h` in colour units (log10 of the values with log_colour): [lo, hi],
/// hi > lo always.
void heatmap_colour_range(const Heatmap& h, double& lo, double& hi);
/// Value `v` in colour units (log10 with log_colour; -inf for v <= 0 there).
double heatmap_colour_value(const Heatmap& h, double v);
/// Viridis-like colour of t in [0, 1] (dark blue -> green -> yellow), readable in grey scale;
/// non-finite t gets the lowest colour.
Color heat_color(double t);

}  // namespace dynalab
