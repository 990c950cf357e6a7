#pragma once
// One map of the VIN grid domain as the VIN family sees it: obstacles and a goal on a square grid
// of cells, read from an env's grid layout (Env::grid_layout: the obstacle_map env of
// envs/obstacle_map_env.h generates them). Cells are (row, col), row 0 at the top; cell index =
// row * size + col.

#include <cstdint>
#include <vector>

#include "core/grid_layout.h"

namespace dynalab {

struct ObstacleMap {
  int size = 0;
  std::vector<uint8_t> obstacle;  ///< size * size, row-major: 1 = obstacle
  int goal = 0;                   ///< the goal's cell index

  int cells() const { return size * size; }
  int row(int cell) const { return cell / size; }
  int col(int cell) const { return cell % size; }
  int cell(int r, int c) const { return r * size + c; }
  bool inside(int r, int c) const { return r >= 0 && r < size && c >= 0 && c < size; }
  bool free(int r, int c) const { return inside(r, c) && !obstacle[size_t(cell(r, c))]; }
};

/// The map of a square grid layout (walls = obstacles, its goal). Throws std::invalid_argument
/// if the layout is not square.
ObstacleMap obstacle_map_of(const GridLayout& g);

}  // namespace dynalab
