// The controls column, as App members: it stacks the panels (lessons, experiment picker,
// transport, MPC, uncertainty, policy learning, overlays, stats, config, profile) and applies
// what they ask for.

#include <imgui.h>

#include "app/gui/app.h"

namespace dynalab {

namespace {
// The snapshot's key / value table and its message.
void stats_panel(const Snapshot& snap) {
  if (!ImGui::CollapsingHeader("Stats", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (ImGui::BeginTable("stats", 2, ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("0000000000").x);
    for (const auto& [k, v] : snap.stats) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(k.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(v.c_str());
    }
    ImGui::EndTable();
  }
  if (!snap.message.empty()) ImGui::TextWrapped("%s", snap.message.c_str());
}
}  // namespace

void App::controls_panel(float w, float h, float y) {
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetMainViewport()->Pos.x, y));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::Begin("Controls", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  lesson_panel();
  ImGui::Separator();
  // In a lesson the experiment comes from the step; picking another one leaves the lesson.
  if (!in_lesson() || ImGui::CollapsingHeader("Experiment"))
    if (auto picked = picker_.draw(name_)) load(*picked, {});
  ImGui::Separator();
  const TransportPanel::Commands cmd = transport_.draw(st_, settings_);
  if (cmd.toggle_play) toggle_play();
  if (cmd.ticks > 0) step_all(cmd.ticks);
  if (cmd.reset) reset();
  if (cmd.env_step) env_step_all();
  if (cmd.speed_changed)
    for (auto& lane : lanes_) lane.runner->set_speed(settings_.speed);
  if (record_.draw(recording_indicator()) && !scripted_) toggle_recording();
  if (snap_ && snap_->plan) mpc_.draw(*snap_);
  uncertainty_panel();
  policy_panel();
  gps_panel();
  vin_panel();
  future_density_panel();
  latent_panel();
  if (snap_ && snap_->q_table) overlay_toggles(w);
  if (demo_plan_trace_) mpc_.draw_demo(snap_.get());
  if (settings_.panels.stats && snap_) stats_panel(*snap_);
  const ConfigPanel::Result edit = config_.draw();
  if (!edit.note.empty()) status(edit.note, false);
  if (edit.live) apply_live_config();
  for (const auto& err : edit.errors) status(err, true);
  if (settings_.panels.profile) profile_.draw(st_, line_scale());
  ImGui::End();
}

// The Dyna-Q overlay checkboxes (also in the View menu).
void App::overlay_toggles(float w) {
  if (!ImGui::CollapsingHeader("Overlays", ImGuiTreeNodeFlags_DefaultOpen)) return;
  auto& o = settings_.overlays;
  // Two columns when they fit, else one per line (large fonts).
  const bool two = ImGui::CalcTextSize("planning flashes").x * 2 + ImGui::GetFontSize() * 4 < w;
  int i = 0;
  for (auto [label, flag] :
       {std::pair{"heat map", &o.heat_map}, std::pair{"policy arrows", &o.policy_arrows},
        std::pair{"model knows", &o.model_known}, std::pair{"planning flashes", &o.planning_flashes},
        std::pair{"agent path", &o.episode_path}}) {
    if (two && i++ % 2) ImGui::SameLine(w * 0.5f);
    ImGui::Checkbox(label, flag);
  }
  if (!snap_->successor) return;
  // The successor representation's row M(s_agent, .): learned, exact, or the error map.
  auto& sr = successor_overlay_;
  ImGui::Checkbox("SR: where will I be?", &sr.show);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("the agent's row of the successor representation M(s, .), in place of the value heat map");
  int map = int(sr.map);
  ImGui::RadioButton("learned M", &map, 0);
  ImGui::SameLine();
  ImGui::RadioButton("exact M", &map, 1);
  ImGui::SameLine();
  ImGui::RadioButton("|M - M exact|", &map, 2);
  sr.map = SuccessorOverlayOptions::Map(map);
}

}  // namespace dynalab
