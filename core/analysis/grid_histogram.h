#pragma once
// Histograms of 2-D points on a heat map's grid (core/heatmap.h: nx x ny cells over
// [x_lo, x_hi] x [y_lo, y_hi], cell iy * nx + ix, iy = 0 at y_lo), and the binning they share
// with the visitation histograms (visitation.h). C-learning scores its densities this way: the
// replay marginal and the Monte Carlo futures as probabilities per cell, compared by
// histogram_kl (divergence.h).

#include <vector>

#include "core/heatmap.h"

namespace dynalab {

/// The bin of v among `bins` equal bins over [lo, hi]; values outside go to the nearest edge bin
/// (the upper edge belongs to the last bin). v must be finite.
int bin_index(double v, double lo, double hi, int bins);

/// The cell of `grid` holding the point (x, y) (finite; outside: the nearest edge cell).
int grid_cell(const Heatmap& grid, double x, double y);
/// Centre of cell c of `grid`, data units.
Vec2 grid_cell_centre(const Heatmap& grid, int c);
/// Area of one cell of `grid`, data units squared (m^2 for positions in m).
double grid_cell_area(const Heatmap& grid);

/// Probabilities per cell of `grid` (nx * ny, summing to 1) of the points (xs[i], ys[i]), each
/// cell's count raised by `pseudo_count` first (> 0 keeps every cell positive, as a KL's second
/// argument needs). Non-finite points are skipped; no points and no pseudo-count: all zeros.
/// std::invalid_argument if xs and ys differ in size.
std::vector<double> grid_histogram(const Heatmap& grid, const std::vector<double>& xs,
                                   const std::vector<double>& ys, double pseudo_count);

}  // namespace dynalab
