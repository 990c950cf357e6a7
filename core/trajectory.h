#pragma once
// One recorded episode of the real env: the one trajectory type of dynalab. The experiment
// records every real (non-warm-up) episode as a Trajectory; trajectories.csv, the exported
// trajectories.json, the snapshot's current episode and the agents' end-of-episode hooks all
// read this type, so one episode has one representation.

#include <cstdint>
#include <vector>

#include "core/space.h"

namespace dynalab {

struct Trajectory {
  int run = 0, episode = 0;
  int obs_dim = 0, action_dim = 0;
  std::vector<double> obs;      ///< (steps() + 1) x obs_dim, row-major: obs before each action, then the last
  std::vector<double> actions;  ///< steps() x action_dim: the actions the env applied (clipped)
  std::vector<double> rewards;  ///< steps()
  bool terminated = false;      ///< the MDP ended it (goal, pit, fall); false: truncated or still running

  Trajectory() = default;
  /// An empty episode starting at `first_obs`.
  Trajectory(int run_, int episode_, const Vec& first_obs, int action_dim_)
      : run(run_), episode(episode_), obs_dim(int(first_obs.size())), action_dim(action_dim_),
        obs(first_obs.data(), first_obs.data() + first_obs.size()) {}

  int steps() const { return int(rewards.size()); }
  /// Appends one step: the action applied, its reward and the observation it led to.
  void push(const Vec& action, double reward, const Vec& next_obs) {
    actions.insert(actions.end(), action.data(), action.data() + action.size());
    rewards.push_back(reward);
    obs.insert(obs.end(), next_obs.data(), next_obs.data() + next_obs.size());
  }
  /// Observation t (0 <= t <= steps()) as a vector.
  Vec observation(int t) const { return Eigen::Map<const Vec>(obs.data() + size_t(t) * obs_dim, obs_dim); }
  /// Action t (0 <= t < steps()) as a vector.
  Vec action(int t) const { return Eigen::Map<const Vec>(actions.data() + size_t(t) * action_dim, action_dim); }
  double total_reward() const {
    double r = 0;
    for (double x : rewards) r += x;
    return r;
  }
};

}  // namespace dynalab
