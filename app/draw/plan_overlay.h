#pragma once
// A PlanView over its world: the imagined futures of the shown plan trace placed as the env
// asks (Env::future_layout: in place, in a time band above the world, or radially), the executed
// path, predicted vs actual since the plan was made, and the real state on top.

#include <string_view>

#include "app/draw/mpc_overlay.h"
#include "core/snapshot.h"

namespace dynalab {

/// The world bounds to fit, grown to hold the imagined futures' band.
Bounds plan_bounds(const Env& env);

/// Where the k-th of `steps` imagined observations goes over `env` (Env::future_layout): up the
/// time band (time_up), outward (radial), or in place (empty placer). Refers to `env`.
PathPlacer future_placer(const Env& env);
/// The band's default title: imagined futures.
inline constexpr std::string_view kFuturesTitle = "imagined futures (time goes up)";
/// The time band's frame (time_up only; nothing otherwise): `start` ("now") at the bottom, time
/// going up, the env's danger marks, for paths of `horizon` steps, `title` above it (a band of
/// real rollouts says so instead of "imagined futures").
void draw_future_band(Canvas& canvas, const Env& env, int horizon,
                      std::string_view title = kFuturesTitle, std::string_view start = "now");

/// Draws the plan `p` of snapshot `s` over its world (drawn already): the imagined futures, the
/// executed path of s.trajectory, the real state s.obs; `shown` is the trace to draw (the
/// latest, or the CEM iteration the scrubber picked).
void draw_plan_overlay(Canvas& canvas, const Snapshot& s, const PlanView& p,
                       const MpcOverlayOptions& opt, const PlanTrace& shown);

}  // namespace dynalab
