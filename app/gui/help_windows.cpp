#include "app/gui/help_windows.h"

#include <imgui.h>

namespace dynalab {

namespace {
void keys_window(bool* open) {
  ImGui::SetNextWindowSize(ImVec2(0, 0));
  if (ImGui::Begin("Keys and mouse", open)) {
    const char* rows[][2] = {{"P", "play / pause"},
                             {"O", "single tick"},
                             {"R", "reset (applies pending config changes, uses the seed field)"},
                             {"F", "fit the view to the world"},
                             {"H", "hide / show the controls panel"},
                             {"F9", "record / stop (controls: Record; MP4 or GIF)"},
                             {"right drag", "pan the view"},
                             {"wheel", "zoom at the mouse"},
                             {"left click", "grid world: toggle a wall"},
                             {"left drag S / G", "grid world: move the start / goal"},
                             {"Page Down / N", "lesson: next step (a presenter's clicker)"},
                             {"Page Up / B", "lesson: previous step"}};
    for (auto& r : rows) {
      ImGui::TextUnformatted(r[0]);
      ImGui::SameLine(ImGui::GetFontSize() * 9);
      ImGui::TextUnformatted(r[1]);
    }
    ImGui::TextDisabled("Keys are ignored while a text field has focus.");
  }
  ImGui::End();
}

void about_window(bool* open, const Fonts& fonts) {
  // Placed as before the split: relative to the area between the menu and the status bar.
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float H = vp->Size.y - 2 * ImGui::GetFrameHeight() - 6;
  ImGui::SetNextWindowPos(ImVec2(vp->Size.x * 0.5f, H * 0.4f), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  if (ImGui::Begin("About dynalab", open, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("dynalab: model-based RL, live, for the lecture hall.");
    ImGui::TextUnformatted("Dyna-Q, MPC with random shooting and CEM, ensembles, distribution shift.");
    ImGui::Text("Dear ImGui %s, font: %s", ImGui::GetVersion(), fonts.source.c_str());
  }
  ImGui::End();
}
}  // namespace

void HelpWindows::draw(const Fonts& fonts) {
  if (keys) keys_window(&keys);
  if (about) about_window(&about, fonts);
}

}  // namespace dynalab
