#pragma once
// The uncertainty and distribution-shift lab (issue 6): a pane beside the viewport with one view
// at a time, drawn from the latest snapshot's ModelView (its frozen model copy, training data,
// visited states and divergence per episode):
//   disagreement_map   epistemic vs aleatoric variance on a 2-D slice of the state space
//   uncertainty_slice  the members' predictions on a 1-D slice with both bands and the data
//   model_comparison   an ensemble, a GP and a BNN fit on the same data: their slices and maps
//   ensemble_size      validation MSE and NLL vs ensemble size (the PETS figure)
//   state_visitation   training vs visited states (histograms, 2-D density) and KL per episode
//   model_error        one-step error vs distance to the data; compounding error vs horizon
//   gp_fit_time        GP training seconds vs number of points, log-log, measured live
// Every number comes from core/analysis (the map, slice and ensemble-size views from the same
// recipes dynalab-cli analysis writes); the lab only picks inputs and draws. Work that costs
// more than a frame runs on the lab's one BackgroundWorker (core/background_worker.h; the latest
// request wins) and the last result stays on screen with a "computing..." label, so frames never
// stall.

#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

#include "core/snapshot.h"

namespace dynalab {

/// The lab's view names, in the order of its tabs (also the lesson "panels" names).
const std::vector<std::string>& lab_view_names();

struct LabStyle {
  float line_scale = 1;    ///< presentation mode thickens lines
  ImFont* big = nullptr;   ///< titles for the back row
  ImFont* text = nullptr;  ///< the views' text, plots and maps (null: the current font)
  bool tabs = true;        ///< the tab bar of views (a lesson on the projector picks the view)
};

class LabPanel {
 public:
  LabPanel();
  ~LabPanel();  // waits for (and cancels) background work
  LabPanel(const LabPanel&) = delete;
  LabPanel& operator=(const LabPanel&) = delete;

  /// Shows view `name` (one of lab_view_names()); false for an unknown name.
  bool set_view(const std::string& name);
  const std::string& view() const;
  /// True if the shown view lays out panels side by side (model_comparison's three models) and
  /// wants a wider pane.
  bool wide() const;
  /// The model_comparison view's "two clusters" option (the checkbox; scripted --two-clusters).
  void set_two_clusters(bool on);
  /// Draws the lab as a window at `pos` with `size` (screen pixels) from `snap` (its ModelView
  /// with a learned model; other snapshots get a one-line explanation).
  void draw(const std::shared_ptr<const Snapshot>& snap, ImVec2 pos, ImVec2 size,
            const LabStyle& style);
  /// True while the shown view's result is out of date: a background computation runs or is
  /// due (scripted runs wait for it before the screenshot).
  bool busy() const;
  /// One line on what the shown view drew, e.g. "disagreement_map: 48 x 48 cells, 5 members",
  /// or why it drew nothing ("... error: ..."); scripted runs print it.
  const std::string& status() const;
  /// The line plots the shown view drew in the last frame (for File > Export > Figures as CSV).
  const std::vector<Figure>& figures() const;

  struct State;  // lab_state.h

 private:
  std::unique_ptr<State> s_;
};

}  // namespace dynalab
