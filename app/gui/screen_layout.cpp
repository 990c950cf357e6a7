#include "app/gui/screen_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dynalab {

namespace {
// Share of a row pane's width its counters may take when they sit at its left.
constexpr float kLeftCountersShare = 0.34f;
// Share of the height the plots row always gets, and at most (with what the worlds leave).
constexpr float kPlotsShare = 0.32f, kPlotsSharePresenting = 0.34f, kPlotsMaxShare = 0.5f;
// Presentation mode: the lab's share of the width right of the controls (it has the full height).
constexpr float kLabSharePresenting = 0.58f;
// Desk mode: the lab's share of the world row (the plots row runs under both).
constexpr float kLabShareDesk = 0.52f;
// Both modes: the share of a lab view with three panels side by side (ScreenInput::lab_wide);
// the world beside it stays, smaller.
constexpr float kLabShareWide = 0.72f;
// How much the plots' height counts against the worlds' size when arranging panes (see
// lay_out_screen).
constexpr double kPlotsWeight = 0.5;

LaneGrid evaluate(int cols, int rows, bool left, float w, float h, Vec2 extent, float margin,
                  float gap, const CounterBoxSize& counters) {
  LaneGrid g;
  g.cols = cols, g.rows = rows, g.counters_left = left;
  const float pw = (w - gap * (cols - 1)) / cols, ph = (h - gap * (rows - 1)) / rows;
  g.counters_wrap = left ? pw * kLeftCountersShare : pw;
  const Vec2 c = counters ? counters(g.counters_wrap) : Vec2{0, 0};
  g.counters = c;
  const double aw = (left ? pw - c.x : pw) - 2 * margin, ah = (left ? ph : ph - c.y) - 2 * margin;
  if (extent.x > 0 && extent.y > 0)
    g.scale = std::max(0.0, std::min(aw / extent.x, ah / extent.y));
  const double world_h = extent.y * g.scale + 2 * margin;
  const double pane_h = left ? std::max(world_h, c.y) : world_h + c.y;
  g.used_h = float(std::min<double>(h, rows * pane_h + gap * (rows - 1)));
  return g;
}
}  // namespace

namespace {
// Every arrangement of `lanes` panes in w x h: the columns (counters on top) first, then every
// grid of 1 to `lanes` rows (the last row possibly short) with the counters at the left or on top.
std::vector<LaneGrid> candidates(int lanes, float w, float h, Vec2 extent, float margin, float gap,
                                 const CounterBoxSize& counters) {
  std::vector<LaneGrid> out{evaluate(lanes, 1, false, w, h, extent, margin, gap, counters)};
  if (!(extent.x > 0 && extent.y > 0)) return out;
  for (int rows = 1; rows <= lanes; ++rows) {
    const int cols = (lanes + rows - 1) / rows;
    if (rows > 1 && (cols - 1) * rows >= lanes) continue;  // the same grid with an empty row
    for (const bool left : {true, false})
      if (rows > 1 || left)  // one row with counters on top is the columns candidate
        out.push_back(evaluate(cols, rows, left, w, h, extent, margin, gap, counters));
  }
  return out;
}

// The candidate with the best score: it must beat the columns (the first) by 5% and the last
// frame's arrangement by 10% (scores are logarithms: ln 1.05, ln 1.10).
LaneGrid pick(const std::vector<LaneGrid>& cands, const std::function<double(const LaneGrid&)>& score,
              const LaneGrid* previous) {
  LaneGrid best = cands[0];
  double best_score = score(best) + std::log(1.05);
  for (size_t i = 1; i < cands.size(); ++i)
    if (const double s = score(cands[i]); s > best_score) best = cands[i], best_score = s;
  if (previous)
    for (const LaneGrid& g : cands)
      if (g.cols == previous->cols && g.rows == previous->rows &&
          g.counters_left == previous->counters_left && score(g) + std::log(1.10) >= best_score)
        return g;
  return best;
}

double log_scale(const LaneGrid& g) { return std::log(std::max(g.scale, 1e-9)); }
}  // namespace

