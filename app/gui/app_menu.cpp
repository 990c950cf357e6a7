// The main menu bar, as App members: File (open, export, sessions, quit), View (overlays,
// panels, presentation, the lab's views, side by side) and Help.

#include <imgui.h>

#include "app/gui/app.h"

namespace dynalab {

void App::menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::BeginMenu("Open experiment")) {
      if (auto picked = picker_.menu_items(name_)) load(*picked, {});
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Export")) {
      if (ImGui::MenuItem("Figures as CSV")) export_figures();
      const std::string stem =
          (kExportDir / (name_ + "_tick" + std::to_string(snap_ ? snap_->tick : 0))).string();
      if (ImGui::MenuItem("Viewport as PNG"))
        screenshot_request_ =
            ScreenshotRequest{stem + "_viewport.png", lanes_[0].view.origin, lanes_[0].view.size};
      if (ImGui::MenuItem("World as SVG (vector, for slides)")) {
        std::error_code ec;
        std::filesystem::create_directories(kExportDir, ec);
        export_world_svg(stem + "_world.svg");
      }
      if (ImGui::MenuItem("Window as PNG"))
        screenshot_request_ = ScreenshotRequest{stem + "_window.png", ImGui::GetMainViewport()->Pos,
                                                ImGui::GetMainViewport()->Size};
      if (screenshot_request_) {
        std::error_code ec;
        std::filesystem::create_directories(kExportDir, ec);
      }
      ImGui::EndMenu();
    }
    session_menu_items();
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    view_menu();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys and mouse")) help_.keys = true;
    if (ImGui::MenuItem("About")) help_.about = true;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

void App::view_menu() {
  ImGui::TextDisabled("Dyna-Q overlays");
  auto& o = settings_.overlays;
  ImGui::MenuItem("Value heat map (max_a Q)", nullptr, &o.heat_map);
  ImGui::MenuItem("Greedy policy arrows", nullptr, &o.policy_arrows);
  ImGui::MenuItem("Model knows (s, a)", nullptr, &o.model_known);
  ImGui::MenuItem("Planning updates flash", nullptr, &o.planning_flashes);
  ImGui::MenuItem("Agent path this episode", nullptr, &o.episode_path);
  ImGui::TextDisabled("Successor representation");
  auto& sr = successor_overlay_;
  ImGui::MenuItem("Where will I be? M(s_agent, .)", nullptr, &sr.show);
  if (ImGui::MenuItem("  learned M", nullptr, sr.map == SuccessorOverlayOptions::Map::learned))
    sr.map = SuccessorOverlayOptions::Map::learned;
  if (ImGui::MenuItem("  exact (1 - gamma)(I - gamma P)^-1", nullptr, sr.map == SuccessorOverlayOptions::Map::exact))
    sr.map = SuccessorOverlayOptions::Map::exact;
  if (ImGui::MenuItem("  error |M - M exact|", nullptr, sr.map == SuccessorOverlayOptions::Map::error))
    sr.map = SuccessorOverlayOptions::Map::error;
  ImGui::TextDisabled("Successor features (GPI)");
  ImGui::MenuItem("Cells and arrows coloured by the policy GPI uses", nullptr, &settings_.gpi_overlay.policy_sources);
  ImGui::MenuItem("GPI key (policies and w)", nullptr, &settings_.gpi_overlay.legend);
  ImGui::Separator();
  ImGui::TextDisabled("Panels");
  ImGui::MenuItem("Controls", nullptr, &settings_.panels.controls);
  ImGui::MenuItem("Plots", nullptr, &settings_.panels.plots);
  ImGui::MenuItem("Stats", nullptr, &settings_.panels.stats);
  ImGui::MenuItem("Profile", nullptr, &settings_.panels.profile);
  ImGui::Separator();
  // In a lesson the toggle sets the lessons' own flag (on by default), else the desk's.
  bool& presentation = in_lesson() ? settings_.lesson_presentation : settings_.presentation;
  if (ImGui::MenuItem(in_lesson() ? "Presentation mode (lessons)" : "Presentation mode", nullptr,
                      &presentation))
    font_changed_ = true;
  float fs = settings_.font_scale;
  if (ImGui::SliderFloat("Font scale", &fs, 1.0f, 2.5f, "%.2fx")) settings_.font_scale = fs;
  if (ImGui::IsItemDeactivatedAfterEdit()) font_changed_ = true;
  if (ImGui::MenuItem("Fit view", "F")) lanes_[0].user_moved_view = false;
  ImGui::Separator();
  ImGui::TextDisabled("Uncertainty and distribution shift");
  const char* lab_titles[] = {"Disagreement map (epistemic vs aleatoric)",
                              "1-D slice: members and bands",
                              "Three models: ensemble, GP, Bayesian NN on the same data",
                              "Validation error vs ensemble size",
                              "Distribution shift: visited vs training states",
                              "Model error vs distance and horizon",
                              "GP cost: training seconds vs number of points"};
  for (size_t i = 0; i < lab_view_names().size(); ++i) {
    const bool on = lab_open_ && lab_.view() == lab_view_names()[i];
    if (ImGui::MenuItem(lab_titles[i], nullptr, on)) open_lab(on ? "" : lab_view_names()[i]);
  }
  if (ImGui::MenuItem("Sample-efficiency ladder", nullptr, ladder_.open)) ladder_.open = !ladder_.open;
  if (ImGui::MenuItem("Side by side: cliff_hill v0.5 / v1.0 / v1.5", nullptr, in_side_by_side()))
    open_side_by_side("cliff_hill");
}

}  // namespace dynalab
