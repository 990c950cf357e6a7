#pragma once
// A GpiView drawn through the Canvas (successor features and GPI, core/agents/successor_features/):
// each cell tinted and its arrow coloured by the base policy pi_k that chose the action there
// (GPI's max over k changes from region to region; idea 1 keeps one k everywhere), each object
// outlined in its policy's colour, the agent's path, and a key below the maze naming the
// policies and the regressed reward weights.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

struct GpiOverlayOptions {
  bool policy_sources = true;  ///< tint and arrows by the policy k chosen in each cell
  bool legend = true;          ///< the key below the maze
  bool episode_path = true;    ///< the agent's path this episode
};

/// The colour of base policy k (cycles after 6).
Color gpi_policy_color(int k);

/// World units the key needs below the maze (0 without a grid or with the key off).
double gpi_legend_height(const GpiView& v, const GpiOverlayOptions& opt);

/// The key's lines, top to bottom (what draw_gpi_overlay writes; for tests).
std::vector<std::string> gpi_legend_lines(const GpiView& v);

/// Draws `v` over `world` (drawn already; the agent goes back on top).
void draw_gpi_overlay(Canvas& canvas, const Env& world, const GpiView& v, const GpiOverlayOptions& opt);

}  // namespace dynalab
