#pragma once
// An MPC run in the viewport: the imagined futures of the shown plan trace placed as the env
// asks (Env::future_layout: in place, in a time band above the world, or radially), the executed
// path, predicted vs actual since the plan was made, and the real state on top.

#include "app/gui/mpc_overlay.h"
#include "core/agents/mpc/mpc_agent.h"

namespace dynalab {

/// The world bounds to fit, grown to hold the imagined futures' band.
Bounds mbrl_bounds(const Env& env);

/// Draws the MPC overlays of `m` over its world (drawn already); `shown` is the trace to draw
/// (the latest, or the CEM iteration the scrubber picked).
void draw_mbrl_view(Canvas& canvas, const MbrlSnapshot& m, const MpcOverlayOptions& opt,
                    const PlanTrace& shown);

}  // namespace dynalab
