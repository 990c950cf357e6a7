#include "app/draw/successor_overlay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dynalab {

namespace {
constexpr Color kOccupancy{0.85f, 0.45f, 0.05f, 1};  // where will I be: amber
constexpr Color kError{0.80f, 0.10f, 0.35f, 1};      // |M - M_exact|: crimson

}  // namespace

std::vector<double> successor_row(const SuccessorView& v, SuccessorOverlayOptions::Map map) {
  const int n = v.n_states, s = v.row;
  if (s < 0 || s >= n || v.learned.rows() != n) return {};
  const bool has_exact = v.exact.rows() == n;
  if (map != SuccessorOverlayOptions::Map::learned && !has_exact) return {};
  std::vector<double> row(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double l = v.learned(s, i), e = has_exact ? v.exact(s, i) : 0;
    row[size_t(i)] = map == SuccessorOverlayOptions::Map::learned ? l
                     : map == SuccessorOverlayOptions::Map::exact ? e
                                                                  : std::abs(l - e);
  }
  return row;
}

void draw_successor_overlay(Canvas& canvas, const Env& world, const SuccessorView& v,
                            const SuccessorOverlayOptions& opt) {
  const std::optional<GridLayout> grid = world.grid_layout();
  if (!opt.show || !grid || grid->rows * grid->cols != v.n_states) return;
  const std::vector<double> row = successor_row(v, opt.map);
  if (row.empty()) return;
  const bool error = opt.map == SuccessorOverlayOptions::Map::error;
  // The learned and exact maps share one scale (the larger maximum of the two rows), so toggling
  // between them shows the difference, not a re-normalisation.
  double top = 0;
  for (auto map : {SuccessorOverlayOptions::Map::learned, SuccessorOverlayOptions::Map::exact}) {
    if (error) break;
    for (double x : successor_row(v, map)) top = std::max(top, x);
  }
  if (error) top = std::max(0.05, *std::max_element(row.begin(), row.end()));  // errors under 1 % stay pale
  if (!(top > 0)) return;
  const double H = grid->rows;
  for (int s = 0; s < v.n_states; ++s) {
    const Cell c = grid->cell_of(s);
    if (grid->wall(c) || !(row[size_t(s)] > 0)) continue;
    const float t = float(std::sqrt(std::min(1.0, row[size_t(s)] / top)));
    const Vec2 lo{double(c.col), H - c.row - 1}, hi{c.col + 1.0, H - c.row};
    canvas.rect(lo, hi, mix(palette::floor, error ? kError : kOccupancy, 0.08f + 0.92f * t).with_alpha(0.95f),
                palette::none);
    if (grid->rows * grid->cols <= 150 && row[size_t(s)] >= 0.005) {  // the value, in percent
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.0f", 100 * row[size_t(s)]);
      // In the cell's top-left corner, clear of the policy arrows and the S / G / agent marks.
      canvas.text_left({c.col + 0.06, H - c.row - 0.2}, buf, t > 0.6f ? Color{1, 1, 1, 1} : palette::text, 0.7f);
    }
  }
  // The cell whose row this is.
  const Cell a = grid->cell_of(v.row);
  const Vec2 ring[5] = {{a.col + 0.04, H - a.row - 0.96},
                        {a.col + 0.96, H - a.row - 0.96},
                        {a.col + 0.96, H - a.row - 0.04},
                        {a.col + 0.04, H - a.row - 0.04},
                        {a.col + 0.04, H - a.row - 0.96}};
  canvas.polyline(ring, palette::text, 3.0f);
}

}  // namespace dynalab
