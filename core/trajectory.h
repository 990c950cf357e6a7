#pragma once
// One recorded episode of the real env: the one trajectory type of dynalab. The experiment
// records every real (non-warm-up) episode as a Trajectory; trajectories.csv, the exported
// trajectories.json, the snapshot's current episode and the agents' end-of-episode hooks all
// read this type, so one episode has one representation.

#include <cstddef>
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
  /// For an env seen through a camera (Env::pixel_layout), the true state behind each
  /// observation: (steps() + 1) x true_dim values of the inner env's observation, for plots and
  /// probes (issue 20: "keeping the inner env's state"). true_dim = 0 and empty otherwise.
  int true_dim = 0;
  std::vector<double> true_obs;

  Trajectory() = default;
  /// An empty episode starting at `first_obs`.
  /// An empty episode starting at `first_obs`; `first_true` is the true state behind it (empty
  /// unless the env is seen through a camera).
  Trajectory(int run_, int episode_, const Vec& first_obs, int action_dim_, const Vec& first_true = Vec())
      : run(run_), episode(episode_), obs_dim(int(first_obs.size())), action_dim(action_dim_),
        obs(first_obs.data(), first_obs.data() + first_obs.size()), true_dim(int(first_true.size())),
        true_obs(first_true.data(), first_true.data() + first_true.size()) {}

  int steps() const { return int(rewards.size()); }
  /// Appends one step: the action applied, its reward, the observation it led to and the true
  /// state behind that observation (true_dim values).
  void push(const Vec& action, double reward, const Vec& next_obs, const Vec& next_true = Vec()) {
    actions.insert(actions.end(), action.data(), action.data() + action.size());
    rewards.push_back(reward);
    obs.insert(obs.end(), next_obs.data(), next_obs.data() + next_obs.size());
    true_obs.insert(true_obs.end(), next_true.data(), next_true.data() + next_true.size());
  }
  /// Row t of trajectories.csv after run, episode and t: observation t, action t, reward t, then
  /// the true state behind observation t (obs_dim + action_dim + 1 + true_dim values).
  std::vector<double> step_values(int t) const {
    std::vector<double> row(obs.begin() + ptrdiff_t(t) * obs_dim, obs.begin() + ptrdiff_t(t + 1) * obs_dim);
    row.insert(row.end(), actions.begin() + ptrdiff_t(t) * action_dim, actions.begin() + ptrdiff_t(t + 1) * action_dim);
    row.push_back(rewards[size_t(t)]);
    row.insert(row.end(), true_obs.begin() + ptrdiff_t(t) * true_dim, true_obs.begin() + ptrdiff_t(t + 1) * true_dim);
    return row;
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
