#pragma once
// A deterministic finite MDP whose rewards are linear in one-hot features (successor features and
// GPI, Barreto et al., NIPS 2017; deck 001, "Successor features"), built from a grid world's
// probed transitions (core/grid_transitions.h). The features are the grid world's objects:
// phi(s, a, s') = e_k when s' is object k, else 0 (entering an object ends the episode,
// envs/grid_world.h), so the exact successor features can be solved for and the learned ones
// checked against them.

#include <vector>

#include "core/grid_transitions.h"

namespace dynalab {

struct FeatureMdp {
  int n_states = 0, n_actions = 0, n_features = 0;
  /// n_states * n_actions: the state (s, a) leads to, at next[s * n_actions + a]; -1 from a wall.
  std::vector<int> next;
  /// n_states * n_actions: 1 if the transition from (s, a) ends the episode.
  std::vector<char> terminal;
  /// n_states: the feature (object) entering s switches on, or -1.
  std::vector<int> feature_of;
  /// n_states: 1 for a state the agent can be in and act from (free, and not one where the
  /// episode ends).
  std::vector<char> live;

  int pair(int s, int a) const { return s * n_actions + a; }
  /// Number of states the agent can act from.
  int live_states() const;
};

/// The MDP of `t`, with one feature per object of t.layout. Throws std::invalid_argument if the
/// layout has no objects.
FeatureMdp feature_mdp(const GridTransitions& t);

}  // namespace dynalab
