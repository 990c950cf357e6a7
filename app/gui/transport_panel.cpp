#include "app/gui/transport_panel.h"

#include <imgui.h>

#include <algorithm>

namespace dynalab {

TransportPanel::Commands TransportPanel::draw(const RunnerStatus& st, Settings& settings) {
  Commands cmd;
  const float bw = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
  // Key hints only when they fit (large fonts drop them; Help > Keys lists them).
  const bool hints =
      ImGui::CalcTextSize("Pause (P)").x + 2 * ImGui::GetStyle().FramePadding.x <= bw;
  if (ImGui::Button(st.playing ? (hints ? "Pause (P)" : "Pause") : (hints ? "Play (P)" : "Play"),
                    ImVec2(bw, 0)))
    cmd.toggle_play = true;
  ImGui::SameLine();
  if (ImGui::Button(hints ? "Tick (O)" : "Tick", ImVec2(bw, 0))) cmd.ticks = 1;
  ImGui::SameLine();
  if (ImGui::Button(hints ? "Reset (R)" : "Reset", ImVec2(bw, 0))) cmd.reset = true;
  ImGui::SetNextItemWidth(bw * 1.3f);
  ImGui::InputScalar("##n", ImGuiDataType_S64, &run_n);
  run_n = std::clamp<int64_t>(run_n, 1, 100000000);
  // The two buttons go on the field's row while they fit (large fonts wrap them, not clip).
  const auto same_line_if_fits = [](const char* label) {
    const ImGuiStyle& s = ImGui::GetStyle();
    const float w = ImGui::CalcTextSize(label).x + 2 * s.FramePadding.x;
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
  };
  same_line_if_fits("Run N ticks");
  if (ImGui::Button("Run N ticks")) cmd.ticks = run_n;
  same_line_if_fits("Env step");
  if (ImGui::Button("Env step")) cmd.env_step = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("tick until the real env has taken one more step (at most %d ticks)",
                      kEnvStepTickCap);
  bool max_speed = settings.speed <= 0;
  if (ImGui::Checkbox("max speed", &max_speed)) {
    settings.speed = max_speed ? 0 : 30;
    cmd.speed_changed = true;
  }
  if (!max_speed) {
    ImGui::SameLine();
    float sp = float(settings.speed);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::DragFloat("##speed", &sp, 0.5f, 1, 5000, "%.0f ticks/s",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
      settings.speed = sp;
      cmd.speed_changed = true;
    }
  }
  ImGui::SetNextItemWidth(bw * 1.3f);
  ImGui::InputScalar("seed", ImGuiDataType_U64, &seed);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("used by the next Reset (R)");
  const char* state = st.finished            ? "finished"
                      : st.playing           ? "playing"
                      : st.pending_ticks > 0 ? "running"
                                             : "paused";
  ImGui::TextWrapped("tick %lld   %s   %.0f ticks/s", (long long)st.ticks, state,
                     st.ticks_per_second);
  return cmd;
}

}  // namespace dynalab
