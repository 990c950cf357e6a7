#pragma once
// Text mazes from assets/mazes/: 'S' start, 'G' goal, '#' wall, '.' free, one row per line.
// A changing maze (Sutton & Barto's blocking and shortcut mazes) adds a line "after N:" and a
// second layout of the same size: the walls that hold from env step N on. A 'G' in the second
// layout at another cell moves the goal there at step N (a reward revaluation: the successor
// representation lesson); without one the goal stays.
// Lines starting with ';' are comments.
// Object cells (successor features, core/agents/successor_features/): the letters 'a'..'j', each
// at most once and without gaps ('a', 'b', 'c'), are free cells whose rewards the env config
// gives ("object_rewards"); a maze with objects may have no goal 'G'. A changing maze's second
// layout may repeat them or show '.' there: the objects stay where the first layout puts them.

#include <optional>
#include <string>
#include <vector>

#include "core/grid_layout.h"  // Cell

namespace dynalab {

struct Maze {
  std::string name;
  int rows = 0, cols = 0;
  std::vector<bool> walls;  ///< rows * cols, row-major, row 0 at the top
  Cell start, goal;
  std::optional<std::vector<bool>> changed_walls;  ///< walls after the change
  int change_at = -1;                              ///< total env steps at which walls change (-1: never)
  std::optional<Cell> changed_goal;                ///< the goal from change_at on (none: it stays)
  std::vector<Cell> objects;  ///< object cells: objects[k] is the letter 'a' + k
  /// False for a maze with objects and no 'G' (then goal is {-1, -1}, outside the grid).
  bool has_goal() const { return goal.row >= 0; }

  bool wall(int r, int c, bool changed = false) const {
    return (changed && changed_walls ? *changed_walls : walls)[r * cols + c];
  }
  /// The goal before (changed = false) or after the change.
  Cell goal_at(bool changed) const { return changed && changed_goal ? *changed_goal : goal; }
};

/// Parses maze text. Throws InputError naming `source` and the line for: no start, two starts or
/// goals, no goal (and no objects), a goal appearing only after the change, an object letter twice or
/// with a gap, ragged rows, unknown characters, a bad "after N:" line, or an empty maze.
Maze parse_maze(const std::string& text, const std::string& source);

/// Loads assets/mazes/NAME.txt, or a file path (anything with '/' or ending in .txt).
Maze load_maze(const std::string& name_or_path);

}  // namespace dynalab
