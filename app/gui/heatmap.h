#pragma once
// A heat map drawn with ImDrawList rects (Debian has no ImPlot): a grid of values over two axes
// in data units, a colour bar with its unit, nice ticks on both axes, and points (the training
// data) drawn over it. The 2-D views of the uncertainty lab (disagreement map, state density)
// use it; the line and scatter plots go through plot_widget so they stay exportable.

#include <imgui.h>

#include <string>
#include <vector>

namespace dynalab {

struct HeatmapData {
  std::string title, x_label, y_label, value_label;  ///< value_label names the colour bar's unit
  int nx = 0, ny = 0;                                ///< cells per axis
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;     ///< the grid's extent, data units
  std::vector<double> values;  ///< ny x nx, row-major: [iy * nx + ix], iy = 0 at y_lo
  double v_lo = 0, v_hi = 0;   ///< colour range; v_hi <= v_lo: the values' own range
  bool log_colour = false;     ///< colour by log10 (positive values; others get the lowest colour)
  std::vector<double> px, py;  ///< points drawn on top (data units), e.g. training states
  ImU32 point_colour = IM_COL32(255, 255, 255, 230);
  std::string points_label;  ///< legend entry for the points ("" : no legend)
  bool has_marker = false;   ///< a cross at (marker_x, marker_y), e.g. the current state
  double marker_x = 0, marker_y = 0;
};

/// Viridis-like colour of t in [0, 1] (dark blue -> green -> yellow), readable in grey scale.
ImU32 heat_colour(double t, float alpha = 1.0f);

/// Draws `h` in a `size` pixel box at the cursor and advances the cursor; `line_scale`
/// thickens marks in presentation mode. Hovering shows the cell's value.
void draw_heatmap(const char* id, const HeatmapData& h, ImVec2 size, float line_scale = 1.0f);

}  // namespace dynalab
