#pragma once
// A QTableView's overlays drawn through the Canvas (Dyna-Q and kin): the value heat map
// (max_a Q per cell), greedy policy arrows, the (s, a) pairs the learned model knows, the cells
// touched by recent planning updates flashing and fading, and the agent's path this episode.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

struct QTableOverlayOptions {
  bool heat_map = true;
  bool policy_arrows = true;
  bool model_known = false;
  bool planning_flashes = true;
  bool episode_path = true;
  int fade_ticks = 8;  ///< a planning flash fades out over this many ticks
};

/// Draws the enabled overlays of `v` over `world` (drawn already; the agent and the S/G marks
/// go back on top). `tick`: the snapshot's tick (planning flashes fade by age).
void draw_q_table_overlay(Canvas& canvas, const Env& world, const QTableView& v, int64_t tick,
                          const QTableOverlayOptions& opt);

/// max_a Q(s, a) of every state, as the heat map shows it.
std::vector<double> max_q(const QTableView& v);

}  // namespace dynalab
