#include "core/raster_canvas.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/env.h"

namespace dynalab {

namespace {

/// Sutherland-Hodgman against one axis-aligned half plane: keeps the part of `in` where the
/// coordinate (y if kY, else x) is >= bound (kKeepAbove) or <= bound. Correct for any simple
/// polygon against this convex window: a concave input may gain degenerate edges along the
/// bound, which add no area.
template <bool kY, bool kKeepAbove>
void clip(const std::vector<Vec2>& in, std::vector<Vec2>& out, double bound) {
  out.clear();
  const size_t n = in.size();
  for (size_t i = 0; i < n; ++i) {
    const Vec2 a = in[i], b = in[i + 1 == n ? 0 : i + 1];
    const double da = (kY ? a.y : a.x) - bound, db = (kY ? b.y : b.x) - bound;
    const bool ina = kKeepAbove ? da >= 0 : da <= 0, inb = kKeepAbove ? db >= 0 : db <= 0;
    if (ina) out.push_back(a);
    if (ina != inb) {  // da != db here, so the division is safe
      const double t = da / (da - db);
      out.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
    }
  }
}

/// Absolute area of a polygon (shoelace), in squared raster pixels.
double area(const std::vector<Vec2>& p) {
  double s = 0;
  for (size_t i = 0, n = p.size(); i < n; ++i) {
    const Vec2 a = p[i], b = p[i + 1 == n ? 0 : i + 1];
    s += a.x * b.y - b.x * a.y;
  }
  return 0.5 * std::abs(s);
}

}  // namespace

RasterCanvas::RasterCanvas(int width, int height, Bounds view, double line_scale)
    : width_(width), height_(height), view_(view) {
  if (width < 1 || height < 1)
    throw std::invalid_argument("RasterCanvas: width and height must be at least 1");
  const double w = view.hi.x - view.lo.x, h = view.hi.y - view.lo.y;
  if (!(w > 0 && h > 0 && std::isfinite(w) && std::isfinite(h)))
    throw std::invalid_argument("RasterCanvas: the view must have a finite, positive width and height");
  sx_ = width / w;
  sy_ = height / h;
  line_scale_ = line_scale > 0 ? line_scale : std::max(width, height) / kReferencePanePx;
  pixels_.assign(size_t(width) * height, 0.0f);
}

void RasterCanvas::clear() { std::fill(pixels_.begin(), pixels_.end(), 0.0f); }

void RasterCanvas::fill_pixels(std::span<const Vec2> px, float lum, float alpha) {
  if (px.size() < 3 || !(alpha > 0)) return;
  // Rec. 709's weights sum to 1 only up to float rounding: keep white at 1, pixels in [0, 1].
  lum = std::clamp(lum, 0.0f, 1.0f);
  alpha = std::min(alpha, 1.0f);
  double x0 = px[0].x, x1 = x0, y0 = px[0].y, y1 = y0;
  for (const Vec2& p : px) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return;
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  const int r0 = std::max(0, int(std::floor(std::max(y0, -1.0)))),
            r1 = std::min(height_, int(std::ceil(std::min(y1, double(height_) + 1))));
  const int c0 = std::max(0, int(std::floor(std::max(x0, -1.0)))),
            c1 = std::min(width_, int(std::ceil(std::min(x1, double(width_) + 1))));
  if (r0 >= r1 || c0 >= c1) return;
  poly_.assign(px.begin(), px.end());
  std::vector<Vec2>& tmp = tmp_;
  for (int r = r0; r < r1; ++r) {
    // The row's strip of the shape first, so each pixel clips only that small piece.
    clip<true, true>(poly_, tmp, r);
    clip<true, false>(tmp, strip_, r + 1.0);
    if (strip_.size() < 3) continue;
    double sx0 = strip_[0].x, sx1 = sx0;
    for (const Vec2& p : strip_) sx0 = std::min(sx0, p.x), sx1 = std::max(sx1, p.x);
    const int a = std::max(c0, int(std::floor(sx0))), b = std::min(c1, int(std::ceil(sx1)));
    float* row = &pixels_[size_t(r) * width_];
    for (int c = a; c < b; ++c) {
      clip<false, true>(strip_, tmp, c);
      clip<false, false>(tmp, cell_, c + 1.0);
      if (cell_.size() < 3) continue;
      const double cover = std::min(1.0, area(cell_));
      if (cover <= 0) continue;
      const double w = alpha * cover;
      row[c] = float(std::clamp(row[c] * (1.0 - w) + lum * w, 0.0, 1.0));
    }
  }
}

void RasterCanvas::fill_box_pixels(double x0, double y0, double x1, double y1, float lum, float alpha) {
  if (!(alpha > 0) || !std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
  lum = std::clamp(lum, 0.0f, 1.0f);
  alpha = std::min(alpha, 1.0f);
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  const int r0 = std::max(0, int(std::floor(std::max(y0, -1.0)))),
            r1 = std::min(height_, int(std::ceil(std::min(y1, double(height_) + 1))));
  const int c0 = std::max(0, int(std::floor(std::max(x0, -1.0)))),
            c1 = std::min(width_, int(std::ceil(std::min(x1, double(width_) + 1))));
  for (int r = r0; r < r1; ++r) {
    const double cy = std::min(y1, r + 1.0) - std::max(y0, double(r));
    float* row = &pixels_[size_t(r) * width_];
    for (int c = c0; c < c1; ++c) {
      // The pixel's overlap with a box is a product of the overlaps along x and along y.
      const double cover = cy * (std::min(x1, c + 1.0) - std::max(x0, double(c)));
      if (cover <= 0) continue;
      const double w = alpha * std::min(1.0, cover);
      row[c] = float(std::clamp(row[c] * (1.0 - w) + lum * w, 0.0, 1.0));
    }
  }
}

void RasterCanvas::stroke_px(Vec2 a, Vec2 b, double width, Color color) {
  const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
  if (!(len > 1e-12) || !(width > 0) || color.a <= 0) return;
  // Grid lines and rectangle outlines are axis-aligned: a box, no clipping needed.
  if (dx == 0 || dy == 0) {
    const double hx = dx == 0 ? 0.5 * width : 0, hy = dy == 0 ? 0.5 * width : 0;
    fill_box_pixels(std::min(a.x, b.x) - hx, std::min(a.y, b.y) - hy, std::max(a.x, b.x) + hx,
                    std::max(a.y, b.y) + hy, luminance(color), color.a);
    return;
  }
  const double nx = -dy / len * 0.5 * width, ny = dx / len * 0.5 * width;
  const Vec2 quad[4] = {{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}};
  fill_pixels(quad, luminance(color), color.a);
}

void RasterCanvas::outline_px(std::span<const Vec2> px, double width, Color color) {
  if (color.a <= 0 || px.size() < 2) return;
  for (size_t i = 0; i < px.size(); ++i) stroke_px(px[i], px[(i + 1) % px.size()], width, color);
}

void RasterCanvas::polygon(std::span<const Vec2> points, Color fill, Color outline) {
  if (points.size() < 2) return;
  std::vector<Vec2>& px = px_;
  px.resize(points.size());
  for (size_t i = 0; i < points.size(); ++i) px[i] = to_px(points[i]);
  if (fill.a > 0) fill_pixels(px, luminance(fill), fill.a);
  outline_px(px, 1.5 * line_scale_, outline);
}

void RasterCanvas::circle(Vec2 center, double radius, Color fill, Color outline) {
  if (!(radius > 0) || (fill.a <= 0 && outline.a <= 0)) return;
  // Sides so that a chord is at most 0.01 px inside the circle: r (1 - cos(pi / n)) <= 0.01.
  const double r_px = radius * std::max(sx_, sy_), tol = 0.01;
  const double half_angle = tol >= r_px ? std::numbers::pi / 2 : std::acos(1.0 - tol / r_px);
  const int n = std::clamp(int(std::ceil(std::numbers::pi / half_angle)), 8, 1024);
  // The polygon's area (n / 2) r'^2 sin(2 pi / n) equals the circle's pi r^2.
  const double step = 2 * std::numbers::pi / n;
  const double r = radius * std::sqrt(step / std::sin(step));
  std::vector<Vec2>& px = px_;
  px.resize(n);
  for (int i = 0; i < n; ++i)
    px[i] = to_px({center.x + r * std::cos(i * step), center.y + r * std::sin(i * step)});
  if (fill.a > 0) fill_pixels(px, luminance(fill), fill.a);
  outline_px(px, 1.5 * line_scale_, outline);
}

void RasterCanvas::segment(Vec2 a, Vec2 b, Color color, float width_px) {
  stroke_px(to_px(a), to_px(b), width_px * line_scale_, color);
}

void RasterCanvas::polyline(std::span<const Vec2> points, Color color, float width_px) {
  for (size_t i = 0; i + 1 < points.size(); ++i) segment(points[i], points[i + 1], color, width_px);
}

void RasterCanvas::rect(Vec2 lo, Vec2 hi, Color fill, Color outline) {
  const Vec2 px[4] = {to_px(lo), to_px({hi.x, lo.y}), to_px(hi), to_px({lo.x, hi.y})};
  if (fill.a > 0) fill_box_pixels(px[0].x, px[0].y, px[2].x, px[2].y, luminance(fill), fill.a);
  outline_px(px, 1.0 * line_scale_, outline);
}

void RasterCanvas::arrow(Vec2 from, Vec2 to, Color color, float width_px) {
  if (color.a <= 0) return;
  const Vec2 a = to_px(from), b = to_px(to);
  const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
  if (!(len > 1e-9)) return;
  // SvgCanvas's head (at most 4 w + 4 screen pixels long), in raster pixels.
  const double head = std::min(len * 0.45, (4.0 * width_px + 4.0) * line_scale_);
  const double ux = dx / len, uy = dy / len;
  const Vec2 base{b.x - ux * head, b.y - uy * head};
  stroke_px(a, base, width_px * line_scale_, color);
  const Vec2 tri[3] = {b, {base.x - uy * head * 0.6, base.y + ux * head * 0.6},
                       {base.x + uy * head * 0.6, base.y - ux * head * 0.6}};
  fill_pixels(tri, luminance(color), color.a);
}

Bounds square_view(const Bounds& world) {
  const double cx = 0.5 * (world.lo.x + world.hi.x), cy = 0.5 * (world.lo.y + world.hi.y);
  const double half = 0.5 * std::max(world.hi.x - world.lo.x, world.hi.y - world.lo.y);
  return {{cx - half, cy - half}, {cx + half, cy + half}};
}

std::vector<float> render_frame(const Env& env, int size, const Bounds& view) {
  RasterCanvas canvas(size, size, view);
  env.draw(canvas);
  return canvas.pixels();
}

}  // namespace dynalab
