#pragma once
// State-visitation densities of two sample sets on shared bins: the states in the training data
// ("train") and the states the planner's policy visited ("visited"). Distribution shift shows as
// visited mass where the training histogram is empty (lecture 000's cliff: the plan drives to
// states no random episode reached).

#include <Eigen/Core>
#include <vector>

namespace dynalab {

struct VisitationOptions {
  int bins = 30;  ///< bins per dimension of the 1-D histograms
  int dim_x = 0;  ///< dimensions of the 2-D histogram
  int dim_y = 1;
  int bins_2d = 20;  ///< bins per axis of the 2-D histogram
  /// Per dim, a range the bins cover at least (the observation space's bounds: the cliff hill's
  /// x from the wall to the pit, so the map shows where the states are NOT); non-finite or
  /// missing entries add nothing.
  std::vector<double> low, high;
};

/// Histograms of two sets on shared bins. Values are fractions of each set (each 1-D histogram
/// sums to 1 over its bins, the 2-D one over its cells; all zero for an empty set). Bin edges per
/// dimension span [min, max] over the union of both sets and the options' low/high (widened by
/// 0.5 on each side if that range is empty); samples on the upper edge go to the last bin.
struct VisitationHistograms {
  int dims = 0, bins = 0;
  std::vector<double> lo, hi;             ///< per dim: range of the shared bins (real units)
  std::vector<double> train;              ///< dims x bins, row-major: [d * bins + b]
  std::vector<double> visited;            ///< dims x bins, row-major
  int dim_x = 0, dim_y = 0, bins_2d = 0;  ///< dim_y = dim_x if the data has one dimension
  std::vector<double> train_2d;           ///< bins_2d x bins_2d, row-major: [iy * bins_2d + ix]
  std::vector<double> visited_2d;
  size_t train_count = 0, visited_count = 0;  ///< samples binned
  /// Centre of bin b of dimension d (real units).
  double bin_centre(int d, int b) const { return lo[d] + (hi[d] - lo[d]) * (b + 0.5) / bins; }
};

/// Bins the rows of `train` and `visited` (same columns). dim_x/dim_y out of range throw
/// std::invalid_argument (callers validate user input first); with one column dim_y = dim_x.
VisitationHistograms visitation_histograms(const Eigen::MatrixXd& train,
                                           const Eigen::MatrixXd& visited,
                                           const VisitationOptions& options = {});

}  // namespace dynalab
