#pragma once
// The figure model shared by the GUI's plot widget and the exporters (CSV, SVG); the layout
// arithmetic (bounds, ticks, colours) is in figure_layout.h:
// one figure, several named series, so "Dyna n = 0 / 5 / 50" sit on one plot with a legend.

#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace dynalab {

struct Series {
  std::string label;
  std::vector<double> x, y;
  bool markers = false;  ///< dots without lines (a published result beside measured curves)
  int colour = -1;       ///< palette index (series_color); -1: the series' position
  /// A shaded band around the line, drawn under every line: both empty, or both as long as y
  /// (band_lo[k] <= y[k] <= band_hi[k]; non-finite ends leave a gap). An aggregated sweep's
  /// mean +- one standard error over runs (core/sweep/aggregate.h).
  std::vector<double> band_lo{}, band_hi{};
  bool has_band() const { return !band_lo.empty() && band_lo.size() == band_hi.size(); }
};

struct Figure {
  std::string id;  ///< file-name stem for exports, e.g. "steps_per_episode"
  std::string title, x_label, y_label;
  std::vector<Series> series;
  bool log_y = false;  ///< log-scale y axis (non-positive values are not drawn)
  /// Markers only, no lines: x is a category (a parameter's index), not a continuum, so a line
  /// between two x values would mean nothing.
  bool points = false;
  /// Log-scale x axis (non-positive x are not drawn): env steps from 10^2 to 10^6 on one plot,
  /// the sample-efficiency ladder's "note log scale".
  bool log_x = false;
  /// A fixed y range in data units (both finite and y_lo < y_hi): plots in a row that are
  /// compared by eye share one, and what leaves it is clipped. NaN (the default): the data's.
  double y_lo = std::numeric_limits<double>::quiet_NaN();
  double y_hi = std::numeric_limits<double>::quiet_NaN();

  /// The series with this label, created (empty) if absent. Creating one may move the others:
  /// fill a series before asking for the next new one.
  Series& series_named(const std::string& label);
  /// CSV with columns series,x,y (one row per point), then band_lo,band_hi when a series has a
  /// band (empty cells for the series without one).
  std::string to_csv() const;
};

/// True if every finite y value of `f` is positive and the largest is at least `ratio` times
/// the smallest: a quantity spanning orders of magnitude (a loss, a variance, a KL), which a
/// linear axis would flatten to a line at zero after its first points. Figures set log_y from it.
bool spans_orders_of_magnitude(const Figure& f, double ratio = 30);

/// One value per episode of a run (steps, return), for episode_figure().
struct EpisodeValue {
  int run, episode;
  double value;
};

/// The per-episode plot of an experiment with several runs: the current run as one series and,
/// once a run has finished, the mean over runs for each episode index as another.
Figure episode_figure(std::string id, std::string title, std::string y_label, bool log_y,
                      const std::vector<EpisodeValue>& values, int current_run);

/// One figure per id across side-by-side variants: every variant's series of figure `id`,
/// labelled with the variant's label (and the series' own label when a figure has several).
/// A figure whose series have fixed colours (Series::colour) is not merged: each variant's copy
/// comes out on its own, titled "LABEL: title", id "ID_variantK" (K = 1, 2, ...).
/// `ids` empty: every id of the first variant's figures.
std::vector<Figure> merge_variant_figures(
    const std::vector<std::pair<std::string, const std::vector<Figure>*>>& variants,
    const std::vector<std::string>& ids);

/// The figures a view of side-by-side variants shows (the GUI's plots, dynalab-cli lesson's
/// figures/): with several variants merge_variant_figures(variants, ids); with one, its figures
/// with those ids, in the order of `ids` (all of them if `ids` is empty).
std::vector<Figure> shown_figures(
    const std::vector<std::string>& ids,
    const std::vector<std::pair<std::string, const std::vector<Figure>*>>& variants);

}  // namespace dynalab
