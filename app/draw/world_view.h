#pragma once
// A snapshot's world with the overlays of the views it carries (core/views.h), drawn through any
// Canvas: the app's viewport (ImGuiCanvas), File > Export > World as SVG and
// `dynalab-cli run --world-svg` (SvgCanvas) run this same code. Nothing here knows a family:
// a QTableView gets the value heat map and policy arrows, a PlanView the imagined futures, a
// BranchedRolloutView MBPO's imagined fans.

#include <filesystem>
#include <string>

#include "app/draw/future_density_overlay.h"
#include "app/draw/gpi_overlay.h"
#include "app/draw/latent_overlay.h"
#include "app/draw/mpc_overlay.h"
#include "app/draw/q_table_overlay.h"
#include "app/draw/successor_overlay.h"
#include "app/draw/vin_overlay.h"
#include "core/snapshot.h"

namespace dynalab {

struct WorldViewOptions {
  QTableOverlayOptions q_table;
  MpcOverlayOptions plan;
  SuccessorOverlayOptions successor;
  GpiOverlayOptions gpi;
  VinOverlayOptions vin;
  FutureDensityOverlayOptions future_density;  ///< C-learning's predicted density beside the Monte Carlo one
  LatentOverlayOptions latent;                 ///< the latent family's filmstrip and latent map
};

/// The world bounds to fit for `s` drawn with `opt` (grown to hold a plan's imagined futures,
/// the Monte Carlo panel beside the world when the future-density overlay is shown, or the
/// latent family's filmstrip and latent map).
Bounds world_view_bounds(const Snapshot& s, const WorldViewOptions& opt);

/// Draws s.world and the overlays of the views `s` carries. `shown`: the plan trace to draw (the
/// CEM iteration the scrubber picked); null draws the latest (s.plan->trace).
void draw_world_view(Canvas& canvas, const Snapshot& s, const WorldViewOptions& opt,
                     const PlanTrace* shown = nullptr);

/// The SVG text of draw_world_view, `width_px` wide, fitted to world_view_bounds(s, opt).
std::string world_view_svg(const Snapshot& s, const WorldViewOptions& opt,
                           const PlanTrace* shown = nullptr, int width_px = 800);
/// world_view_svg written atomically to `path`; InputError naming it if that fails.
void write_world_view_svg(const Snapshot& s, const WorldViewOptions& opt,
                          const std::filesystem::path& path, const PlanTrace* shown = nullptr,
                          int width_px = 800);

}  // namespace dynalab
