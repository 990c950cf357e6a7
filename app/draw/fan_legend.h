#pragma once
// The colour key of the candidate fan, drawn with it through the Canvas (so the app's viewport,
// File > Export > World as SVG and `dynalab-cli run --world-svg` show the same key): what the
// colours and line styles mean, in the planner's and the env's own words.

#include <string>
#include <vector>

#include "app/draw/mpc_overlay.h"

namespace dynalab {

/// What the key lists; rows for things the fan does not draw are left out.
struct FanLegend {
  ReturnScale scale;           ///< the fan's colour scale
  bool scale_fixed = false;    ///< the scale is the episode's (PlanView), not this trace's
  std::string elites_name;     ///< the highlighted candidates (empty: no row)
  bool chosen = true;          ///< the chosen plan's row
  int chosen_particles = 1;    ///< > 1: the chosen plan's row says one line per particle
  std::string failure_name;    ///< Env::failure_name() (empty: no row)
  bool terminated = false;     ///< a dark cross: a path ends without a failure (a goal)
};

/// The rows of the key as text, top to bottom (what draw_fan_legend writes; for tests).
std::vector<std::string> fan_legend_lines(const FanLegend& legend);

/// The key's box size (world units) on `canvas`: lines stacked by Canvas::text_height (or
/// `fallback_line` world units if the canvas cannot tell), the width estimated from the text.
Vec2 fan_legend_size(const Canvas& canvas, const FanLegend& legend, double fallback_line);

/// Draws the key with its top-left corner at `top_left` (world units) on a translucent white
/// box of fan_legend_size.
void draw_fan_legend(Canvas& canvas, Vec2 top_left, const FanLegend& legend, double fallback_line);

/// Of the candidate top-left corners, the one whose box of `size` covers the fewest of `points`
/// (the fan's), the first on a tie: a key must not sit on the data it explains.
Vec2 emptiest_corner(const std::vector<Vec2>& corners, Vec2 size, const std::vector<Vec2>& points);

}  // namespace dynalab
