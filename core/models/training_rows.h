#pragma once
// The rows a network dynamics model (Ensemble, BnnDynamics) fits on: every transition of a
// Dataset as an input [s, a] and a target [s' - s, (r), (P(terminated))] (DynamicsModel's
// layout), in real units and normalised, split into training and validation rows. The
// normalisers are fit on the training rows only, so the validation score sees no statistic of
// its own rows (PETS / mbrl-lib's practice).

#include <Eigen/Core>
#include <vector>

namespace dynalab {

class Dataset;
class DynamicsModel;
class Rng;

/// Per-dimension affine normaliser x_n = (x - mean) / std, fit on the training rows.
struct Normalizer {
  Eigen::RowVectorXf mean, std;
  /// Fits mean and std over the rows of x; a std below 1e-6 becomes 1 (constant columns).
  void fit(const Eigen::MatrixXf& x);
  /// Identity (mean 0, std 1) over `dims` columns: a model before its first fit.
  void reset(int dims);
};

struct TrainingRows {
  Eigen::MatrixXf x_raw, y_raw;  ///< all rows (n x input dims, n x D), real units
  Eigen::MatrixXf x, y;          ///< all rows, normalised
  std::vector<int> train, val;   ///< the split: indices into the rows
  Eigen::MatrixXf x_val, y_val;  ///< the validation rows, normalised

  /// Begins a fit of `model` on `data`: loads the rows, draws the split (a Fisher-Yates
  /// permutation from rng; its first round(n * val_fraction) rows, at least 1 if val_fraction
  /// > 0 and at most n - 1, are the validation rows), fits `in` and `out` on the training rows
  /// and normalises. InputError naming `model` if `data` has other dimensions than the model or
  /// fewer than 2 transitions.
  void begin(const DynamicsModel& model, const Dataset& data, double val_fraction, Rng& rng,
             Normalizer& in, Normalizer& out);
  /// The rows of `data` with a split and normalisers kept from an earlier begin() (a session's
  /// fit in progress): the same arithmetic, so bit-identical to what begin() produced.
  void restore(const DynamicsModel& model, const Dataset& data, std::vector<int> train_rows,
               std::vector<int> val_rows, const Normalizer& in, const Normalizer& out);
  /// Rows loaded (the dataset's size at the last begin or restore).
  long size() const { return long(x_raw.rows()); }

 private:
  void load(const DynamicsModel& model, const Dataset& data);
  void normalise(const Normalizer& in, const Normalizer& out);
};

}  // namespace dynalab