LaneGrid arrange_lanes(int lanes, float w, float h, Vec2 extent, float margin, float gap,
                       const CounterBoxSize& counters, const LaneGrid* previous) {
  lanes = std::max(1, lanes);
  return pick(candidates(lanes, w, h, extent, margin, gap, counters), log_scale, previous);
}

ScreenLayout lay_out_screen(const ScreenInput& in) {
  ScreenLayout out;
  out.extent = in.extent;
  const int lanes = std::max(1, in.lanes);
  const PixelRect a = in.area;
  const bool plots = in.figures > 0;
  PixelRect col = a;  // the worlds and, under them, the plots row
  if (in.lab && in.presenting) {
    const float lab_w = std::floor(a.w * (in.lab_wide ? kLabShareWide : kLabSharePresenting));
    out.lab = {a.x + a.w - lab_w, a.y, lab_w, a.h};
    col.w = a.w - lab_w;
  } else if (in.lab) {
    const float lab_w = std::floor(a.w * (in.lab_wide ? kLabShareWide : kLabShareDesk));
    const float plot_h = plots ? std::floor(a.h * kPlotsShare) : 0.0f;
    out.worlds = {a.x, a.y, a.w - lab_w, a.h - plot_h};
    out.lab = {a.x + a.w - lab_w, a.y, lab_w, a.h - plot_h};
    if (plots) out.plots = {a.x, a.y + a.h - plot_h, a.w, plot_h};
    col.h = 0;  // placed
  }
  if (col.h > 0 && plots) {
    // The worlds and the plots share the height: each arrangement gets the plots' minimum share
    // plus the height its worlds cannot use, and is scored on both (the world's size counts
    // double: ln scale + 0.5 ln plot height), so four mazes do not squeeze the plots that make
    // the step's point for a few pixels more each.
    const float min_h = std::floor(col.h * (in.presenting ? kPlotsSharePresenting : kPlotsShare));
    const auto plot_h_of = [&](const LaneGrid& g) {
      const float free = std::max(0.0f, col.h - min_h - g.used_h);  // what the worlds cannot use
      return std::max(min_h, std::floor(std::min(col.h * kPlotsMaxShare, min_h + free)));
    };
    const LaneGrid chosen =
        pick(candidates(lanes, col.w, col.h - min_h, in.extent, in.margin, in.gap, in.counters),
             [&](const LaneGrid& g) { return log_scale(g) + kPlotsWeight * std::log(plot_h_of(g)); },
             in.previous);
    const float plot_h = plot_h_of(chosen);
    out.plots = {col.x, col.y + col.h - plot_h, col.w, plot_h};
    out.worlds = {col.x, col.y, col.w, col.h - plot_h};
    out.grid = evaluate(chosen.cols, chosen.rows, chosen.counters_left, out.worlds.w,
                        out.worlds.h, in.extent, in.margin, in.gap, in.counters);
  } else {
    if (col.h > 0) out.worlds = col;
    out.grid = arrange_lanes(lanes, out.worlds.w, out.worlds.h, in.extent, in.margin, in.gap,
                             in.counters, in.previous);
  }
  const LaneGrid& g = out.grid;
  const float pw = (out.worlds.w - in.gap * (g.cols - 1)) / g.cols,
              ph = (out.worlds.h - in.gap * (g.rows - 1)) / g.rows;
  for (int i = 0; i < lanes; ++i)
    out.panes.push_back({out.worlds.x + (i % g.cols) * (pw + in.gap),
                         out.worlds.y + (i / g.cols) * (ph + in.gap), pw, ph});
  return out;
}

std::string ScreenLayout::describe() const {
  auto size = [](const PixelRect& r) {
    if (r.w <= 0 || r.h <= 0) return std::string("none");
    char b[32];
    std::snprintf(b, sizeof b, "%.0fx%.0f", r.w, r.h);
    return std::string(b);
  };
  char b[256];
  std::snprintf(b, sizeof b,
                "worlds %s in %d x %d (counters %s), world %.0fx%.0f px each (%.0f px per unit), "
                "plots %s, lab %s",
                size(worlds).c_str(), grid.rows, grid.cols, grid.counters_left ? "left" : "top",
                extent.x * grid.scale, extent.y * grid.scale, grid.scale, size(plots).c_str(),
                size(lab).c_str());
  return b;
}

}  // namespace dynalab
