#pragma once
// The layout arithmetic of a Figure shared by every renderer (the GUI's plot widget now, the SVG
// exporter later): data bounds, "nice" axis ticks, tick labels and series colours, so a plot
// looks the same on screen and on paper.

#include <functional>
#include <string>
#include <vector>

#include "core/canvas.h"
#include "core/figure.h"

namespace dynalab {

/// Data extent of a figure, padded so no point sits on the frame; y in log10 when fig.log_y,
/// x in log10 when fig.log_x; y is fig's fixed range when it has one.
struct FigureBounds {
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  bool empty = true;  ///< no finite point at all
};
FigureBounds figure_bounds(const Figure& fig);

/// The y value as plotted (log10 for log axes; NaN for non-positive values on a log axis).
double plotted_y(const Figure& fig, double y);
/// The x value as plotted (the same for fig.log_x).
double plotted_x(const Figure& fig, double x);

/// Round tick positions (1, 2, 5 x 10^k steps) covering [lo, hi], about `target` of them;
/// `integer` axes (episodes, steps) never get a step below 1.
std::vector<double> nice_ticks(double lo, double hi, int target, bool integer = false);

/// Ticks of the y axis in DATA units for the plotted range [lo, hi] (plotted_y units): nice
/// ticks on a linear axis; decades (and 2, 5 within them on short ranges) on a log axis, and
/// round linear ticks when a log range holds fewer than two of those (45 to 95).
std::vector<double> y_axis_ticks(const Figure& fig, double lo, double hi, int target);

/// Ticks of the x axis in DATA units for the plotted range [lo, hi] (plotted_x units), as
/// y_axis_ticks (integer steps on an integer axis).
std::vector<double> x_axis_ticks(const Figure& fig, double lo, double hi, int target);

/// A tick's label: log ticks (1, 2, 5 x 10^k) carry their own digits, linear ones as many
/// decimals as `step` needs.
std::string axis_tick_label(bool log, double value, double step);

/// True if every x of every series is a whole number (an episode or step axis).
bool integer_x(const Figure& fig);

/// A tick label with as many decimals as the tick step needs (no "0.30000000000000004").
std::string format_tick(double value, double step);

/// The colour of series i, from a colour-blind-safe palette (Okabe-Ito), cycled.
Color series_color(int i);

/// A renderer's mapping of a figure onto its surface (pixels, y down): sx takes data x, sy
/// takes plotted y (plotted_y); draws_line(i) is false for a series drawn as dots only.
struct FigureSurface {
  std::function<double(double)> sx, sy;
  std::function<bool(size_t)> draws_line;
};

/// How much of fig's data lies under the box [x0, x0 + w] x [y0, y0 + h] on `surface`: every
/// finite point, and along each line segment a sample every ~3 px, so a line passing under the
/// box counts, not only its points.
int data_under_box(const Figure& fig, const FigureSurface& surface, double x0, double y0,
                   double w, double h);

/// Where a w x h legend box goes inside the axes [left, right] x [top, bottom], `pad` off the
/// frame: the first corner with the least data under it, in the order top right, top left,
/// bottom right, bottom left; a corner free even with the box grown by `margin` on every side
/// (a line just outside the box still crowds it) wins first. `covered`: the data samples under
/// the chosen box (0: an empty corner). The GUI's plot widget and the SVG export both place
/// their legends with it, so a legend covers no curve on screen or on a slide.
struct LegendSpot {
  double x = 0, y = 0;  ///< the box's top-left
  int covered = 0;
};
LegendSpot best_legend_corner(const Figure& fig, const FigureSurface& surface, double left,
                              double top, double right, double bottom, double w, double h,
                              double pad, double margin);

}  // namespace dynalab
