#pragma once
// A Canvas that writes SVG: what an env (or an overlay) draws, as a vector figure for slides.
// World units (y up) map onto a pixel viewport: `world` is fitted with one scale for both axes,
// centred, inside a margin. The primitives look as in the app (ImGuiCanvas): outlines 1.5 px
// (rectangles 1 px), arrow heads of the same size, text growing with the zoom within limits.
// Colours print as #rrggbb, alpha as fill-opacity / stroke-opacity; a fully transparent fill
// or outline is left out. Numbers are pixels with at most 2 decimals, trailing zeros dropped.

#include <string>

#include "core/canvas.h"

namespace dynalab {

class SvgCanvas : public Canvas {
 public:
  /// `text_px` is the height of text of relative size 1; `background` fills the whole image
  /// first (palette::none for a transparent one).
  SvgCanvas(Bounds world, int width_px, int height_px, double margin_px = 10, float text_px = 13,
            Color background = {1, 1, 1, 1});

  void polygon(std::span<const Vec2> points, Color fill, Color outline) override;
  void circle(Vec2 center, double radius, Color fill, Color outline) override;
  void segment(Vec2 a, Vec2 b, Color color, float width_px = 1.5f) override;
  void polyline(std::span<const Vec2> points, Color color, float width_px = 1.5f) override;
  void rect(Vec2 lo, Vec2 hi, Color fill, Color outline) override;
  void text(Vec2 at, std::string_view text, Color color, float size = 1.0f) override;
  void text_left(Vec2 at, std::string_view text, Color color, float size = 1.0f) override;
  double text_height(float size = 1.0f) const override;
  void arrow(Vec2 from, Vec2 to, Color color, float width_px = 1.5f) override;

  /// A world point in pixels (y down).
  Vec2 to_px(Vec2 world) const;
  /// Pixels per world unit.
  double scale() const { return scale_; }
  /// The whole document: <svg ...> with every element drawn so far, then </svg>.
  std::string svg() const;

 private:
  double text_px(float size) const;  ///< pixel height of text of relative `size`
  int width_, height_;
  double scale_, x0_, y0_;  ///< px = (x0 + x * scale, y0 - y * scale)
  float text_px_;
  std::string body_;
};

}  // namespace dynalab
