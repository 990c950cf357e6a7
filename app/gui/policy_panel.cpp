// The policy learners' views, as App members: the critic heat map beside the world (sac, mbpo:
// V(s) and the policy's action over the env's state plane, computed by the agent on the worker)
// and the "Policy learning" panel of the controls: the map's toggle and, for MBPO, the slider
// for the rollout length k (a live edit of rollout_horizon that overrides the schedule) and a
// bar with the share of real vs imagined rows in the last SAC batch, and the plot "model error
// vs k" (the agent's closed-loop analysis at the latest refit) with the slider's k marked, so a
// student moving k sees how far into the error curve the rollouts reach.

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/draw/branched_rollout_overlay.h"
#include "app/draw/world_view.h"
#include "app/gui/app.h"
#include "app/gui/heatmap.h"
#include "app/gui/plot_widget.h"
#include "core/analysis/closed_loop_error.h"
#include "core/figure.h"
#include "core/lesson_gate.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {
constexpr int kMaxSliderK = 25;  // the lecture's range: k = 1 (MBPO's default) .. 25
constexpr int kMaxSliderH = 200;  // mbpg: up to a whole pendulum episode
// The bar's colours: real data as the agent's own orange, imagined as the plan fans' purple.
constexpr ImU32 kRealColour = IM_COL32(230, 84, 13, 255);
constexpr ImU32 kImaginedColour = IM_COL32(128, 13, 153, 255);

// The share of real vs imagined rows in the last SAC batch, as a two-part bar with its counts.
void batch_share_bar(const BranchedRolloutView& v) {
  const float w = ImGui::GetContentRegionAvail().x, fh = ImGui::GetFontSize();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, fh * 1.5f));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p1(p0.x + w, p0.y + fh * 1.5f);
  if (v.batch_rows <= 0) {
    dl->AddRectFilled(p0, p1, IM_COL32(200, 200, 205, 255), 3);
    dl->AddText(ImVec2(p0.x + fh * 0.4f, p0.y + fh * 0.25f), IM_COL32(40, 40, 45, 255),
                "no SAC batch yet");
    return;
  }
  const float split = p0.x + w * float(v.real_rows) / float(v.batch_rows);
  dl->AddRectFilled(p0, ImVec2(split, p1.y), kRealColour);
  dl->AddRectFilled(ImVec2(split, p0.y), p1, kImaginedColour);
  dl->AddRect(p0, p1, IM_COL32(40, 40, 45, 255));
  char text[64];
  std::snprintf(text, sizeof text, "real %d  |  imagined %d", v.real_rows,
                v.batch_rows - v.real_rows);
  dl->AddText(ImVec2(p0.x + fh * 0.4f, p0.y + fh * 0.25f), IM_COL32(255, 255, 255, 255), text);
}

// The fans' colours: a swatch per ensemble member that drew a step of the shown rollouts.
void member_key(const BranchedRolloutView& v) {
  ImGui::TextUnformatted("fan colours: the member of each step");
  const float fh = ImGui::GetFontSize();
  int shown = 0;
  for (int m : members_used(v)) {
    if (shown++ > 0) ImGui::SameLine();
    const Color c = member_color(m);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(
        ImVec2(p.x, p.y + fh * 0.2f), ImVec2(p.x + fh * 1.2f, p.y + fh * 0.9f),
        ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)));
    ImGui::Dummy(ImVec2(fh * 1.3f, fh));
    ImGui::SameLine();
    ImGui::Text("%d", m);
  }
}
}  // namespace

App::MapPlace App::critic_map_place(const Snapshot* snap, ImVec2 pane) const {
  if (!show_critic_map_ || !snap || !snap->policy_value || !snap->world) return {};
  // Beside: the room the world leaves at the pane's full height, kept between a third and half
  // of the pane (a wide world such as cliff hill keeps two thirds); a map smaller than the
  // minimum is unreadable, so it then goes away rather than squeezing the world.
  const Bounds b = world_view_bounds(*snap, world_view_options());
  const double aspect = (b.hi.x - b.lo.x) / std::max(1e-9, b.hi.y - b.lo.y);
  const float least = 200.0f * ui_scale();
  MapPlace m;
  if (pane.x >= pane.y) {
    const float spare = pane.x - float(aspect) * pane.y;
    const float w = std::min({std::max(spare, pane.x * 0.34f), pane.x * 0.48f, pane.y * 1.2f});
    if (w >= least) m.size = ImVec2(std::floor(w), pane.y);
  } else {
    // Side-by-side lanes: half the height, the most a world can give and stay visible.
    const float h = std::min(pane.y * 0.5f, pane.x);
    if (h >= least * 0.75f) m.size = ImVec2(pane.x, std::floor(h)), m.below = true;
  }
  return m;
}

void App::critic_map(const Snapshot& snap, ImVec2 p0, ImVec2 size) {
  const PolicyValueView& v = *snap.policy_value;
  HeatmapData d;
  static_cast<Heatmap&>(d) = v.value;
  // Short: in side-by-side lanes the map is a few hundred pixels wide.
  d.title = "critic V(s), " + std::to_string(v.updates) + " updates";
  d.arrows = v.action;
  d.arrow_stride = std::max(1, d.nx / 10);
  // The current state: drawing only maps the observation onto the plane's coordinates.
  if (snap.world && snap.obs.size() > 0)
    if (const auto plane = snap.world->state_plane(); plane && plane->coords) {
      const Vec2 c = plane->coords(snap.obs);
      d.has_marker = true, d.marker_x = c.x, d.marker_y = c.y;
    }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), IM_COL32(255, 255, 255, 255));
  // As square as the pane allows, centred vertically, with a margin.
  const float m = 6.0f * ui_scale();
  const float h = std::min(size.y - 2 * m, size.x * 0.95f);
  ImGui::SetCursorScreenPos(ImVec2(p0.x + m, p0.y + std::max(m, (size.y - h) * 0.5f)));
  ImGui::PushFont(fonts_.plot);  // the plots' text size, as the lab's heat maps
  draw_heatmap("critic_map", d, ImVec2(size.x - 2 * m, h), line_scale());
  ImGui::PopFont();
}

