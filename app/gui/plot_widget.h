#pragma once
// One small plot widget over ImDrawList (Debian has no ImPlot), reused for every live plot:
// axes with nice ticks and labels, several series with a legend, and a hover read-out.
// It renders core's Figure, so the same model exports to CSV/SVG.

#include <imgui.h>

#include <string>
#include <vector>

#include "core/figure.h"

namespace dynalab {

/// fill_to value: fill the area between the series and y = 0 (a histogram).
inline constexpr int kFillToZero = -2;

/// How one series is drawn (the Figure, and so its CSV export, is the same for every style).
struct SeriesStyle {
  bool points = false;    ///< markers only (a scatter), no line
  int fill_to = -1;       ///< >= 0: fill between this series and series[fill_to] (a band with the
                          ///< same x); kFillToZero: fill down to y = 0; -1: no fill
  int colour = -1;        ///< palette index for series_color(); -1: the series' position
  bool in_legend = true;  ///< listed in the legend
  float fill_alpha = 0.28f;
  float line_alpha = 1;   ///< the line's opacity (a pale line stays behind the others)
  float line_width = 1;   ///< multiplies the line's width
};

struct PlotStyle {
  float line_scale = 1;  ///< multiplies line widths (presentation mode)
  /// Per series (by index); series without an entry are lines in their position's colour.
  std::vector<SeriesStyle> series;
  bool legend = true;  ///< false: no legend (a row of plots shares one, draw_series_key)
};

/// The style of a figure with several runs (episode_figure: series "run K" and "mean over runs",
/// each prefixed "VARIANT: " when variants are merged): one colour per variant, its mean over
/// runs bold and its current run thin and pale, so a curve's two series read as one variant.
/// Figures without such series get the default style.
PlotStyle runs_style(const Figure& fig, float line_scale);

/// True for a finished sweep's mean drawn behind the live run (app/gui/sweep_ghost.cpp): a
/// fixed-colour series with a band, labelled "sweep ...". runs_style draws it thin and pale.
inline bool is_sweep_ghost(const Series& s) {
  return s.colour >= 0 && s.has_band() && s.label.rfind("sweep ", 0) == 0;
}

/// The labels `fig`'s legend lists (series with a label), in order.
std::vector<std::string> legend_labels(const Figure& fig);

/// Draws `fig`'s legend as one or more rows of entries `width` pixels wide at the cursor (a key
/// shared by a row of plots whose series are the same variants) and advances the cursor past
/// it; returns its height (0: nothing to list).
float draw_series_key(const Figure& fig, float width, const PlotStyle& style = {});

/// Draws `fig` into a `size` pixel box at the cursor and advances the cursor past it.
/// Hovering shows a guide line and the nearest point of every series.
void plot_figure(const char* id, const Figure& fig, ImVec2 size, const PlotStyle& style = {});

}  // namespace dynalab
