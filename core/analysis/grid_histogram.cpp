#include "core/analysis/grid_histogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dynalab {

int bin_index(double v, double lo, double hi, int bins) {
  const int b = int(std::floor((v - lo) / (hi - lo) * bins));
  return std::clamp(b, 0, bins - 1);  // the upper edge belongs to the last bin
}

int grid_cell(const Heatmap& grid, double x, double y) {
  return bin_index(y, grid.y_lo, grid.y_hi, grid.ny) * grid.nx + bin_index(x, grid.x_lo, grid.x_hi, grid.nx);
}

Vec2 grid_cell_centre(const Heatmap& grid, int c) {
  const int ix = c % grid.nx, iy = c / grid.nx;
  return {grid.x_lo + (ix + 0.5) * (grid.x_hi - grid.x_lo) / grid.nx,
          grid.y_lo + (iy + 0.5) * (grid.y_hi - grid.y_lo) / grid.ny};
}

double grid_cell_area(const Heatmap& grid) {
  return (grid.x_hi - grid.x_lo) / grid.nx * (grid.y_hi - grid.y_lo) / grid.ny;
}

std::vector<double> grid_histogram(const Heatmap& grid, const std::vector<double>& xs,
                                   const std::vector<double>& ys, double pseudo_count) {
  if (xs.size() != ys.size()) throw std::invalid_argument("grid_histogram: xs and ys differ in size");
  std::vector<double> h(size_t(grid.nx) * size_t(grid.ny), pseudo_count);
  for (size_t i = 0; i < xs.size(); ++i)
    if (std::isfinite(xs[i]) && std::isfinite(ys[i])) h[size_t(grid_cell(grid, xs[i], ys[i]))] += 1;
  double total = 0;
  for (double v : h) total += v;
  if (total > 0)
    for (double& v : h) v /= total;
  return h;
}

}  // namespace dynalab
