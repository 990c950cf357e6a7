#include "core/planning/data_support.h"

#include <cmath>
#include <stdexcept>

namespace dynalab {

namespace {
constexpr int kMaxGridDim = 6;  // above: 3^d neighbour cells cost more than a scan
}

DataSupport::DataSupport(const Eigen::MatrixXd& states, double radius) : radius_(radius) {
  if (!(radius > 0)) throw std::invalid_argument("DataSupport: radius must be positive");
  const long n = states.rows();
  const int d = int(states.cols());
  mean_ = n > 0 ? Eigen::VectorXd(states.colwise().mean().transpose()) : Eigen::VectorXd::Zero(d);
  inv_std_.resize(d);
  for (int j = 0; j < d; ++j) {
    const double sd = n > 1 ? std::sqrt((states.col(j).array() - mean_[j]).square().sum() / double(n)) : 0.0;
    inv_std_[j] = sd < 1e-6 ? 1.0 : 1.0 / sd;
  }
  points_.resize(n, d);
  std::vector<int64_t> cell(d);
  for (long i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) {
      points_(i, j) = (states(i, j) - mean_[j]) * inv_std_[j];
      cell[j] = int64_t(std::floor(points_(i, j) / radius_));
    }
    if (d <= kMaxGridDim) cells_[key(cell)].push_back(int(i));
  }
}

int64_t DataSupport::key(const std::vector<int64_t>& cell) const {
  // Mixed into one word (boost::hash_combine style); a collision only merges two cells' lists,
  // which the exact distance check makes harmless.
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (int64_t c : cell) h ^= uint64_t(c) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return int64_t(h);
}

bool DataSupport::contains(const float* s) const {
  const int d = dim();
  if (points_.rows() == 0) return false;
  Eigen::VectorXd q(d);
  for (int j = 0; j < d; ++j) {
    if (!std::isfinite(s[j])) return false;
    q[j] = (double(s[j]) - mean_[j]) * inv_std_[j];
  }
  const double r2 = radius_ * radius_;
  auto near = [&](long i) { return (points_.row(i).transpose() - q).squaredNorm() <= r2; };
  if (d > kMaxGridDim) {
    for (long i = 0; i < points_.rows(); ++i)
      if (near(i)) return true;
    return false;
  }
  std::vector<int64_t> base(d), cell(d);
  for (int j = 0; j < d; ++j) base[j] = int64_t(std::floor(q[j] / radius_));
  int combos = 1;
  for (int j = 0; j < d; ++j) combos *= 3;
  for (int c = 0; c < combos; ++c) {
    int rest = c;
    for (int j = 0; j < d; ++j, rest /= 3) cell[j] = base[j] + rest % 3 - 1;
    const auto it = cells_.find(key(cell));
    if (it == cells_.end()) continue;
    for (int i : it->second)
      if (near(i)) return true;
  }
  return false;
}

}  // namespace dynalab
