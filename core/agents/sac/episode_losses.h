#pragma once
// The SAC updates of the current episode and the sums of their losses: the metric columns
// alpha, critic_loss and actor_loss that every SAC-based family (sac, mbpo) writes per episode.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/agents/sac/sac_learner.h"

namespace dynalab {

class StateVisitor;

struct EpisodeLosses {
  int64_t updates = 0;
  double critic = 0, actor = 0;

  void add(const SacLosses& l) {
    ++updates;
    critic += l.critic;
    actor += l.actor;
  }
  /// A new episode: no updates yet.
  void reset() { *this = {}; }
  /// {alpha, mean critic loss, mean actor loss} (0 without updates).
  std::vector<double> metrics(double alpha) const {
    const double n = double(std::max<int64_t>(updates, 1));
    return {alpha, critic / n, actor / n};
  }
  /// Session state (keys episode_updates, episode_critic_loss, episode_actor_loss).
  void visit_state(StateVisitor& v);
};

}  // namespace dynalab
