#pragma once
// The true one-step dynamics of a grid world, read by probing copies of the real env (Env::clone,
// set_state), and what follows from them exactly: the closed-form successor representation of a
// policy, shortest paths and the length of a greedy path. These are the lecturer's ground truth
// (the "exact M" view, the revaluation metrics); the successor agent never acts on them.

#include <Eigen/Core>
#include <vector>

#include "core/env.h"

namespace dynalab {

/// Every (state, action)'s outcome in a deterministic grid world, as the real env would give it
/// now (its current walls, goal and change time).
struct GridTransitions {
  int n_states = 0, n_actions = 0;
  GridLayout layout;                ///< the layout probed (walls, start, goal in effect)
  std::vector<int> next;            ///< n_states * n_actions: s' of (s, a); -1 for wall cells
  std::vector<bool> terminal;       ///< n_states * n_actions: (s, a) enters a terminal cell
  std::vector<double> reward;       ///< n_states * n_actions: the reward of (s, a)
  bool free(int s) const { return !layout.walls[size_t(s)]; }
};

/// Probes `env` (a grid world: Env::grid_layout() set, get_state()'s first two values the agent's
/// row and column, as GridWorld::get_state) from every free cell with every action, each from a
/// copy of the env's current state with the agent moved there. One sample per pair: exact for a
/// deterministic world (slip = 0), a sample of the slip otherwise. Throws std::invalid_argument if
/// `env` is not such a grid world.
GridTransitions probe_grid(const Env& env);

/// The closed-form successor representation (Dayan 1993, in deck 001's normalised form) of the
/// policy `pi` (n_states * n_actions, pi(a|s) at [s * n_actions + a], rows summing to 1):
/// M = (1 - gamma)(I - gamma P_pi)^-1 over the cells, P_pi the world's moves under pi with every
/// terminal cell absorbing (the episode ends there: the agent is never seen to leave it, as the
/// learned M assumes, successor_learner.h). Every row sums to 1; M(s, i) is the discounted share of
/// the future spent in i from s, s itself included. Wall cells' rows are e_s (never used).
/// Returns n_states x n_states.
Eigen::MatrixXd closed_form_sr(const GridTransitions& t, const std::vector<double>& pi, double gamma);

/// Shortest number of steps from the layout's start to entering a terminal cell (breadth-first
/// over `t`); -1 if none is reachable.
int shortest_path_steps(const GridTransitions& t);

/// Steps of the greedy path of `q` (n_states * n_actions; the lowest-index maximal action) from
/// the layout's start in the true dynamics `t` until it enters a terminal cell; `cap` (n_states)
/// if it does not within `cap` steps (it loops or bumps a wall forever).
int greedy_path_steps(const GridTransitions& t, const std::vector<double>& q);

}  // namespace dynalab
