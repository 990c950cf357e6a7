#pragma once
// The counters in a world pane's corner (experiment, tick, episode, updates or the MPC phase),
// large enough for the back row and wrapped to the pane's width, with a red alert line under
// them ("model diverged").

#include <imgui.h>

#include <string>
#include <vector>

#include "core/snapshot.h"

namespace dynalab {

struct Counters {
  std::vector<std::string> pieces;  ///< joined on a line while they fit
  std::string alert;                ///< a red line under them ("" none)
};

/// The pieces of the views `s` carries: the episode; for a Q table real / planning updates and
/// n (one pane) or the real steps (side by side); for a plan the phase and the last return;
/// the alert when the model diverged or the snapshot has a message.
void add_view_counters(Counters& c, const Snapshot& s, bool side_by_side);

/// The size the box takes with its margin (the view fit leaves that room free) when its lines
/// wrap at `wrap_w` pixels, in the current font; `pad` is the inner padding.
ImVec2 counter_box_size(const Counters& c, float wrap_w, float pad);

/// Draws the box at the pane's top-left (`p0`, `avail` the pane) in the current font, its lines
/// wrapped at `wrap_w` pixels (at most the pane's width); returns counter_box_size.
ImVec2 draw_counter_box(ImDrawList* dl, ImVec2 p0, ImVec2 avail, const Counters& c, float pad,
                        float wrap_w);

}  // namespace dynalab
