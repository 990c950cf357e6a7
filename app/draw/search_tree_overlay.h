#pragma once
// A reversible planner's imagined tree over the world (core/views.h SearchTreeView): every node
// where Env::obs_position puts it (a maze cell, the pendulum's tip), edges from parent to child,
// expanded nodes filled, the frontier hollow, the node expanded last ringed, the latest jumps
// back to another branch (restoring a saved state: the undo a real world lacks) as dashed orange
// lines, and the path to the goal (or UCT's most visited line) in green. UCT's edges grow with
// their visits.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

/// How many of the latest backtracks the overlay draws (older ones would bury the tree).
inline constexpr int kShownBacktracks = 6;

void draw_search_tree(Canvas& canvas, const Env& env, const SearchTreeView& v);

}  // namespace dynalab
