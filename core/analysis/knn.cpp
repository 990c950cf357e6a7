#include "core/analysis/knn.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "core/rng.h"

namespace dynalab {

Eigen::RowVectorXd column_scale(const Eigen::MatrixXd& x) {
  Eigen::RowVectorXd s = Eigen::RowVectorXd::Ones(x.cols());
  if (x.rows() == 0) return s;
  const Eigen::RowVectorXd mean = x.colwise().mean();
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    const double sd = std::sqrt((x.col(c).array() - mean[c]).square().mean());
    if (std::isfinite(sd) && sd >= 1e-9) s[c] = sd;
  }
  return s;
}

Eigen::MatrixXd subsample_rows(const Eigen::MatrixXd& x, int max_rows, Rng& rng) {
  const Eigen::Index n = x.rows();
  if (max_rows < 0 || n <= max_rows) return x;
  std::vector<Eigen::Index> idx(n);
  std::iota(idx.begin(), idx.end(), Eigen::Index(0));
  for (int i = 0; i < max_rows; ++i)  // partial Fisher-Yates: the first max_rows are the sample
    std::swap(idx[i], idx[i + Eigen::Index(rng.below(uint64_t(n - i)))]);
  std::sort(idx.begin(), idx.begin() + max_rows);  // keep the original order
  Eigen::MatrixXd out(max_rows, x.cols());
  for (int i = 0; i < max_rows; ++i) out.row(i) = x.row(idx[i]);
  return out;
}

Eigen::VectorXd knn_distance(const Eigen::MatrixXd& query, const Eigen::MatrixXd& reference, int k,
                             const Eigen::RowVectorXd& scale, bool exclude_self) {
  if (k < 1) throw std::invalid_argument("knn_distance: k must be >= 1");
  if (query.cols() != reference.cols() || scale.size() != query.cols())
    throw std::invalid_argument("knn_distance: column counts differ");
  if (exclude_self && query.rows() != reference.rows())
    throw std::invalid_argument("knn_distance: exclude_self needs query == reference");
  const Eigen::RowVectorXd inv = scale.cwiseInverse();
  // Column-major copies with samples as columns: each distance reads one contiguous column.
  const Eigen::MatrixXd q = (query.array().rowwise() * inv.array()).matrix().transpose();
  const Eigen::MatrixXd r = (reference.array().rowwise() * inv.array()).matrix().transpose();
  const Eigen::Index n = q.cols(), m = r.cols();
  Eigen::VectorXd out(n);
  std::vector<double> best;  // the k smallest squared distances so far, ascending
  for (Eigen::Index i = 0; i < n; ++i) {
    best.assign(size_t(k), std::numeric_limits<double>::infinity());
    for (Eigen::Index j = 0; j < m; ++j) {
      if (exclude_self && j == i) continue;
      const double d2 = (q.col(i) - r.col(j)).squaredNorm();
      if (d2 >= best.back()) continue;
      auto pos = std::upper_bound(best.begin(), best.end(), d2);
      best.insert(pos, d2);
      best.pop_back();
    }
    out[i] = std::sqrt(best.back());
  }
  return out;
}

}  // namespace dynalab
