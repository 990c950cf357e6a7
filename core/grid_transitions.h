#pragma once
// The true one-step table of a deterministic world with one discrete state per grid cell (the
// grid worlds), read by probing a copy of the env: restore its current state (Env::set_state),
// put the agent in a cell (Env::set_observation), try an action, for every free cell and action.
// The real env is never stepped. The lecturer's ground truth for the tabular families (the exact
// successor representation and successor features, shortest and greedy paths); no agent acts on it.

#include <memory>
#include <vector>

#include "core/env.h"
#include "core/grid_layout.h"

namespace dynalab {

/// Every (state, action)'s outcome, as the real env would give it now (its current walls, goal,
/// objects and step counts).
struct GridTransitions {
  int n_states = 0, n_actions = 0;
  GridLayout layout;           ///< the layout probed (walls, start, goal and objects in effect)
  std::vector<int> next;       ///< n_states * n_actions: s' of (s, a) at [s * n_actions + a]; -1 for wall cells
  std::vector<bool> terminal;  ///< n_states * n_actions: (s, a) ends the episode
  std::vector<double> reward;  ///< n_states * n_actions: the reward of (s, a)
  int pair(int s, int a) const { return s * n_actions + a; }
  bool free(int s) const { return !layout.walls[size_t(s)]; }
  /// n_states: the cells some transition enters terminally (the goal, the objects). The episode
  /// ends there, so the agent is never seen to act from them.
  std::vector<bool> terminal_cells() const;
};

/// True if `env` can be probed: a grid layout with one discrete observation per cell, discrete
/// actions, deterministic steps, and an observation that puts the agent in a cell
/// (Env::set_observation). Checked on a copy.
bool probeable_grid(const Env& env);

/// Probes `env` (see the file comment). Throws std::invalid_argument if !probeable_grid(env).
GridTransitions probe_grid(const Env& env);

/// Shortest number of steps from the layout's start to a step that ends the episode, breadth
/// first over `t`; -1 if none is reachable.
int shortest_path_steps(const GridTransitions& t);

/// Steps of the greedy path of `q` (n_states * n_actions; the lowest-index maximal action) from
/// the layout's start in `t` until a step ends the episode; n_states if it does not within
/// n_states steps (it loops or bumps a wall forever).
int greedy_path_steps(const GridTransitions& t, const std::vector<double>& q);

}  // namespace dynalab
