#pragma once
// The expert of the VIN grid domain: shortest paths with 8-connected moves, as in
// kentsommer/pytorch-value-iteration-networks (domains/gridworld.py): a move costs its length
// (1 straight, sqrt 2 diagonal), a move into an obstacle or off the map leaves the agent in place,
// and a diagonal may pass between two obstacles (only the destination must be free). Distances
// to the goal are Dijkstra's (scipy's dijkstra there). Among equally short moves the expert takes
// the first in the action order below (scipy breaks ties by its own visiting order).

#include <array>
#include <limits>
#include <vector>

#include "core/agents/vin/obstacle_map.h"

namespace dynalab {

/// The 8 moves in the reference's action order N, S, E, W, NE, NW, SE, SW as (row, col) steps
/// (row 0 at the top: N is row - 1).
inline constexpr int kVinActions = 8;
inline constexpr std::array<int, 8> kMoveRow = {-1, 1, 0, 0, -1, -1, 1, 1};
inline constexpr std::array<int, 8> kMoveCol = {0, 0, 1, -1, 1, -1, 1, -1};
inline constexpr std::array<const char*, 8> kMoveNames = {"N", "S", "E", "W", "NE", "NW", "SE", "SW"};
/// The length of move a: 1 or sqrt 2.
double move_length(int a);

/// The cell after move `a` from `cell` (the same cell if the destination is an obstacle or off
/// the map).
int move_cell(const ObstacleMap& m, int cell, int a);

/// Shortest path length (sum of move lengths) from every cell to the goal; +infinity for
/// obstacles and cells that cannot reach it. size * size values.
std::vector<double> distances_to_goal(const ObstacleMap& m);

/// Fewest moves from every cell to the goal (breadth-first; -1: obstacle or unreachable).
std::vector<int> moves_to_goal(const ObstacleMap& m);

/// The expert's action at `cell` (not the goal, reachable): the first move in action order that
/// starts a shortest path. -1 if the cell cannot reach the goal or is the goal.
int expert_action(const ObstacleMap& m, const std::vector<double>& dist, int cell);

/// True if `a` starts a shortest path from `cell` (any of the tied moves).
bool optimal_action(const ObstacleMap& m, const std::vector<double>& dist, int cell, int a);

/// The expert's cells from `start` to the goal, both included (empty if unreachable).
std::vector<int> expert_path(const ObstacleMap& m, const std::vector<double>& dist, int start);

/// The length (sum of move lengths) of a path of cells.
double path_length(const ObstacleMap& m, const std::vector<int>& cells);

}  // namespace dynalab
