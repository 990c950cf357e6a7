#pragma once
// 8-connected moves on a grid of cells and the shortest-path expert over them: the move rules of
// the VIN grid domain (envs/obstacle_map_env.h) and the expert the VIN family imitates
// (core/agents/vin/), as kentsommer/pytorch-value-iteration-networks (domains/gridworld.py): a
// move costs its length (1 straight, sqrt 2 diagonal), a move into a wall or off the grid leaves
// the agent in place, and a diagonal may pass between two walls (only the destination must be
// free). Distances to the goal are Dijkstra's (scipy's dijkstra there). Among equally short moves
// the expert takes the first in the action order below (scipy breaks ties by its own visiting
// order). Cells are GridLayout states (row * cols + col, row 0 at the top); only the layout's
// walls and goal are read.

#include <array>
#include <vector>

#include "core/grid_layout.h"

namespace dynalab {

/// The 8 moves in the reference's action order N, S, E, W, NE, NW, SE, SW as (row, col) steps
/// (row 0 at the top: N is row - 1).
inline constexpr int kGridMoves = 8;
inline constexpr std::array<int, 8> kMoveRow = {-1, 1, 0, 0, -1, -1, 1, 1};
inline constexpr std::array<int, 8> kMoveCol = {0, 0, 1, -1, 1, -1, 1, -1};
inline constexpr std::array<const char*, 8> kMoveNames = {"N", "S", "E", "W", "NE", "NW", "SE", "SW"};
/// The length of move a: 1 or sqrt 2.
double move_length(int a);

/// The cell after move `a` from `cell` (the same cell if the destination is a wall or off the
/// grid).
int move_cell(const GridLayout& g, int cell, int a);

/// Shortest path length (sum of move lengths) from every cell to g.goal; +infinity for walls
/// and cells that cannot reach it. rows * cols values.
std::vector<double> distances_to_goal(const GridLayout& g);

/// The expert's action at `cell` (not the goal, reachable): the first move in action order that
/// starts a shortest path. -1 if the cell cannot reach the goal or is the goal.
int expert_action(const GridLayout& g, const std::vector<double>& dist, int cell);

/// True if `a` starts a shortest path from `cell` (any of the tied moves).
bool optimal_action(const GridLayout& g, const std::vector<double>& dist, int cell, int a);

/// The expert's cells from `start` to the goal, both included (empty if unreachable).
std::vector<int> expert_path(const GridLayout& g, const std::vector<double>& dist, int start);

/// The length (sum of move lengths) of a path of cells.
double path_length(const GridLayout& g, const std::vector<int>& cells);

/// The move budget of a rollout from a cell `expert_moves` expert moves from the goal:
/// kentsommer's test.py allows twice the expert path's cells, the start counted, so
/// 2 (n + 1) - 1 = 2 n + 1 moves. The obstacle_map env's episode limit and the VIN's held-out
/// rollouts both use it.
inline int rollout_budget(int expert_moves) { return 2 * expert_moves + 1; }

}  // namespace dynalab
