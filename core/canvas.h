#pragma once
// The drawing sink of dynalab, Box2D's debug-draw idea: envs and overlays draw into a Canvas in
// world units (y up), and the core never touches OpenGL. The app implements it over an
// ImDrawList, the tests with a recorder, the exporter as SVG.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>

namespace dynalab {

struct Vec2 {
  double x = 0, y = 0;
};

/// An RGBA colour, each channel in [0, 1].
struct Color {
  float r = 1, g = 1, b = 1, a = 1;
  constexpr Color with_alpha(float alpha) const { return {r, g, b, alpha}; }
};

/// The colour a fraction `t` (0..1) of the way from `a` to `b`, channel by channel.
constexpr Color mix(Color a, Color b, float t) {
  return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t, a.a + (b.a - a.a) * t};
}

/// The project's palette, so every view uses the same colours for the same things.
namespace palette {
inline constexpr Color none{0, 0, 0, 0};
inline constexpr Color wall{0.22f, 0.24f, 0.30f, 1};
inline constexpr Color floor{0.96f, 0.96f, 0.94f, 1};
inline constexpr Color grid_line{0.80f, 0.80f, 0.78f, 1};
inline constexpr Color agent{0.90f, 0.33f, 0.05f, 1};
inline constexpr Color start{0.20f, 0.55f, 0.95f, 1};
inline constexpr Color goal{0.15f, 0.70f, 0.30f, 1};
inline constexpr Color body{0.55f, 0.62f, 0.75f, 1};
inline constexpr Color body_outline{0.15f, 0.18f, 0.25f, 1};
inline constexpr Color ground{0.45f, 0.38f, 0.30f, 1};
inline constexpr Color joint{0.85f, 0.20f, 0.20f, 1};
inline constexpr Color text{0.10f, 0.10f, 0.12f, 1};
inline constexpr Color plan{0.10f, 0.35f, 0.85f, 1};
inline constexpr Color danger{0.85f, 0.10f, 0.10f, 1};
}  // namespace palette

/// Abstract drawing sink in world units. Line widths are in screen pixels (scaled by the
/// front end, e.g. thicker in presentation mode); text size is relative (1 = normal).
class Canvas {
 public:
  virtual ~Canvas() = default;
  /// A filled convex polygon with an outline (pass palette::none to skip either).
  virtual void polygon(std::span<const Vec2> points, Color fill, Color outline) = 0;
  /// A filled circle of the given radius (world units) with an outline.
  virtual void circle(Vec2 center, double radius, Color fill, Color outline) = 0;
  /// A straight line from a to b.
  virtual void segment(Vec2 a, Vec2 b, Color color, float width_px = 1.5f) = 0;
  /// An open polyline through the points.
  virtual void polyline(std::span<const Vec2> points, Color color, float width_px = 1.5f) = 0;
  /// An axis-aligned rectangle from lo to hi (a grid cell).
  virtual void rect(Vec2 lo, Vec2 hi, Color fill, Color outline) = 0;
  /// Text anchored at its centre.
  virtual void text(Vec2 at, std::string_view text, Color color, float size = 1.0f) = 0;
  /// Text whose left end is at `at`, centred vertically on it (the lines of a legend). The
  /// default shifts centred text by an estimate of half its width.
  virtual void text_left(Vec2 at, std::string_view s, Color color, float size = 1.0f) {
    text({at.x + 0.28 * text_height(size) * double(s.size()), at.y}, s, color, size);
  }
  /// The height in world units of a line of text of relative `size`, so drawings can stack
  /// lines without overlap; 0 if the canvas cannot tell.
  virtual double text_height(float size = 1.0f) const {
    (void)size;
    return 0.0;
  }
  /// The height in world units of a line of the UI's text of relative `size`, which does not
  /// grow with the zoom as text() does (a key or a caption). Default: text_height(size).
  virtual double ui_text_height(float size = 1.0f) const { return text_height(size); }
  /// An arrow from `from` to `to` with a head at `to`.
  virtual void arrow(Vec2 from, Vec2 to, Color color, float width_px = 1.5f) = 0;
};

/// A dashed line from a to b in `pieces` equal pieces (at least 1), every other one drawn,
/// starting with a drawn one.
inline void dashed_segment(Canvas& canvas, Vec2 a, Vec2 b, int pieces, Color color, float width_px = 1.5f) {
  const int n = pieces < 1 ? 1 : pieces;
  for (int k = 0; k < n; k += 2) {
    const double t0 = double(k) / n, t1 = double(k + 1) / n;
    canvas.segment({a.x + t0 * (b.x - a.x), a.y + t0 * (b.y - a.y)}, {a.x + t1 * (b.x - a.x), a.y + t1 * (b.y - a.y)},
                   color, width_px);
  }
}

/// World-space axis-aligned bounds, used to fit a view to a world.
struct Bounds {
  Vec2 lo{0, 0}, hi{1, 1};
};

/// A `size` x `size` grayscale image (values in [0, 1], row-major, row 0 at the top: a camera
/// frame, core/raster_canvas.h) filling `box`, on black, outlined in `outline`. Near-black
/// pixels are left to the black square under them: a pendulum frame is mostly black, so an SVG
/// or a draw list holds the pole, not a thousand black cells. Nothing but the square and the
/// outline for fewer than size * size values.
inline void gray_image(Canvas& canvas, std::span<const float> pixels, int size, Bounds box, Color outline) {
  constexpr float kBlackLevel = 0.02f;
  canvas.rect(box.lo, box.hi, Color{0, 0, 0, 1}, palette::none);
  if (size > 0 && pixels.size() >= size_t(size) * size_t(size)) {
    const double p = (box.hi.x - box.lo.x) / size;
    for (int r = 0; r < size; ++r)
      for (int c = 0; c < size; ++c) {
        const float v = pixels[size_t(r) * size_t(size) + size_t(c)];
        if (!(v > kBlackLevel)) continue;
        const float g = v < 1 ? v : 1;
        const Vec2 lo{box.lo.x + c * p, box.hi.y - (r + 1) * p};
        canvas.rect(lo, {lo.x + p, lo.y + p}, Color{g, g, g, 1}, palette::none);
      }
  }
  canvas.rect(box.lo, box.hi, palette::none, outline);
}

/// The relative text size at which `s` fits a slot `height` high and `width` wide (world units)
/// on `canvas`, at most `max_size`: a drawing that reserves a strip for a title draws it as large
/// as the strip allows, readable when zoomed and never running into its neighbour. The width
/// estimate is text_left's, 0.56 text heights per character. A canvas that cannot tell its text
/// height gets `max_size`.
inline float caption_size(const Canvas& canvas, std::string_view s, double height, double width,
                          float max_size = 1.0f) {
  const double h = canvas.text_height(1.0f);
  if (!(h > 0)) return max_size;
  const double chars = double(s.empty() ? 1 : s.size());
  const double fit = std::min(height / h, width / (0.56 * h * chars));
  return float(fit < max_size ? fit : max_size);
}

}  // namespace dynalab
