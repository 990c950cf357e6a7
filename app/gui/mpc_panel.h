#pragma once
// ImGui controls for the MPC overlays: which layers to draw, and the iteration scrubber that
// steps through the iterations of the current replan (one PlanTrace per iteration; none for a
// planner that does not iterate, as random shooting). Labels use the planner's own words
// (PlanView::elites_name, iteration_name), never CEM's for another planner.

#include <string>
#include <vector>

#include "app/draw/mpc_overlay.h"
#include "core/snapshot.h"

namespace dynalab {

/// Checkboxes for the MPC overlay layers; `elites_name` labels the highlighted candidates.
void mpc_overlay_toggles(MpcOverlayOptions& opt, const std::string& elites_name);

/// A slider over the iterations of one replan, labelled "<iteration_name> k"; `iteration` is
/// clamped to [0, traces.size() - 1]. Returns the trace to draw (nullptr if there is none) and
/// shows its best predicted return and how many candidates it highlights.
const PlanTrace* iteration_scrubber(const std::vector<PlanTrace>& traces, int& iteration,
                                    const std::string& iteration_name,
                                    const std::string& elites_name);

/// The MPC controls' state: which overlay layers to draw, the CEM iteration scrubber (following
/// the latest iteration until moved) and --demo-plan-trace's synthetic traces.
struct MpcControls {
  MpcOverlayOptions opt;
  int cem_iteration = 0;
  bool cem_follow = true;
  std::vector<PlanTrace> demo_traces;

  /// The "MPC overlays" panel of a snapshot with a PlanView (and its ModelView, if any).
  void draw(const Snapshot& s);
  /// The "MPC (demo trace)" panel; builds three synthetic iterations around the world's agent.
  void draw_demo(const Snapshot* snap);
  /// What to draw for `p`: the scrubbed iteration of the latest replan, or the latest trace.
  const PlanTrace& shown_trace(const PlanView& p) const;
  /// The scrubbed demo iteration (nullptr before draw_demo built them).
  const PlanTrace* demo_trace() const;
};

}  // namespace dynalab
