#include "app/gui/experiment_picker.h"

#include <imgui.h>

namespace dynalab {

namespace {
// "Sutton & Barto ..." descriptions are long: wrap them in the picker.
void wrapped_disabled(const std::string& s) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", s.c_str());
  ImGui::PopStyleColor();
}
}  // namespace

std::optional<std::string> ExperimentPicker::draw(const std::string& current) const {
  std::optional<std::string> picked;
  ImGui::TextUnformatted("Experiment");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##experiment", current.c_str(), ImGuiComboFlags_HeightLarge)) {
    std::string cat;
    for (const auto& e : experiments) {
      if (e.category != cat) {
        cat = e.category;
        ImGui::TextDisabled("%s", cat.c_str());
      }
      if (ImGui::Selectable(("  " + e.name).c_str(), e.name == current)) picked = e.name;
      if (ImGui::IsItemHovered() && !e.description.empty())
        ImGui::SetTooltip("%s", e.description.c_str());
    }
    ImGui::EndCombo();
  }
  for (const auto& e : experiments)
    if (e.name == current && !e.description.empty()) wrapped_disabled(e.description);
  return picked;
}

std::optional<std::string> ExperimentPicker::menu_items(const std::string& current) const {
  std::optional<std::string> picked;
  std::string cat;
  for (const auto& e : experiments) {
    if (e.category != cat) {
      cat = e.category;
      ImGui::TextDisabled("%s", cat.c_str());
    }
    if (ImGui::MenuItem(("  " + e.name).c_str(), nullptr, e.name == current)) picked = e.name;
  }
  return picked;
}

}  // namespace dynalab
