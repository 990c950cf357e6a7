#pragma once
// ImGui controls for the MPC overlays: which layers to draw, and the CEM iteration scrubber that
// steps through the iterations of the current replan (one PlanTrace per iteration).

#include <vector>

#include "app/gui/mpc_overlay.h"

namespace dynalab {

/// Checkboxes for the MPC overlay layers.
void mpc_overlay_toggles(MpcOverlayOptions& opt);

/// A slider over the iterations of one replan; `iteration` is clamped to [0, traces.size() - 1].
/// Returns the trace to draw (nullptr if there is none) and shows its objective and elite count.
const PlanTrace* cem_iteration_scrubber(const std::vector<PlanTrace>& traces, int& iteration);

}  // namespace dynalab
