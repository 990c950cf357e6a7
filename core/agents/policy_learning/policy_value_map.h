#pragma once
// The critic heat map of a SAC learner (sac and mbpo): over the env's 2-D state plane
// (Env::state_plane; pendulum: angle x angular velocity) the value V(s) = min(Q1, Q2)(s, pi(s))
// of the twin critics at the deterministic action pi(s) = tanh(mean(s)) (the pessimistic
// estimate SAC's targets use, without the entropy bonus), and that action per cell: the
// swing-up spiral shows in value space as SAC learns. Computed from the networks alone (no
// random draw, nothing the learner keeps), so publishing it changes no learning number.

#include <cstdint>
#include <memory>

#include "core/agents/sac/sac_learner.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

/// V and the deterministic action of `learner` at the centres of a cells x cells grid over
/// `plane` (cell (ix, iy) at value.values[iy * cells + ix], iy = 0 at plane.y_lo). cells >= 1;
/// plane.obs must give the learner's observation size.
PolicyValueView policy_value_map(const SacLearner& learner, const StatePlane& plane, int cells);

/// The map a learner's agent publishes, recomputed only when the learner has made `every`
/// updates since the last map (on the worker thread, at publish): a ~40 x 40 grid costs three
/// forward passes of 1600 rows.
class PolicyValueMapCache {
 public:
  static constexpr int kCells = 40;
  static constexpr int64_t kEveryUpdates = 200;

  /// Keeps `env`'s state plane (none: current() is always null).
  explicit PolicyValueMapCache(const Env& env) : plane_(env.state_plane()) {}
  /// The latest map of `learner`, computed now if there is none yet or it is kEveryUpdates
  /// updates old.
  std::shared_ptr<const PolicyValueView> current(const SacLearner& learner);

 private:
  std::optional<StatePlane> plane_;
  std::shared_ptr<const PolicyValueView> last_;
};

}  // namespace dynalab
