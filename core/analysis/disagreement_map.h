#pragma once
// Aleatoric vs epistemic uncertainty of an ensemble on a slice of the state space (lectures
// 000/002, PETS): hold a base state and an action fixed, vary one or two observation dimensions
// over a grid, and ask every member for its prediction of s' at each point.
//   epistemic = variance ACROSS members of the predicted mean of s'   (model uncertainty: large
//               where the data does not pin the function down; more data shrinks it)
//   aleatoric = mean over members of each member's predicted variance (noise the member thinks
//               is inherent; 0 for deterministic members; more data does not shrink it)
// Variances are population variances (divide by the member count), in real units squared. The
// members predict s' - s, and s is the same for all members at a grid point, so the spread of
// the deltas is the spread of s'. A learned reward dimension is never included.
// All grid points go through ONE batched DynamicsModel::predict_moments.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/space.h"

namespace dynalab {

class DynamicsModel;

/// One varied observation dimension: `n` points from lo to hi inclusive (x_k = lo + (hi - lo) *
/// k / (n - 1); n = 1 gives the midpoint).
struct SliceAxis {
  int dim = 0;
  double lo = -1, hi = 1;
  int n = 32;
  /// The k-th grid coordinate.
  double at(int k) const { return n <= 1 ? 0.5 * (lo + hi) : lo + (hi - lo) * k / (n - 1); }
};

struct DisagreementOptions {
  /// Which output dimension of s' to report: -1 = the sum over all observation dims (maps);
  /// for the 1-D slice -1 means "the varied dimension".
  int output_dim = -1;
  /// Use only the ensemble's elite members (those the planner uses) instead of all members.
  bool elites_only = false;
  /// Slice only: joint draws of the mean function to add (models that offer them, a GP), drawn
  /// from Rng(sample_seed) so the same slice shows the same draws.
  int function_samples = 0;
  uint64_t sample_seed = 0;
};

/// A 2-D map; grids are row-major ny x nx: value at (x = xs[ix], y = ys[iy]) is [iy * nx + ix].
struct DisagreementMap {
  SliceAxis x, y;
  std::vector<double> xs, ys;     ///< grid coordinates (real units)
  std::vector<double> epistemic;  ///< ny x nx, variance of member means of s' (units^2)
  std::vector<double> aleatoric;  ///< ny x nx, mean member variance of s' (units^2)
  int output_dim = -1;            ///< as in the options (-1: summed over obs dims)
  int members = 0;                ///< members used
  double max_epistemic = 0, max_aleatoric = 0;  ///< for colour scales
};

/// A 1-D slice: one dimension varied, the others at the base state.
struct DisagreementSlice {
  SliceAxis x;
  std::vector<double> xs;  ///< the n grid coordinates
  int output_dim = 0;      ///< the reported dimension of s'
  int members = 0;         ///< E used
  std::vector<double>
      member_means;                 ///< E x n row-major: member m's mean of s'[output_dim] at xs[k]
  std::vector<double> member_vars;  ///< E x n: member m's aleatoric variance (0 if deterministic)
  std::vector<double> mean;         ///< n: the predictive mean of s'[output_dim]
  /// n: the epistemic variance (an ensemble's: the variance of member_means; a GP's: its
  /// latent variance) and the aleatoric one (the members' mean variance; a GP's noise).
  std::vector<double> epistemic;
  std::vector<double> aleatoric;
  int function_samples = 0;         ///< S: joint posterior draws of a GP's mean (0 otherwise)
  std::vector<double> sample_means; ///< S x n row-major: draw j's s'[output_dim] at xs[k]
  /// Total predictive variance of the moment-matched mixture: aleatoric + epistemic.
  double total(int k) const { return aleatoric[k] + epistemic[k]; }
};

/// The 2-D map over dims x.dim and y.dim around `base` (an observation) with action `action`.
/// Throws std::invalid_argument on bad dims, sizes (n < 1) or vector lengths.
DisagreementMap disagreement_map(const DynamicsModel& model, const Vec& base, const Vec& action,
                                 const SliceAxis& x, const SliceAxis& y,
                                 const DisagreementOptions& options = {});

/// The 1-D slice over dim x.dim around `base` with action `action`.
DisagreementSlice disagreement_slice(const DynamicsModel& model, const Vec& base, const Vec& action,
                                     const SliceAxis& x, const DisagreementOptions& options = {});

}  // namespace dynalab
