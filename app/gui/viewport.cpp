// The viewport, as App members: one world pane per lane (side by side for a lesson step's
// variants), each fitted to its world, drawn with its experiment's overlays, with the mouse's
// interaction on the first pane and the counters in the corner.

#include <imgui.h>

#include <algorithm>

#include "app/draw/world_view.h"
#include "app/gui/app.h"
#include "app/gui/world_counters.h"

namespace dynalab {

namespace {
constexpr ImU32 kViewportBg = IM_COL32(232, 234, 238, 255);
}

void App::viewport(ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("Viewport", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Side by side: one pane per lane (a lesson step's variants), separated by a thin gap.
  const int n = int(lanes_.size());
  const float gap = n > 1 ? 4.0f : 0.0f;
  const float w = (avail.x - gap * (n - 1)) / n;
  for (int i = 0; i < n; ++i) {
    ImGui::SetCursorScreenPos(ImVec2(p0.x + i * (w + gap), p0.y));
    ImGui::PushID(i);
    world_pane(lanes_[i], ImVec2(p0.x + i * (w + gap), p0.y), ImVec2(w, avail.y), i == 0);
    ImGui::PopID();
  }
  for (int i = 1; i < n; ++i)
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p0.x + i * (w + gap) - gap, p0.y),
                                              ImVec2(p0.x + i * (w + gap), p0.y + avail.y),
                                              IM_COL32(60, 60, 70, 255));
  ImGui::End();
}

// Fits the lane's view to its world unless the user zoomed or panned since the last load.
void App::fit_view(Lane& lane) {
  if (lane.st.generation != lane.view_generation)
    lane.view_generation = lane.st.generation, lane.user_moved_view = false;
  if (lane.user_moved_view) return;
  // Leave room at the top for the counters so they never cover the world.
  // Side by side, every pane leaves the same room so the worlds line up.
  float top = 0;
  for (const auto& l : lanes_) top = std::max(top, l.counter_px);
  ViewTransform& view = lane.view;
  ViewTransform inner = view;
  inner.origin.y += top;
  inner.size.y = std::max(10.0f, inner.size.y - top);
  inner.fit(world_view_bounds(*lane.snap), 20.0f * ui_scale());
  view.scale = inner.scale;
  view.center = inner.to_world(
      ImVec2(view.origin.x + view.size.x * 0.5f, view.origin.y + view.size.y * 0.5f));
}

void App::world_pane(Lane& lane, ImVec2 p0, ImVec2 avail, bool interactive) {
  ImGui::InvisibleButton("world", ImVec2(std::max(avail.x, 1.f), std::max(avail.y, 1.f)),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), kViewportBg);
  lane.view.origin = p0;
  lane.view.size = avail;
  const auto& snap = lane.snap;
  if (!snap || !snap->world) {
    const char* msg = lane.st.has_experiment || in_lesson()
                          ? "loading..."
                          : "no experiment loaded: File > Open experiment";
    dl->AddText(ImVec2(p0.x + 20, p0.y + 20), IM_COL32(40, 40, 40, 255), msg);
    return;
  }
  fit_view(lane);
  const Env& world = *snap->world;
  send(interaction_.update(lane.view, lane.user_moved_view, world, snap->q_table.get(), hovered,
                           interactive));
  dl->PushClipRect(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), true);
  ImGuiCanvas canvas(dl, lane.view, line_scale(), ImGui::GetFontSize());
  draw_world_view(canvas, *snap, world_view_options(),
                  interactive && snap->plan ? &mpc_.shown_trace(*snap->plan) : nullptr);
  // --demo-plan-trace: a synthetic replan, one trace per CEM iteration (overlay check).
  if (demo_plan_trace_ && interactive)
    if (const PlanTrace* t = mpc_.demo_trace()) draw_plan_trace(canvas, *t, world, mpc_.opt, {}, fan_scale(*t, 1, 0));
  if (interactive) interaction_.draw(canvas, dl, lane.view, world);
  dl->PopClipRect();
  draw_counters(lane, p0, avail);
}

// Counters in the corner, large enough for the back row, wrapped to the pane's width.
void App::draw_counters(Lane& lane, ImVec2 p0, ImVec2 avail) {
  const Snapshot& snap = *lane.snap;
  const bool side_by_side = lanes_.size() > 1;
  Counters c;
  c.pieces.push_back(lane.label.empty() ? snap.experiment : lane.label);
  if (!side_by_side) c.pieces.push_back("tick " + std::to_string(snap.tick));
  add_view_counters(c, snap, side_by_side);
  if (in_lesson() && lane_reached(lane) && !lane.released)
    c.pieces.push_back(side_by_side ? "(paused)" : "paused: " + until_text(current_step()->until));
  // Presentation mode's UI font is already large; elsewhere the counters use the big font.
  // Side by side, the panes are narrow: less padding, and the pieces wrap one per line at worst.
  ImGui::PushFont(settings_.presentation ? fonts_.ui : fonts_.big);
  lane.counter_px =
      draw_counter_box(ImGui::GetWindowDrawList(), p0, avail, c, (side_by_side ? 5 : 8) * ui_scale());
  ImGui::PopFont();
}

WorldViewOptions App::world_view_options() const { return {settings_.overlays, mpc_.opt}; }

}  // namespace dynalab
