#include "core/analysis/divergence.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/analysis/knn.h"
#include "core/rng.h"

namespace dynalab {

KnnKlResult knn_kl_divergence(const Eigen::MatrixXd& p_in, const Eigen::MatrixXd& q_in,
                              const KnnKlOptions& o) {
  if (p_in.cols() != q_in.cols())
    throw std::invalid_argument("knn_kl_divergence: the two sets have different dimensions");
  if (o.k < 1) throw std::invalid_argument("knn_kl_divergence: k must be >= 1");
  Rng rp = Rng::derive(o.seed, {0}), rq = Rng::derive(o.seed, {1});
  const Eigen::MatrixXd p = subsample_rows(p_in, o.max_points, rp);
  const Eigen::MatrixXd q = subsample_rows(q_in, o.max_points, rq);
  KnnKlResult res;
  res.n = int(p.rows());
  res.m = int(q.rows());
  // Dimensions that vary in either set: a coordinate constant in both adds no volume.
  for (Eigen::Index c = 0; c < p.cols(); ++c) {
    const bool vp = p.rows() > 0 && p.col(c).maxCoeff() > p.col(c).minCoeff();
    const bool vq = q.rows() > 0 && q.col(c).maxCoeff() > q.col(c).minCoeff();
    const bool differ = p.rows() > 0 && q.rows() > 0 && p(0, c) != q(0, c);
    if (vp || vq || differ) ++res.d;
  }
  if (res.n < o.k + 1 || res.m < o.k) {
    res.kl = res.raw = std::numeric_limits<double>::quiet_NaN();
    return res;
  }
  if (res.d == 0) return res;  // every sample is the same point in both sets: identical
  const Eigen::RowVectorXd scale = column_scale(q);
  const Eigen::VectorXd rho = knn_distance(p, p, o.k, scale, true);
  const Eigen::VectorXd nu = knn_distance(p, q, o.k, scale, false);
  double sum = 0;
  for (int i = 0; i < res.n; ++i)
    sum += std::log(std::max(nu[i], o.min_distance)) - std::log(std::max(rho[i], o.min_distance));
  res.raw = double(res.d) / res.n * sum + std::log(double(res.m) / (res.n - 1));
  res.kl = std::max(res.raw, 0.0);
  return res;
}

double histogram_kl(const std::vector<double>& p, const std::vector<double>& q) {
  if (p.size() != q.size()) throw std::invalid_argument("histogram_kl: sizes differ");
  double kl = 0;
  for (size_t c = 0; c < p.size(); ++c) {
    if (!(p[c] > 0)) continue;
    if (!(q[c] > 0)) return std::numeric_limits<double>::infinity();
    kl += p[c] * std::log(p[c] / q[c]);
  }
  return kl;
}

}  // namespace dynalab
