#pragma once
// The app's Canvas: draws world-unit shapes (y up) into an ImDrawList through a view transform
// that the user pans (right drag) and zooms (wheel) and that can fit any env's world bounds.

#include <imgui.h>

#include "core/canvas.h"

namespace dynalab {

/// Maps world units (y up) to screen pixels (y down) inside a screen rectangle.
struct ViewTransform {
  Vec2 center{0.5, 0.5};  ///< world point at the centre of the rectangle
  double scale = 100;     ///< pixels per world unit
  ImVec2 origin{0, 0};    ///< top-left of the screen rectangle, pixels
  ImVec2 size{1, 1};      ///< size of the screen rectangle, pixels

  ImVec2 to_screen(Vec2 w) const {
    return {float(origin.x + size.x * 0.5 + (w.x - center.x) * scale),
            float(origin.y + size.y * 0.5 - (w.y - center.y) * scale)};
  }
  Vec2 to_world(ImVec2 s) const {
    return {center.x + (s.x - origin.x - size.x * 0.5) / scale,
            center.y - (s.y - origin.y - size.y * 0.5) / scale};
  }
  /// Centres `b` and picks the largest scale that shows all of it with `margin` pixels around.
  void fit(const Bounds& b, float margin);
  /// Zooms by `factor` keeping the world point under screen point `at` fixed.
  void zoom_at(ImVec2 at, double factor);
};

class ImGuiCanvas : public Canvas {
 public:
  /// `line_scale` multiplies every line width (presentation mode draws thicker lines);
  /// `text_px` is the pixel height of text of relative size 1.
  ImGuiCanvas(ImDrawList* dl, const ViewTransform& view, float line_scale, float text_px)
      : dl_(dl), view_(view), line_scale_(line_scale), text_px_(text_px) {}

  void polygon(std::span<const Vec2> points, Color fill, Color outline) override;
  void circle(Vec2 center, double radius, Color fill, Color outline) override;
  void segment(Vec2 a, Vec2 b, Color color, float width_px) override;
  void polyline(std::span<const Vec2> points, Color color, float width_px) override;
  void rect(Vec2 lo, Vec2 hi, Color fill, Color outline) override;
  void text(Vec2 at, std::string_view text, Color color, float size) override;
  void text_left(Vec2 at, std::string_view text, Color color, float size) override;
  double text_height(float size) const override;
  void arrow(Vec2 from, Vec2 to, Color color, float width_px) override;

  const ViewTransform& view() const { return view_; }

 private:
  ImDrawList* dl_;
  ViewTransform view_;
  float line_scale_, text_px_;
};

/// Packs a Color into ImGui's 32-bit RGBA.
inline ImU32 to_imu32(Color c) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a));
}

}  // namespace dynalab
