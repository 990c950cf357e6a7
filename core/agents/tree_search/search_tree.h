#pragma once
// The tree a reversible planner grows in imagination (deck 004, "Why Planning is Reversible":
// tree search and what-if reasoning need a simulator whose state can be saved and restored).
// Shared by graph search (graph_search.h) and UCT (uct_search.h), and published as-is in
// SearchTreeView (core/views.h).

#include <cstdint>
#include <vector>

#include "core/space.h"

namespace dynalab {

/// One imagined state. `state` is the simulator's full state (Env::get_state): restoring it is
/// the undo that a real, irreversible world does not have.
struct SearchNode {
  std::vector<double> state;  ///< Env::get_state() of the node
  Vec obs;                    ///< the observation at the node
  int parent = -1;            ///< index of the parent node (-1: the root, the real state)
  int action = -1;            ///< index of the action that led here from the parent
  int depth = 0;              ///< imagined steps from the root
  double cost = 0;            ///< path cost g from the root (graph search), or 0
  double reward = 0;          ///< the reward of the step into this node
  bool terminal = false;      ///< the step into this node ended the episode
  bool goal = false;          ///< ...by reaching a goal: terminated, not a failure (Env::failure)
  int64_t visits = 0;         ///< UCT: simulations through this node; graph search: 1 once expanded
};

}  // namespace dynalab
