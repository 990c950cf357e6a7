#include "app/gui/theme.h"

#include <imgui_impl_opengl3.h>

#include <filesystem>

namespace dynalab {

namespace {
constexpr const char* kFontPaths[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                      "/usr/share/fonts/TTF/DejaVuSans.ttf"};
}

Fonts load_fonts(float scale, float plot_px) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  Fonts f;
  for (const char* p : kFontPaths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) continue;
    f.ui = io.Fonts->AddFontFromFileTTF(p, kBaseFontPx * scale);
    f.big = io.Fonts->AddFontFromFileTTF(p, kBaseFontPx * scale * 1.35f);
    f.plot = plot_px > 0 ? io.Fonts->AddFontFromFileTTF(p, plot_px) : f.ui;
    if (f.ui && f.big && f.plot) {
      f.source = p;
      break;
    }
  }
  if (!f.ui || !f.big || !f.plot) {
    io.Fonts->Clear();
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * scale;
    f.ui = io.Fonts->AddFontDefault(&cfg);
    cfg.SizePixels = 13.0f * scale * 1.35f;
    f.big = io.Fonts->AddFontDefault(&cfg);
    cfg.SizePixels = plot_px > 0 ? plot_px * 13.0f / kBaseFontPx : 13.0f * scale;
    f.plot = io.Fonts->AddFontDefault(&cfg);
    f.source = "ImGui default";
  }
  io.FontDefault = f.ui;
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  return f;
}

void apply_theme(bool high_contrast, float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0;
  style.FrameRounding = 3;
  style.GrabMinSize = 12;
  style.WindowBorderSize = 1;
  style.FrameBorderSize = 1;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.96f, 0.95f, 1);
  c[ImGuiCol_Button] = ImVec4(0.80f, 0.86f, 0.95f, 1);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.62f, 0.75f, 0.95f, 1);
  c[ImGuiCol_Header] = ImVec4(0.82f, 0.87f, 0.95f, 1);
  if (high_contrast) {
    // The projector washes out greys: pure white panels, black text and 2 px borders.
    style.WindowBorderSize = 2;
    style.FrameBorderSize = 2;
    c[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
    c[ImGuiCol_TextDisabled] = ImVec4(0.25f, 0.25f, 0.25f, 1);
    c[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_PopupBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.85f, 0.85f, 0.85f, 1);
    c[ImGuiCol_Border] = ImVec4(0, 0, 0, 1);
    c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_Button] = ImVec4(1.0f, 0.85f, 0.30f, 1);
    c[ImGuiCol_ButtonHovered] = ImVec4(1.0f, 0.75f, 0.10f, 1);
    c[ImGuiCol_ButtonActive] = ImVec4(0.95f, 0.60f, 0.0f, 1);
    c[ImGuiCol_Header] = ImVec4(0.80f, 0.88f, 1.0f, 1);
    c[ImGuiCol_SliderGrab] = ImVec4(0, 0, 0, 1);
    c[ImGuiCol_CheckMark] = ImVec4(0, 0, 0, 1);
  }
  style.ScaleAllSizes(scale);
}

}  // namespace dynalab
