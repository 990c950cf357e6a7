#pragma once
// One small plot widget over ImDrawList (Debian has no ImPlot), reused for every live plot:
// axes with nice ticks and labels, several series with a legend, and a hover read-out.
// It renders core's Figure, so the same model exports to CSV/SVG.

#include <imgui.h>

#include "core/figure.h"

namespace dynalab {

struct PlotStyle {
  float line_scale = 1;  ///< multiplies line widths (presentation mode)
};

/// Draws `fig` into a `size` pixel box at the cursor and advances the cursor past it.
/// Hovering shows a guide line and the nearest point of every series.
void plot_figure(const char* id, const Figure& fig, ImVec2 size, const PlotStyle& style = {});

}  // namespace dynalab