void App::policy_panel() {
  const Snapshot* s = snap_.get();
  if (!s || (!s->policy_value && !s->branched_rollouts)) return;
  if (!ImGui::CollapsingHeader("Policy learning", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (s->policy_value) {
    ImGui::Checkbox("critic map beside the world", &show_critic_map_);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("V(s) = min(Q1, Q2)(s, pi(s)) over the state plane; arrows: the "
                        "policy's action (up: positive)");
  }
  if (!s->branched_rollouts) return;
  const BranchedRolloutView& v = *s->branched_rollouts;
  if (!v.has_schedule) {
    // The model-based policy gradient: H is a plain live knob (no schedule, no SAC batch).
    int h = std::clamp(v.horizon, 1, kMaxSliderH);
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    const bool moved = ImGui::SliderInt("rollout horizon H", &h, 1, kMaxSliderH);
    ImGui::PopItemWidth();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("imagined steps per trajectory: short branches trust the model little, "
                        "whole imagined episodes let the policy exploit its errors");
    if (moved) {
      config_.edited["rollout_horizon"] = h;
      for (auto& lane : lanes_)
        if (lane.snap && lane.snap->branched_rollouts && !lane.snap->branched_rollouts->has_schedule)
          lane.runner->post([h](Experiment& e) {
            Json edited = unwrap_gate(e).config();
            edited["rollout_horizon"] = h;
            unwrap_gate(e).apply_live_edit(edited);
          });
      char note[80];
      std::snprintf(note, sizeof note, "H = %d: used from the next iteration's imagination", h);
      status(note, false);
    }
    ImGui::Text("%zu %s shown, H = %d", v.rollouts.size(), v.label.c_str(), v.horizon);
    if (!v.real_path.empty()) ImGui::TextDisabled("dark: the latest real episode");
    member_key(v);
    return;
  }
  int k = config_.edited.value("rollout_horizon", 0);
  bool fixed = k > 0, changed = false;
  if (ImGui::Checkbox("fix k (override the schedule)", &fixed)) {
    k = fixed ? std::clamp(v.horizon, 1, kMaxSliderK) : 0;
    changed = true;
  }
  ImGui::BeginDisabled(!fixed);
  int shown = fixed ? k : std::clamp(v.horizon, 1, kMaxSliderK);
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  if (ImGui::SliderInt("rollout length k", &shown, 1, kMaxSliderK)) k = shown, changed = true;
  ImGui::PopItemWidth();
  ImGui::EndDisabled();
  if (changed) {
    config_.edited["rollout_horizon"] = k;
    // Live, on every lane that runs MBPO: the next refit's rollouts have this length.
    for (auto& lane : lanes_)
      if (lane.snap && lane.snap->branched_rollouts && lane.snap->branched_rollouts->has_schedule)
        lane.runner->post([k](Experiment& e) {
          Json edited = unwrap_gate(e).config();
          edited["rollout_horizon"] = k;
          unwrap_gate(e).apply_live_edit(edited);
        });
    char note[80];
    if (k > 0)
      std::snprintf(note, sizeof note, "k = %d: used from the next model refit", k);
    else
      std::snprintf(note, sizeof note, "k follows rollout_schedule again from the next model refit");
    status(note, false);
  }
  ImGui::Text("latest rollouts: k = %d (%s)", v.horizon,
              v.horizon_overridden ? "fixed" : "rollout_schedule");
  member_key(v);
  ImGui::TextUnformatted("last SAC batch: real vs imagined rows");
  batch_share_bar(v);
  if (v.model_error.empty()) {
    ImGui::TextDisabled("model error vs k: after the first model refit");
    return;
  }
  ImGui::PushFont(fonts_.plot);  // the plots' text size, readable on a projector
  const Figure f = model_error_vs_k_figure(v.model_error, v.model_error_open_loop, shown);
  PlotStyle ps{line_scale(), {}};
  ps.series.resize(f.series.size());
  for (size_t i = 0; i < f.series.size(); ++i) {
    if (f.series[i].label == "open loop") ps.series[i].line_alpha = 0.6f;  // behind, for contrast
    if (f.series[i].label == "closed loop") ps.series[i].line_width = 1.6f;
    if (f.series[i].label.rfind("k = ", 0) == 0) ps.series[i].line_width = 2.5f;  // stands out
  }
  // The key above the plot: inside, the narrow panel's legend would cover the curves.
  ps.legend = false;
  draw_series_key(f, ImGui::GetContentRegionAvail().x, ps);
  plot_figure("model_error_vs_k", f, ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 12), ps);
  ImGui::PopFont();
  ImGui::TextWrapped("refit at step %lld, %s: from real states, model vs true env under the same "
                     "policy (closed loop: it acts on the imagined states; open loop: the real "
                     "actions replayed)",
                     (long long)v.model_error_env_steps, f.log_y ? "log y" : "linear y");
}

}  // namespace dynalab
