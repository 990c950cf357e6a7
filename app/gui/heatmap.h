#pragma once
// A heat map drawn with ImDrawList rects (Debian has no ImPlot): a grid of values over two axes
// in data units, a colour bar with its unit, nice ticks on both axes, and points (the training
// data) drawn over it. The 2-D views of the uncertainty lab (disagreement map, state density)
// use it; the line and scatter plots go through plot_widget so they stay exportable.

#include <imgui.h>

#include <string>
#include <vector>

#include "core/heatmap.h"

namespace dynalab {

/// A core Heatmap with the GUI's colour for its points.
struct HeatmapData : Heatmap {
  ImU32 point_colour = IM_COL32(255, 255, 255, 230);
  /// Signed glyphs per cell (values' order, each in [-1, 1]; empty: none), drawn as vertical
  /// arrows on every arrow_stride-th cell, up for positive, length |value| (a 1-D action over a
  /// position x velocity plane: the way it pushes the velocity).
  std::vector<double> arrows;
  int arrow_stride = 4;
  /// False: no colour bar and no unit (a row of maps on one colour scale shows it once, on the
  /// last map), so the map gets that width.
  bool colour_bar = true;
};

/// Viridis-like colour of t in [0, 1] (dark blue -> green -> yellow), readable in grey scale.
ImU32 heat_colour(double t, float alpha = 1.0f);

/// Draws `h` in a `size` pixel box at the cursor and advances the cursor; `line_scale`
/// thickens marks in presentation mode. Hovering shows the cell's value.
void draw_heatmap(const char* id, const HeatmapData& h, ImVec2 size, float line_scale = 1.0f);

}  // namespace dynalab
