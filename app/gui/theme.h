#pragma once
// Fonts and colours: a light theme for the desk, a high-contrast one for the projector, and the
// UI font (DejaVu Sans from fonts-dejavu-core, else ImGui's built-in font) at any scale.

#include <imgui.h>

#include <string>

namespace dynalab {

struct Fonts {
  ImFont* ui = nullptr;   ///< every widget
  ImFont* big = nullptr;  ///< viewport counters, 1.35x the UI size
  ImFont* plot = nullptr; ///< plot and lab text (tick labels, legends, axis labels)
  std::string source;     ///< the TTF used, or "ImGui default"
};

/// Pixel height of the UI font at scale 1.
inline constexpr float kBaseFontPx = 17.0f;

/// Rebuilds the font atlas at `scale` (1 .. 2.5), the plot font at `plot_px` pixels (0: the UI
/// font). Call between frames after the OpenGL3 backend is initialised: it re-uploads the font
/// texture.
Fonts load_fonts(float scale, float plot_px = 0);

/// Applies the light or high-contrast theme with every size scaled by `scale`.
void apply_theme(bool high_contrast, float scale);

}  // namespace dynalab
