#pragma once
// A deterministic finite MDP whose rewards are linear in one-hot features, probed from an env
// (successor features and GPI, Barreto et al., NIPS 2017; deck 001, "Successor features").
// The features are the grid world's objects: phi(s, a, s') = e_k when s' is object k, else 0
// (entering an object ends the episode, envs/grid_world.h). The transitions are read by probing
// a copy of the env through clone() / get_state() / set_state() (the env is never stepped), so
// the exact successor features can be solved for and the learned ones checked against them.

#include <vector>

#include "core/env.h"

namespace dynalab {

struct FeatureMdp {
  int n_states = 0, n_actions = 0, n_features = 0;
  /// n_states * n_actions: the state (s, a) leads to, at next[s * n_actions + a]; -1 for a state
  /// the probe never reached (walls, cells cut off from the start) or one that ends the episode.
  std::vector<int> next;
  /// n_states * n_actions: 1 if the transition from (s, a) ends the episode.
  std::vector<char> terminal;
  /// n_states: the feature (object) entering s switches on, or -1.
  std::vector<int> feature_of;
  /// n_states: 1 for a state the agent can be in and act from (reached and not terminal).
  std::vector<char> live;

  int pair(int s, int a) const { return s * n_actions + a; }
  /// Number of states the agent can act from.
  int live_states() const;
};

/// Probes `env` (discrete observations and actions; a grid layout with objects) from the state
/// after reset(`seed`) of a copy, breadth first over every action of every state reached. The
/// transitions must be deterministic (slip 0): one outcome is recorded per (s, a). Throws
/// std::invalid_argument if `env` has no grid layout or no objects.
FeatureMdp probe_feature_mdp(const Env& env, uint64_t seed);

}  // namespace dynalab
