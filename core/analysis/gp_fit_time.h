#pragma once
// GP training cost against the number of training points N, measured live (issue 19: "GP fit
// time vs number of points on log-log axes"; GUI lab "GP cost", dynalab-cli analysis
// gp_fit_time). Exact GP training costs O(N^3): every evaluation of the log marginal likelihood
// and its gradient factorises the N x N Gram matrix (Cholesky, N^3/3 flops) and forms K^-1 for
// the gradient (Rasmussen & Williams 2006, Algorithm 2.1 and eq. 5.9), so on log-log axes the
// time per evaluation approaches a line of slope 3 once N is large enough for the O(N^3) work
// to outweigh the O(N^2 d) kernel and the fixed costs.
//
// What is timed, on one thread, with std::chrono::steady_clock (wall clock; the numbers depend
// on the machine and its load, so they are in no golden output and no test asserts them):
//   evaluation  one GaussianProcess::set_params (kernel matrix, Cholesky, alpha = K^-1 y) plus
//               log_marginal_likelihood() and log_marginal_likelihood_gradient(), at the data's
//               initial hyperparameters (pilco-matlab train.m's guess): one step of the fit
//   fit         the whole fit as GpDynamics::begin_training and train_epoch do it for one
//               column: set_data, then L-BFGS (fit_hyperparameters) up to
//               gp.optimizer_iterations iterations from the same initial guess
// each as the median of `repetitions` runs. One GP: the target is the change of obs
// `column` (a GpDynamics fits one such GP per predicted column, so its fit costs about that
// many times more), on the normalised input [s, a].
//
// The model's subset-of-data cap (gp.max_points, 300 by default) does NOT apply: the study
// builds its GPs directly, on the first N rows of a seeded shuffle of the data (each N's points
// contain the smaller N's). N runs on a doubling ladder from first_points up to max_points or
// the data's rows, whichever is smaller; each series stops before a point that the cubic law,
// from its last measured point, predicts to take longer than max_seconds per run.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/dataset.h"
#include "core/figure.h"
#include "core/models/gp/gp_config.h"

namespace dynalab {

struct GpFitTimeRecipe {
  int first_points = 25;       ///< the ladder's first N, >= 2
  int max_points = 1600;       ///< the ladder's largest N (also capped by the data's rows)
  int repetitions = 3;         ///< runs per point and series; the median is reported, >= 1
  double max_seconds = 2.0;    ///< a series stops before a point predicted to take longer (s)
  bool time_fit = true;        ///< also time the whole hyperparameter fit
  int column = 0;              ///< the target: the change of this obs dim
  uint64_t seed = 0;           ///< the shuffle that picks each N's rows
  int slope_points = 3;        ///< the slope is fit over this many largest points of a series
};

/// One N of the ladder; NaN seconds: that series was not measured at this N.
struct GpFitTimePoint {
  int n = 0;
  double evaluation_s = std::numeric_limits<double>::quiet_NaN();  ///< median, seconds
  double fit_s = std::numeric_limits<double>::quiet_NaN();         ///< median, seconds
  int fit_evaluations = 0;  ///< log-likelihood evaluations of the last timed fit
  int fit_iterations = 0;   ///< L-BFGS iterations of the last timed fit
};

/// first, 2 first, 4 first, ... up to `largest` (inclusive). Empty if largest < first. Throws
/// InputError if first < 1.
std::vector<int> doubling_ladder(int first, int largest);

/// The least-squares slope of log10(seconds) against log10(n) over the last `last_k` pairs
/// whose n and seconds are both finite and positive (the others are skipped): the exponent p of
/// seconds ~ n^p. NaN with fewer than 2 such pairs or if their n are all equal. Sizes must match
/// (std::invalid_argument otherwise).
double log_log_slope(const std::vector<double>& n, const std::vector<double>& seconds, int last_k);

/// The study, in bounded units for the GUI's worker: construct, step() until it returns false.
class GpFitTimeStudy {
 public:
  /// Copies the N rows it needs from `data`. Throws InputError naming the field on a column out
  /// of range, repetitions < 1, first_points < 2, max_seconds <= 0, slope_points < 2, or fewer
  /// than first_points transitions.
  GpFitTimeStudy(const Dataset& data, const GpConfig& gp, const GpFitTimeRecipe& recipe);
  /// One timed run (one repetition of one series at one N). False when the study is done.
  bool step();
  void run() {
    while (step()) {
    }
  }
  bool done() const { return index_ >= ladder_.size(); }
  /// The ladder's Ns and the points measured so far (one per N begun, in ladder order).
  const std::vector<int>& ladder() const { return ladder_; }
  const std::vector<GpFitTimePoint>& points() const { return points_; }
  size_t rows() const { return rows_; }  ///< transitions in the data
  int input_dim() const { return int(X_.cols()); }
  const GpFitTimeRecipe& recipe() const { return recipe_; }
  int optimizer_iterations() const { return gp_.optimizer_iterations; }
  /// "N = 400: log-likelihood evaluation, run 2 of 3" or "done".
  std::string stage() const;
  /// Fraction of the ladder's Ns finished, in [0, 1].
  double progress() const;

 private:
  double time_evaluation(int n);
  double time_fit(int n, GpFitTimePoint& p);
  void next_series();

  GpConfig gp_;
  GpFitTimeRecipe recipe_;
  Eigen::MatrixXd X_;  // the shuffled rows' inputs [s, a] (largest N x d), raw units
  Eigen::VectorXd y_;  // their targets, the change of obs `column`
  std::vector<int> ladder_;
  std::vector<GpFitTimePoint> points_;
  std::vector<double> runs_;  // the current series' timed runs at the current N
  size_t index_ = 0;          // the ladder's N being measured
  int series_ = 0;            // 0: evaluation, 1: fit
  bool stop_evaluation_ = false, stop_fit_ = false;
  size_t rows_ = 0;
  volatile double sink_ = 0;  // keeps the timed results alive
};

/// The two series' slopes over the recipe's slope_points largest measured points.
double evaluation_slope(const std::vector<GpFitTimePoint>& pts, int slope_points);
double fit_slope(const std::vector<GpFitTimePoint>& pts, int slope_points);

/// Seconds against N on log-log axes ("gp_fit_time"): a guide of slope 3 through the largest
/// evaluation point ("slope 3: O(N^3)", first: drawn under the others), the evaluation series
/// and the fit series (if measured).
Figure gp_fit_time_figure(const std::vector<GpFitTimePoint>& pts, int repetitions,
                          int optimizer_iterations);
/// n,evaluation_s,fit_s,fit_iterations,fit_evaluations: one row per point.
std::string gp_fit_time_csv(const std::vector<GpFitTimePoint>& pts);
/// The table as text, a line per N, then the slopes: what dynalab-cli prints.
std::string gp_fit_time_text(const std::vector<GpFitTimePoint>& pts, int slope_points);

}  // namespace dynalab
