#pragma once
// Running mean and variance of a vector stream, and the observation / reward normalisation built
// on it (Stable-Baselines3 common/running_mean_std.py and vec_env/vec_normalize.py, the zoo's
// `normalize: true`). Updates merge moments (Chan et al.'s parallel algorithm) with the count
// starting at 1e-4 as SB3's, so the first sample already dominates.

#include "core/space.h"

namespace dynalab {

class StateVisitor;

struct RunningMeanStd {
  Vec mean, var;        ///< [dim] running mean and (population) variance
  double count = 1e-4;  ///< samples seen (+1e-4)

  explicit RunningMeanStd(int dim = 0) : mean(Vec::Zero(dim)), var(Vec::Ones(dim)) {}
  /// Merges one sample x [dim].
  void update(const Vec& x);
  /// Merges the moments of another stream of the same dim (Chan et al.; SB3's
  /// update_from_moments with other's mean, var and count), e.g. an ARS iteration's states.
  void merge(const RunningMeanStd& other);
  /// Keys mean, var, count.
  void visit_state(StateVisitor& v);
};

/// SB3 VecNormalize's observation side: obs -> clip((obs - mean) / sqrt(var + 1e-8), -10, 10).
struct ObservationNormalizer {
  bool enabled = false;
  RunningMeanStd stats;

  ObservationNormalizer(bool on, int dim) : enabled(on), stats(dim) {}
  /// Adds a fresh observation of the env to the statistics (a no-op when disabled).
  void observe(const Vec& obs) {
    if (enabled) stats.update(obs);
  }
  /// The normalised observation (obs itself when disabled).
  Vec operator()(const Vec& obs) const;
};

/// SB3 VecNormalize's reward side: rewards are divided by the running std of the discounted
/// return R <- gamma R + r (reset at each episode end) and clipped to [-10, 10]; the mean is
/// not subtracted.
struct RewardNormalizer {
  bool enabled = false;
  double gamma = 0.99;
  RunningMeanStd stats{1};
  double discounted_return = 0;

  RewardNormalizer(bool on, double g) : enabled(on), gamma(g) {}
  /// Normalises a reward of the current episode and updates the statistics (identity when
  /// disabled); `episode_end` resets the discounted return after this reward.
  double operator()(double reward, bool episode_end);
  void visit_state(StateVisitor& v);
};

}  // namespace dynalab
