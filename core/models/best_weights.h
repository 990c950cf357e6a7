#pragma once
// The best parameters a network model's fit has seen, by validation score: early stopping gives
// them back when the fit stops (Ensemble per member, BnnDynamics for its posterior).

#include <Eigen/Core>
#include <cmath>
#include <limits>

#include "core/models/losses.h"

namespace dynalab {

struct BestWeights {
  /// The parameters: a network's flat weights (Ensemble) or a posterior's [mu; rho] (BnnDynamics).
  Eigen::VectorXf params;
  /// The learned log-variance bounds that go with them (normalised units).
  LogVarBounds<float> bounds;
  /// Their score (lower is better); infinity before the first epoch of a fit.
  double score = std::numeric_limits<double>::infinity();

  /// Keeps p and b as the best, with score s.
  void keep(const Eigen::VectorXf& p, const LogVarBounds<float>& b, double s) {
    params = p;
    bounds.max_lv = b.max_lv;
    bounds.min_lv = b.min_lv;
    score = s;
  }
  /// A fit begins: the current parameters, no score yet.
  void reset(const Eigen::VectorXf& p, const LogVarBounds<float>& b) {
    keep(p, b, std::numeric_limits<double>::infinity());
  }
  /// True if `s` is a new best: the first score, or below the best by more than 1e-3 of it, so
  /// that noise-level gains do not reset the patience.
  bool improves(double s) const {
    return s < score - 1e-3 * std::abs(score) || std::isinf(score);
  }
};

}  // namespace dynalab
