#pragma once
// A VinView drawn over its map through the Canvas (value iteration networks, core/agents/vin/):
// the learned reward map r or the value map v_k after k iterations of the VI module (k chosen by
// the GUI's slider: the wavefront spreading from the goal one cell per iteration, "repeated
// convolution + max-pooling" made visible), and the greedy paths of the VIN (blue), the reactive
// baseline (orange) and the expert (green, thin) from the map's start.

#include <string>

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

struct VinOverlayOptions {
  bool values = true;   ///< the value map v_k (else nothing, or the reward map)
  bool reward = false;  ///< the learned reward map r instead of v_k
  int k = -1;          ///< the iteration shown, 0..K (-1: K, the one the policy reads)
  bool paths = true;    ///< the VIN's, the reactive's and the expert's paths
};

/// The iteration `opt` shows of `v` (clamped to 0..K).
int vin_shown_k(const VinView& v, const VinOverlayOptions& opt);

/// The caption of the map shown ("value v_3 after 3 of K = 10 iterations", "learned reward r").
std::string vin_map_caption(const VinView& v, const VinOverlayOptions& opt);

/// Draws the enabled parts of `v` over `world` (drawn already); the S and G marks and the agent
/// go back on top.
void draw_vin_overlay(Canvas& canvas, const Env& world, const VinView& v, const VinOverlayOptions& opt);

}  // namespace dynalab
