#pragma once
// Where a binned world (DiscretizedEnv) shows its bins: a panel beside the inner world with one
// axis per binned observation dimension (one or two), the table's cells as a lattice drawn with
// their edges. The table's states are placed at their cells' centres here, so the value heat map,
// the agent's path through the cells and the true state (inside its cell) are all on it.

#include <string>
#include <vector>

#include "core/canvas.h"
#include "core/space.h"

namespace dynalab {

struct BinPanel {
  Bounds frame;               ///< the lattice, world units
  int nx = 1, ny = 1;         ///< cells across (first binned dim) and up (second; 1 if none)
  double x_lo = 0, x_hi = 1;  ///< bin range of the first binned dim
  double y_lo = 0, y_hi = 1;  ///< of the second (unused with one dim)
  std::string x_name, y_name; ///< the binned dims' names ("" for y with one dim)

  /// The panel beside `inner` (the inner world's bounds), square-ish cells, right of it.
  static BinPanel beside(const Bounds& inner, const std::vector<int>& bins, const Vec& low,
                         const Vec& high, std::string x_name, std::string y_name);
  /// The bounds of the frame with its labels (title above, value ticks around).
  Bounds extent() const;
  /// Centre of cell (ix, iy), world units.
  Vec2 cell_centre(int ix, int iy) const;
  /// Where the values (vx, vy) of the binned dims lie in the panel (clamped to the frame).
  Vec2 at(double vx, double vy) const;
  /// The lattice's edges, axis names, ranges and title.
  void draw(Canvas& canvas) const;
};

}  // namespace dynalab
