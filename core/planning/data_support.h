#pragma once
// DataSupport: where the model's training data lies, as a set of states; a query asks whether
// a state is within `radius` of some training state, distances measured per dimension in units
// of the data's standard deviation (so metres and metres per second weigh alike).
//
// It is the "unknown state detector" of a pessimistic planner: an imagined particle that leaves
// the data's support is ended (halted) and charged a fixed low reward for the rest of its
// horizon (rollout.support_radius, rollout.halt_reward; model_stepper.h), the HALT state of
// R. Kidambi et al., "MOReL: Model-Based Offline Reinforcement Learning" (NeurIPS 2020), with
// distance to the data instead of ensemble disagreement as the detector: an ensemble whose
// members share a wrong extrapolation agrees where it knows nothing, the distance does not.
//
// A hash grid of cells `radius` wide: a query looks at the 3^d cells around its own and
// measures exact distances to the states there, so it is exact and costs O(3^d) cell lookups
// (meant for low-dimensional worlds; above 6 dimensions it scans every state).

#include <Eigen/Core>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace dynalab {

class DataSupport {
 public:
  /// The support of the states (rows of `states`, n x d, real units) at `radius` (> 0, in
  /// standard deviations of each column; a column with std < 1e-6 uses 1).
  DataSupport(const Eigen::MatrixXd& states, double radius);
  /// True if some training state lies within `radius` (normalised Euclidean distance) of `s`
  /// (d values, real units). Thread-safe (const).
  bool contains(const float* s) const;
  int dim() const { return int(mean_.size()); }
  long size() const { return points_.rows(); }
  double radius() const { return radius_; }

 private:
  int64_t key(const std::vector<int64_t>& cell) const;
  Eigen::VectorXd mean_, inv_std_;
  Eigen::MatrixXd points_;  // normalised states, n x d
  double radius_;
  std::unordered_map<int64_t, std::vector<int>> cells_;
};

}  // namespace dynalab
