#pragma once
// The transitions an agent has seen: (s, a, r, s', terminated) with episode ids, in arrival
// order, optionally bounded (a replay buffer drops the oldest). Models train on it; analyses
// compare it with the states a policy visits; it exports to CSV and .npy.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/space.h"

namespace dynalab {

struct Transition {
  int episode = 0;
  Vec obs, action;
  double reward = 0;
  Vec next_obs;
  bool terminated = false;
};

class Dataset {
 public:
  /// capacity 0 means unbounded; otherwise the oldest transitions are dropped.
  Dataset(int obs_dim, int action_dim, size_t capacity = 0);

  void add(const Transition& t);
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  int obs_dim() const { return obs_dim_; }
  int action_dim() const { return action_dim_; }
  size_t capacity() const { return capacity_; }
  /// The i-th transition, oldest first.
  Transition at(size_t i) const;
  /// A copy of the oldest min(n, size()) transitions (the data a fit used, when rows have only
  /// been added since), unbounded.
  Dataset head(size_t n) const;
  void clear();

  /// Matrices with one row per transition, oldest first.
  Eigen::MatrixXd observations() const;
  Eigen::MatrixXd actions() const;
  Eigen::MatrixXd next_observations() const;
  Eigen::VectorXd rewards() const;
  /// 1 where the transition terminated the episode, else 0.
  Eigen::VectorXd terminations() const;

  /// Column names: episode, obs_0.., action_0.., reward, next_obs_0.., terminated.
  std::vector<std::string> columns() const;
  /// CSV with a header row of columns().
  std::string to_csv() const;
  /// .npy bytes: float64 array of shape (size, columns) in the columns() order.
  std::string to_npy() const;
  /// Parses what to_csv wrote; errors (wrong column count, NaN/Inf, empty file) name source and line.
  static Dataset from_csv(const std::string& text, const std::string& source, int obs_dim, int action_dim);
  /// Parses what to_npy wrote; the column count must match the dimensions.
  static Dataset from_npy(const std::string& bytes, const std::string& source, int obs_dim, int action_dim);

 private:
  int cols() const { return 3 + 2 * obs_dim_ + action_dim_; }
  const double* row(size_t i) const;
  static Dataset from_rows(const std::vector<double>& rows, size_t n, int obs_dim, int action_dim,
                           const std::string& source);

  int obs_dim_, action_dim_;
  size_t capacity_, count_ = 0, head_ = 0;  // head_: index of the oldest row when full
  std::vector<double> rows_;                // row-major, columns() layout
};

}  // namespace dynalab
