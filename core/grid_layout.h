#pragma once
// A world made of unit cells (grid worlds), as the GUI sees it through Env::grid_layout(): cell
// editing, the hover read-out and the tabular overlays ask the env for this, never its type.
// Column c spans x in [c, c+1], row 0 is at the top, and state s is cell (s / cols, s % cols).

#include <optional>
#include <vector>

#include "core/canvas.h"

namespace dynalab {

struct Cell {
  int row = 0, col = 0;
  bool operator==(const Cell&) const = default;
};

struct GridLayout {
  int rows = 0, cols = 0;
  std::vector<bool> walls;  ///< rows * cols, row-major: the walls in effect now
  Cell start, goal, agent;
  std::vector<Cell> objects;  ///< reward-able object cells (the maze's letters a, b, ...); goal {-1, -1}: none

  int state_of(Cell c) const { return c.row * cols + c.col; }
  Cell cell_of(int state) const { return {state / cols, state % cols}; }
  bool inside(Cell c) const { return c.row >= 0 && c.row < rows && c.col >= 0 && c.col < cols; }
  /// True for a wall; cells outside the grid are not walls.
  bool wall(Cell c) const { return inside(c) && walls[size_t(state_of(c))]; }
  /// The cell under world point `p`, or nullopt outside the grid.
  std::optional<Cell> cell_at(Vec2 p) const;
};

/// The edits a grid world allows (as in REINFORCEjs): toggle a wall, move the start or goal.
enum class CellEdit { toggle_wall, move_start, move_goal };

}  // namespace dynalab
