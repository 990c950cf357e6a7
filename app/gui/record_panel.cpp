#include "app/gui/record_panel.h"

#include <imgui.h>

#include <iterator>

namespace dynalab {

bool RecordPanel::draw(const std::string& label) {
  if (!ImGui::CollapsingHeader("Record")) {
    // Folded, the button stays reachable by F9; a running recording still shows its stop button.
    if (label.empty()) return false;
  }
  const bool recording = !label.empty();
  bool clicked = false;
  if (recording) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.75f, 0.08f, 0.08f, 1));
    clicked = ImGui::Button(("Stop (F9)  " + label).c_str());
    ImGui::PopStyleColor();
    return clicked;
  }
  int region = opt.region == RecordOptions::Region::viewport ? 1 : 0;
  ImGui::RadioButton("whole window", &region, 0);
  ImGui::SameLine();
  ImGui::RadioButton("viewport", &region, 1);
  opt.region = region ? RecordOptions::Region::viewport : RecordOptions::Region::window;
  int format = opt.format == VideoFormat::gif ? 1 : 0;
  ImGui::RadioButton("MP4 (H.264)", &format, 0);
  ImGui::SameLine();
  ImGui::RadioButton("GIF", &format, 1);
  opt.format = format ? VideoFormat::gif : VideoFormat::mp4;
  static const int kFps[] = {10, 15, 24, 30, 60};
  static const char* kFpsText[] = {"10 fps", "15 fps", "24 fps", "30 fps", "60 fps"};
  int fi = 3;
  for (int i = 0; i < int(std::size(kFps)); ++i)
    if (kFps[i] == opt.fps) fi = i;
  // Widths from the column, so the row fits at presentation fonts too.
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.4f);
  if (ImGui::Combo("##fps", &fi, kFpsText, int(std::size(kFps)))) opt.fps = kFps[fi];
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::SliderFloat("##scale", &opt.scale, 0.25f, 1.0f, "size %.2f x", ImGuiSliderFlags_AlwaysClamp);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("the video's size as a fraction of the region's pixels");
  clicked = ImGui::Button("Record (F9)");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("to %s/<experiment>-<UTC time>.%s; the status bar says where it went",
                      "dynalab_exports", opt.format == VideoFormat::gif ? "gif" : "mp4");
  return clicked;
}

}  // namespace dynalab
