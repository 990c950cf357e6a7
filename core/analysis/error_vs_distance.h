#pragma once
// Model error vs distance to the data (lecture 000: "the model is wrong where we have no data"):
// for each visited transition (s, a, s'), x = the k-NN distance of the input (s, a) to the
// training inputs, y = the one-step prediction error ||f(s, a) - s'|| (Euclidean over the
// observation dims, real units; f = the mean over members of the predicted s').
// Distances are in normalised input space: each column of (s, a) divided by the std of the
// training inputs (column_scale), so 1 means "one training std away". The training inputs are
// subsampled to at most max_reference rows with Rng::derive(seed, {0}).
// Binned means use EQUAL-COUNT bins (quantiles of distance): each bin holds ~n / bins points, so
// every mean is backed by data even when the distances are very skewed.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace dynalab {

class Dataset;
class DynamicsModel;

struct ErrorVsDistanceOptions {
  int k = 1;                 ///< neighbour order for the distance
  int bins = 8;              ///< equal-count bins (fewer if there are fewer points)
  int max_reference = 3000;  ///< training inputs kept for the brute-force k-NN
  int max_queries = 5000;    ///< visited transitions kept (subsampled with derive(seed, {1}))
  bool elites_only = true;   ///< f averages the elite members (what the planner uses)
  uint64_t seed = 0;
};

struct ErrorVsDistance {
  std::vector<double> distance;  ///< per point: k-NN distance (training-std units)
  std::vector<double> error;     ///< per point: prediction error (real units)
  /// Per bin (sorted by distance): distance range, mean distance, mean error, count.
  std::vector<double> bin_lo, bin_hi, bin_distance, bin_error;
  std::vector<int> bin_count;
};

/// The analysis from precomputed inputs and errors: train_inputs (m x p) is the reference set,
/// query_inputs (n x p) the points whose `errors` (n) are given.
ErrorVsDistance error_vs_distance(const Eigen::MatrixXd& train_inputs,
                                  const Eigen::MatrixXd& query_inputs,
                                  const Eigen::VectorXd& errors,
                                  const ErrorVsDistanceOptions& options = {});

/// Bins given (distance, error) points into `bins` equal-count bins by distance (ties broken by
/// index); non-finite errors are skipped in the means. Fills the bin_* fields and copies the
/// points.
ErrorVsDistance bin_error_vs_distance(std::vector<double> distance, std::vector<double> error,
                                      int bins);

/// The analysis for `model` on the transitions of `visited` against the inputs of `train`.
ErrorVsDistance error_vs_distance(const DynamicsModel& model, const Dataset& train,
                                  const Dataset& visited,
                                  const ErrorVsDistanceOptions& options = {});

/// The mean-of-members prediction of s' (n x obs_dim, real units) for observations and actions
/// (rows), through one batched predict; elites_only restricts the mean to the elites.
Eigen::MatrixXd predict_next_mean(const DynamicsModel& model, const Eigen::MatrixXd& obs,
                                  const Eigen::MatrixXd& actions, bool elites_only = true);

}  // namespace dynalab
