#pragma once
// Dyna-Q overlays drawn through the Canvas from a TabularSnapshot: the value heat map
// (max_a Q per cell), greedy policy arrows, the (s, a) pairs the learned model knows, the cells
// touched by recent planning updates flashing and fading, and the agent's path this episode.

#include "core/canvas.h"
#include "core/agents/tabular/dyna_agent.h"

namespace dynalab {

struct TabularOverlayOptions {
  bool heat_map = true;
  bool policy_arrows = true;
  bool model_known = false;
  bool planning_flashes = true;
  bool episode_path = true;
  int fade_ticks = 8;  ///< a planning flash fades out over this many ticks
};

/// Draws the world and the enabled overlays (the agent and the S/G marks stay on top).
void draw_tabular_view(Canvas& canvas, const TabularSnapshot& snap,
                       const TabularOverlayOptions& opt);

/// The hover read-out of grid cell `c` (Q of each action, how many the model knows) as a
/// tooltip; nothing on a wall or when the snapshot is not a four-action grid.
void tabular_cell_tooltip(const TabularSnapshot& snap, const GridLayout& grid, Cell c);

/// max_a Q(s, a) of every state, as the heat map shows it.
std::vector<double> max_q(const TabularSnapshot& snap);

}  // namespace dynalab
