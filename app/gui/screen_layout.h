#pragma once
// Where one frame's panes go: the world panes (one per lane: a lesson step's variants side by
// side), the uncertainty lab and the plots row, right of the controls column. Pure arithmetic on
// pixel rectangles (no ImGui calls), so the choice can be printed by scripted runs and tested.
//
// The rules, for the back row:
//  - Side-by-side worlds are arranged in columns, in rows with their counters at the left, or in
//    a grid, whichever draws each world larger (a wide cart-pole track gets a row of the full
//    width, a maze a column, four mazes a 2 x 2 grid).
//  - The plots row gets at least a fixed share of the height and also whatever the worlds cannot
//    use (a width-limited world leaves height free), up to half of it; with plots, an
//    arrangement is scored on the world's size and, at half its weight, the plots' height.
//  - In presentation mode the lab takes the full height beside the world and its plots (its
//    maps need the room more than the world does); on the desk it sits beside the world, above
//    the plots row.

#include <functional>
#include <string>
#include <vector>

#include "core/canvas.h"

namespace dynalab {

/// A rectangle in window pixels; `w` or `h` 0 means absent.
struct PixelRect {
  float x = 0, y = 0, w = 0, h = 0;
};

/// A counter box's size (pixels, with its margin) when its lines wrap at a given width.
using CounterBoxSize = std::function<Vec2(float wrap_w)>;

/// How side-by-side world panes are arranged, and how large the world comes out in each.
struct LaneGrid {
  int cols = 1, rows = 1;
  bool counters_left = false;  ///< counters reserve the pane's left strip (else its top strip)
  float counters_wrap = 0;     ///< the counters' wrap width (pixels)
  Vec2 counters{0, 0};         ///< the largest counter box at that width (pixels, with margin)
  double scale = 0;            ///< world units -> pixels in each pane
  float used_h = 0;            ///< height of the panes the worlds need at that scale (pixels)
};

/// The best arrangement of `lanes` panes in a `w` x `h` pixel area for a world `extent` (world
/// units) fitted with `margin` pixels around it, `gap` pixels between panes; `counters` sizes
/// each pane's counter box. Candidates: all in one row of columns (counters on top), and every
/// grid of 1 to `lanes` rows (a single column of rows, 2 x 2 for four, ...) with the counters at
/// the left or on top. A candidate must draw the world 5% larger
/// than the columns to win, and 10% larger than `previous` (the last frame's, if any) to replace
/// it, so counters that change length while a run plays do not make the worlds jump.
LaneGrid arrange_lanes(int lanes, float w, float h, Vec2 extent, float margin, float gap,
                       const CounterBoxSize& counters, const LaneGrid* previous = nullptr);

struct ScreenInput {
  PixelRect area;           ///< right of the controls column, between menu and status bar
  int lanes = 1;            ///< world panes
  Vec2 extent{0, 0};        ///< the world's extent to fit (world units; 0: not known yet)
  float margin = 20;        ///< pixels the view fit keeps free around the world
  float gap = 4;            ///< pixels between world panes
  CounterBoxSize counters;  ///< a pane's counter box (the largest of the lanes)
  int figures = 0;          ///< plots in the plots row (0: no row)
  bool lab = false;         ///< the uncertainty lab is open
  bool lab_wide = false;    ///< its view shows panels side by side: it takes more of the width
  bool presenting = false;  ///< presentation mode
  const LaneGrid* previous = nullptr;  ///< the last frame's arrangement (kept unless clearly worse)
};

struct ScreenLayout {
  PixelRect worlds, lab, plots;  ///< the viewport (all world panes), the lab, the plots row
  std::vector<PixelRect> panes;  ///< one per lane, inside `worlds`
  LaneGrid grid;
  Vec2 extent{0, 0};             ///< the world's extent it was laid out for (world units)
  /// One line for scripted runs and tests, e.g.
  /// "worlds 1056x640 in 3 x 1 (counters left), world 545x182 px each (91 px per unit), plots
  /// 1056x273, lab none" (rows x columns of panes; the world as drawn in each).
  std::string describe() const;
};

ScreenLayout lay_out_screen(const ScreenInput& in);

}  // namespace dynalab
