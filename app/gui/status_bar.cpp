#include "app/gui/status_bar.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace dynalab {

std::string one_decimal(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}

void StatusBar::set(const std::string& m, bool is_error) {
  msg = m;
  error = is_error;
  time = std::chrono::steady_clock::now();
}

void StatusBar::draw(float y, float w, float h, const RunnerStatus& st, float avg_frame_ms,
                     const std::string& recording) const {
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetMainViewport()->Pos.x, y));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 3));
  ImGui::Begin("Status", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  if (!msg.empty()) {
    if (error)
      ImGui::TextColored(ImVec4(0.80f, 0.05f, 0.05f, 1), "%s", msg.c_str());
    else
      ImGui::TextUnformatted(msg.c_str());
  }
  const std::string right = std::string(st.playing ? "playing" : "paused") + "   " +
                            one_decimal(st.ticks_per_second) + " ticks/s   " +
                            one_decimal(avg_frame_ms > 0 ? 1000 / avg_frame_ms : 0) + " fps";
  const float rw = ImGui::CalcTextSize(right.c_str()).x;
  if (!recording.empty()) {
    // The recording indicator: a red dot and "REC m:ss" left of the run's state.
    const float fs = ImGui::GetFontSize(), recw = ImGui::CalcTextSize(recording.c_str()).x;
    ImGui::SameLine(std::max(0.0f, w - rw - recw - 2.5f * fs - 16));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + 0.4f * fs, p.y + 0.5f * fs),
                                                0.35f * fs, IM_COL32(220, 20, 20, 255));
    ImGui::Dummy(ImVec2(0.9f * fs, fs));
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.85f, 0.05f, 0.05f, 1), "%s", recording.c_str());
  }
  ImGui::SameLine(std::max(0.0f, w - rw - 16));
  ImGui::TextUnformatted(right.c_str());
  ImGui::End();
}

}  // namespace dynalab
