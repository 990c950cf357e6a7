#pragma once
// The counters in a world pane's corner (experiment, tick, episode, updates or the MPC phase),
// large enough for the back row and wrapped to the pane's width, with a red alert line under
// them ("model diverged").

#include <imgui.h>

#include <string>
#include <vector>

#include "core/agents/mpc/mpc_agent.h"
#include "core/agents/tabular/dyna_agent.h"

namespace dynalab {

struct Counters {
  std::vector<std::string> pieces;  ///< joined on a line while they fit
  std::string alert;                ///< a red line under them ("" none)
};

/// A tabular run's pieces: episode, and real / planning updates and n (one pane) or the real
/// steps (side by side).
void add_tabular_counters(Counters& c, const TabularSnapshot& tab, bool side_by_side);
/// An MPC run's pieces: episode, phase, last return; the alert when the model diverged.
void add_mbrl_counters(Counters& c, const MbrlSnapshot& mb);

/// Draws the box at the pane's top-left (`p0`, `avail` the pane) in the current font; returns
/// the height it takes with its margin (the view fit leaves that room free).
float draw_counter_box(ImDrawList* dl, ImVec2 p0, ImVec2 avail, const Counters& c, float pad);

}  // namespace dynalab
