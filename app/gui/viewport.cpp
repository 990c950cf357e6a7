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

ScreenInput App::screen_input(ImVec2 pos, ImVec2 size) const {
  ScreenInput in;
  in.area = {pos.x, pos.y, size.x, size.y};
  in.lanes = int(lanes_.size());
  if (lanes_[0].snap && lanes_[0].snap->world) {
    const Bounds b = world_view_bounds(*lanes_[0].snap, world_view_options());
    in.extent = {b.hi.x - b.lo.x, b.hi.y - b.lo.y};
  }
  in.margin = fit_margin();
  in.gap = lanes_.size() > 1 ? 4.0f : 0.0f;
  // The largest counter box of the lanes, in the counters' font, for a wrap width.
  in.counters = [this](float wrap) {
    ImGui::PushFont(presenting() ? fonts_.ui : fonts_.big);
    Vec2 m{0, 0};
    for (const auto& lane : lanes_) {
      if (!lane.snap) continue;
      const ImVec2 c = counter_box_size(lane_counters(lane), wrap, counter_pad());
      m.x = std::max<double>(m.x, c.x), m.y = std::max<double>(m.y, c.y);
    }
    ImGui::PopFont();
    return m;
  };
  in.figures = settings_.panels.plots ? int(figures_.size()) : 0;
  in.lab = lab_open_;
  in.lab_wide = lab_open_ && lab_.wide();
  in.presenting = presenting();
  return in;
}

void App::viewport() {
  const PixelRect& r = layout_.worlds;
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
  ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("Viewport", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Side by side: one pane per lane (a lesson step's variants), separated by dark gaps.
  dl->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.x + r.w, r.y + r.h), IM_COL32(60, 60, 70, 255));
  for (size_t i = 0; i < lanes_.size() && i < layout_.panes.size(); ++i) {
    const PixelRect& p = layout_.panes[i];
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y));
    ImGui::PushID(int(i));
    world_pane(lanes_[i], ImVec2(p.x, p.y), ImVec2(p.w, p.h), i == 0);
    ImGui::PopID();
  }
  ImGui::End();
}

// Fits the lane's view to its world unless the user zoomed or panned since the last load.
void App::fit_view(Lane& lane) {
  if (lane.st.generation != lane.view_generation)
    lane.view_generation = lane.st.generation, lane.user_moved_view = false;
  if (lane.user_moved_view) return;
  // Leave room for the counters (at the top, or at the left of a row of wide worlds) so they
  // never cover the world: the largest box of the lanes, as the layout measured it, so every
  // pane leaves the same room and the worlds line up.
  const ImVec2 room(float(layout_.grid.counters.x), float(layout_.grid.counters.y));
  ViewTransform& view = lane.view;
  ViewTransform inner = view;
  if (layout_.grid.counters_left) {
    inner.origin.x += room.x;
    inner.size.x = std::max(10.0f, inner.size.x - room.x);
  } else {
    inner.origin.y += room.y;
    inner.size.y = std::max(10.0f, inner.size.y - room.y);
  }
  inner.fit(world_view_bounds(*lane.snap, world_view_options()), fit_margin());
  view.scale = inner.scale;
  view.center = inner.to_world(
      ImVec2(view.origin.x + view.size.x * 0.5f, view.origin.y + view.size.y * 0.5f));
}

void App::world_pane(Lane& lane, ImVec2 p0, ImVec2 pane, bool interactive) {
  // A policy learner's critic map takes the pane's right (or bottom) part; the world fits the
  // rest.
  const MapPlace map = critic_map_place(lane.snap.get(), pane);
  ImVec2 avail = pane;
  if (map.size.x > 0) {
    const ImVec2 at(p0.x + pane.x - map.size.x, p0.y + pane.y - map.size.y);
    ImGui::SetCursorScreenPos(at);
    critic_map(*lane.snap, at, map.size);
    ImGui::SetCursorScreenPos(p0);
    avail = map.below ? ImVec2(pane.x, pane.y - map.size.y) : ImVec2(pane.x - map.size.x, pane.y);
  }
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

Counters App::lane_counters(const Lane& lane) const {
  const Snapshot& snap = *lane.snap;
  const bool side_by_side = lanes_.size() > 1;
  Counters c;
  c.pieces.push_back(lane.label.empty() ? snap.experiment : lane.label);
  if (!side_by_side) c.pieces.push_back("tick " + std::to_string(snap.tick));
  add_view_counters(c, snap, side_by_side);
  if (in_lesson() && lane_reached(lane) && !lane.released)
    c.pieces.push_back(side_by_side ? "(paused)" : "paused: " + until_text(current_step()->until));
  return c;
}

// Counters in the corner, large enough for the back row, wrapped to the layout's width.
void App::draw_counters(Lane& lane, ImVec2 p0, ImVec2 avail) {
  // Presentation mode's UI font is already large; elsewhere the counters use the big font.
  ImGui::PushFont(presenting() ? fonts_.ui : fonts_.big);
  draw_counter_box(ImGui::GetWindowDrawList(), p0, avail, lane_counters(lane), counter_pad(),
                   layout_.grid.counters_wrap);
  ImGui::PopFont();
}

WorldViewOptions App::world_view_options() const {
  return {settings_.overlays, mpc_.opt, successor_overlay_, settings_.gpi_overlay, vin_opt_, future_density_, latent_};
}

}  // namespace dynalab
