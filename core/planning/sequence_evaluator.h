#pragma once
// The one thing planners call (mbrl-lib's ModelEnv.evaluate_action_sequences): score candidate
// action sequences from a start state. Implemented by ModelEnv (a learned model, with particle
// propagation) and by OracleEvaluator (the true env via Env::clone()).

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/space.h"

namespace dynalab {

/// Row-major float matrix: one candidate action sequence per row, H*A values, time-major.
using ActionBatch = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

class SequenceEvaluator {
 public:
  virtual ~SequenceEvaluator() = default;
  virtual int obs_dim() const = 0;
  virtual int action_dim() const = 0;
  /// Particles evaluated per candidate (1 for a deterministic evaluator).
  virtual int particles() const = 0;
  /// Scores each row of `actions` (P x H*A) from `start`. `returns` gets P values: the return
  /// (sum of rewards over the horizon, up to and including the step that terminates the episode)
  /// averaged over particles (ModelEnv: or another score of them, rollout.score); candidates whose return is not finite get -infinity so planners
  /// ignore them. Randomness derives from `noise_seed` and the candidate index only, so the
  /// result does not depend on thread count.
  /// If `paths` is not null it receives P x particles() x (H+1) x obs_dim predicted observations;
  /// the rows after a particle's terminal state are NaN (its path ends there).
  virtual void evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t noise_seed,
                        Eigen::VectorXf& returns, std::vector<float>* paths) = 0;
};

}  // namespace dynalab
