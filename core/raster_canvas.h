#pragma once
// A camera for models from pixels (issue 20): a Canvas that renders any env's draw() into a small
// grayscale image, software only, so the GUI and the CLI produce the same floats (one code path
// in dynalab_core, plain double arithmetic, no threads, no OpenGL).
//
// What a pixel holds: the background is 0; each primitive composites its colour's luminance
// (0.2126 r + 0.7152 g + 0.0722 b) over the pixel with weight alpha * coverage, painter's order:
//   p = p * (1 - alpha * coverage) + luminance * alpha * coverage.
// Coverage is the exact area of the primitive inside the pixel (the shape clipped to the pixel
// square), so edges are anti-aliased and a shape's total coverage equals its area in pixels.
// Circles become regular polygons with at most 0.01 px between the true edge and a chord (at
// least 8 sides), their radius scaled so the polygon's area equals the circle's.
//
// Lines: a Canvas line width is in screen pixels of the app's world pane. The camera draws a
// width w as w * line_scale raster pixels, line_scale = max(width, height) / kReferencePanePx by
// default: the image is the app's ~400-pixel pane shrunk to the raster, so thin lines stay thin
// relative to the bodies (a 1.5 px line is 0.12 px wide at 32 x 32 and only darkens its pixels
// a little). Segments, polylines and arrow shafts are quads with butt ends; a polyline is one quad
// per piece (joints overlap slightly); arrow heads are the SvgCanvas's, scaled the same way.
// Outlines are quads centred on the edges, 1.5 px (rectangles 1 px) as in SvgCanvas.
//
// Text is skipped: a camera image has no labels (text() and text_left() draw nothing, and
// text_height() stays 0, so drawings that stack text fall back to their own spacing).

#include <span>
#include <vector>

#include "core/canvas.h"

namespace dynalab {

class Env;

/// The width in pixels of the app's world pane the line widths are meant for.
inline constexpr double kReferencePanePx = 400.0;

/// Luminance of a colour's RGB (Rec. 709 weights), in [0, 1]; alpha is not applied.
constexpr float luminance(Color c) { return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b; }

class RasterCanvas : public Canvas {
 public:
  /// A `width` x `height` image (each at least 1) showing `view` (world units, y up): view.lo
  /// maps to the bottom-left corner of the image, view.hi to the top-right. A view whose aspect
  /// differs from the image's is stretched (pass square_view() for a square image).
  /// `line_scale`: raster pixels per Canvas width_px (<= 0: max(width, height) / 400).
  /// Throws std::invalid_argument for a size below 1 or an empty view.
  RasterCanvas(int width, int height, Bounds view, double line_scale = 0);

  /// Sets every pixel to the background, 0.
  void clear();
  int width() const { return width_; }
  int height() const { return height_; }
  /// width * height values in [0, 1], row-major, row 0 at the top of the view.
  const std::vector<float>& pixels() const { return pixels_; }
  /// The pixel in `row` (0 at the top) and `col` (0 at the left).
  float at(int row, int col) const { return pixels_[size_t(row) * width_ + col]; }
  /// Raster pixels per world unit along x and along y.
  double scale_x() const { return sx_; }
  double scale_y() const { return sy_; }

  void polygon(std::span<const Vec2> points, Color fill, Color outline) override;
  void circle(Vec2 center, double radius, Color fill, Color outline) override;
  void segment(Vec2 a, Vec2 b, Color color, float width_px = 1.5f) override;
  void polyline(std::span<const Vec2> points, Color color, float width_px = 1.5f) override;
  void rect(Vec2 lo, Vec2 hi, Color fill, Color outline) override;
  /// Skipped: a camera image has no labels.
  void text(Vec2, std::string_view, Color, float) override {}
  /// Skipped: a camera image has no labels.
  void text_left(Vec2, std::string_view, Color, float) override {}
  void arrow(Vec2 from, Vec2 to, Color color, float width_px = 1.5f) override;

  /// Composites a simple polygon given in raster pixel coordinates (x right, y down; (0, 0) is
  /// the top-left corner of pixel (0, 0)) with its exact per-pixel coverage. Public for tests.
  void fill_pixels(std::span<const Vec2> px, float lum, float alpha);
  /// The same for the axis-aligned box [x0, x1] x [y0, y1] (raster pixels, either order), whose
  /// coverage has a closed form (rectangles and axis-aligned lines take this path).
  void fill_box_pixels(double x0, double y0, double x1, double y1, float lum, float alpha);

 private:
  Vec2 to_px(Vec2 w) const { return {(w.x - view_.lo.x) * sx_, (view_.hi.y - w.y) * sy_}; }
  /// A quad of `width` raster pixels along a -> b (both in raster pixels), butt ends.
  void stroke_px(Vec2 a, Vec2 b, double width, Color color);
  /// The closed outline of a polygon given in raster pixels.
  void outline_px(std::span<const Vec2> px, double width, Color color);

  int width_, height_;
  Bounds view_;
  double sx_, sy_, line_scale_;
  std::vector<float> pixels_;
  // Scratch, reused so that drawing does not allocate: px_ holds a shape in raster pixels (the
  // outline's strokes never touch it), the others the clipping steps of fill_pixels().
  std::vector<Vec2> px_, poly_, tmp_, strip_, cell_;
};

/// The square view a camera uses for a world: centred on `world`'s centre, its side the larger
/// of the world's width and height, so the aspect is kept and all of the world is in view.
Bounds square_view(const Bounds& world);

/// One camera frame of `env` as it is now: its draw() (not draw_over()) rendered at `size` x
/// `size` pixels over `view`; size * size values in [0, 1], row-major, row 0 at the top.
/// Throws std::invalid_argument for size < 1.
std::vector<float> render_frame(const Env& env, int size, const Bounds& view);

}  // namespace dynalab
