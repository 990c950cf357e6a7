#pragma once
// A SuccessorView drawn through the Canvas (deck 001, "where will I be?"): the row M(s, .) of the
// agent's cell as a heat map over the grid, from the learned M, from the closed form
// (1 - gamma)(I - gamma P_pi)^-1 of the true world under the same policy, or their difference
// |M - M_exact|. The row is drawn on a square-root scale of its largest cell (the occupancy falls
// off geometrically with distance; a linear scale would show the agent's own cell only), and the
// cell whose row it is gets a black frame.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

struct SuccessorOverlayOptions {
  enum class Map { learned, exact, error };
  bool show = true;          ///< draw the heat map at all (it replaces the Q heat map when on)
  Map map = Map::learned;
};

/// Draws the chosen map of `v`'s row v.row over the grid world `world` (drawn already).
void draw_successor_overlay(Canvas& canvas, const Env& world, const SuccessorView& v,
                            const SuccessorOverlayOptions& opt);

/// The row the overlay shows, n_states cells: the learned, exact or |difference|
/// row of v.row; empty when the view lacks it (no exact M, no row).
std::vector<double> successor_row(const SuccessorView& v, SuccessorOverlayOptions::Map map);

}  // namespace dynalab
