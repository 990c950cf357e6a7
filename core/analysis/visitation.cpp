#include "core/analysis/visitation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/analysis/grid_histogram.h"

namespace dynalab {

VisitationHistograms visitation_histograms(const Eigen::MatrixXd& train,
                                           const Eigen::MatrixXd& visited,
                                           const VisitationOptions& o) {
  if (train.cols() != visited.cols() && train.rows() > 0 && visited.rows() > 0)
    throw std::invalid_argument("visitation_histograms: the two sets have different dimensions");
  if (o.bins < 1 || o.bins_2d < 1) throw std::invalid_argument("visitation_histograms: bins < 1");
  VisitationHistograms h;
  h.dims = int(std::max(train.cols(), visited.cols()));
  h.bins = o.bins;
  h.bins_2d = o.bins_2d;
  if (h.dims > 0 &&
      (o.dim_x < 0 || o.dim_x >= h.dims || o.dim_y < 0 || (o.dim_y >= h.dims && h.dims > 1)))
    throw std::invalid_argument("visitation_histograms: dim_x/dim_y out of range");
  h.dim_x = o.dim_x;
  h.dim_y = h.dims > 1 ? o.dim_y : o.dim_x;
  h.train_count = size_t(train.rows());
  h.visited_count = size_t(visited.rows());
  h.lo.assign(h.dims, 0.0);
  h.hi.assign(h.dims, 0.0);
  for (int d = 0; d < h.dims; ++d) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* m : {&train, &visited})
      for (Eigen::Index i = 0; i < m->rows(); ++i)
        if (std::isfinite((*m)(i, d))) lo = std::min(lo, (*m)(i, d)), hi = std::max(hi, (*m)(i, d));
    if (size_t(d) < o.low.size() && std::isfinite(o.low[d])) lo = std::min(lo, o.low[d]);
    if (size_t(d) < o.high.size() && std::isfinite(o.high[d])) hi = std::max(hi, o.high[d]);
    if (!(lo < hi)) {  // empty or a single value: a unit-wide range around it
      if (!std::isfinite(lo)) lo = hi = 0;
      lo -= 0.5;
      hi += 0.5;
    }
    h.lo[d] = lo;
    h.hi[d] = hi;
  }
  auto fill = [&](const Eigen::MatrixXd& m, std::vector<double>& one, std::vector<double>& two) {
    one.assign(size_t(h.dims) * h.bins, 0.0);
    two.assign(size_t(h.bins_2d) * h.bins_2d, 0.0);
    if (m.rows() == 0 || h.dims == 0) return;
    const double w = 1.0 / double(m.rows());
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      for (int d = 0; d < h.dims; ++d)
        if (std::isfinite(m(i, d)))
          one[size_t(d) * h.bins + bin_index(m(i, d), h.lo[d], h.hi[d], h.bins)] += w;
      const double x = m(i, h.dim_x), y = m(i, h.dim_y);
      if (std::isfinite(x) && std::isfinite(y))
        two[size_t(bin_index(y, h.lo[h.dim_y], h.hi[h.dim_y], h.bins_2d)) * h.bins_2d +
            bin_index(x, h.lo[h.dim_x], h.hi[h.dim_x], h.bins_2d)] += w;
    }
  };
  fill(train, h.train, h.train_2d);
  fill(visited, h.visited, h.visited_2d);
  return h;
}

}  // namespace dynalab
