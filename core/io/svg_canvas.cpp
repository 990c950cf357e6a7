#include "core/io/svg_canvas.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/io/svg_text.h"

namespace dynalab {

namespace {

/// At most 2 decimals, trailing zeros and point dropped, never "-0": 12.5, 3, -0.25.
std::string short_num(double v) {
  std::string s = svg_num(v);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

/// Alpha as an opacity attribute value, 3 decimals at most.
std::string opacity(float a) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", double(std::clamp(a, 0.0f, 1.0f)));
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

/// ` fill="#rrggbb"` (+ fill-opacity) or ` fill="none"`.
std::string fill_attr(Color c) {
  if (c.a <= 0) return " fill=\"none\"";
  std::string s = " fill=\"" + svg_rgb(c) + "\"";
  if (c.a < 1) s += " fill-opacity=\"" + opacity(c.a) + "\"";
  return s;
}

/// ` stroke=...` with width and opacity, or "" for no outline.
std::string stroke_attr(Color c, double width) {
  if (c.a <= 0) return "";
  std::string s = " stroke=\"" + svg_rgb(c) + "\" stroke-width=\"" + short_num(width) + "\"";
  if (c.a < 1) s += " stroke-opacity=\"" + opacity(c.a) + "\"";
  return s;
}

}  // namespace

SvgCanvas::SvgCanvas(Bounds world, int width_px, int height_px, double margin_px, float text_px,
                     Color background)
    : width_(std::max(width_px, 1)), height_(std::max(height_px, 1)), text_px_(text_px) {
  const double wx = std::max(world.hi.x - world.lo.x, 1e-9);
  const double wy = std::max(world.hi.y - world.lo.y, 1e-9);
  const double aw = std::max(width_ - 2 * margin_px, 1.0), ah = std::max(height_ - 2 * margin_px, 1.0);
  scale_ = std::min(aw / wx, ah / wy);
  x0_ = margin_px + (aw - wx * scale_) / 2 - world.lo.x * scale_;
  y0_ = margin_px + (ah - wy * scale_) / 2 + world.hi.y * scale_;
  if (background.a > 0)
    body_ += "<rect width=\"" + std::to_string(width_) + "\" height=\"" + std::to_string(height_) +
             "\"" + fill_attr(background) + "/>\n";
}

Vec2 SvgCanvas::to_px(Vec2 w) const { return {x0_ + w.x * scale_, y0_ - w.y * scale_}; }

namespace {
std::string points_attr(const SvgCanvas& c, std::span<const Vec2> points) {
  std::string s;
  for (size_t i = 0; i < points.size(); ++i) {
    const Vec2 p = c.to_px(points[i]);
    if (i) s += ' ';
    s += short_num(p.x) + "," + short_num(p.y);
  }
  return s;
}
}  // namespace

void SvgCanvas::polygon(std::span<const Vec2> points, Color fill, Color outline) {
  if (points.size() < 2 || (fill.a <= 0 && outline.a <= 0)) return;
  body_ += "<polygon points=\"" + points_attr(*this, points) + "\"" + fill_attr(fill) +
           stroke_attr(outline, 1.5) + " stroke-linejoin=\"round\"/>\n";
}

void SvgCanvas::circle(Vec2 center, double radius, Color fill, Color outline) {
  if (fill.a <= 0 && outline.a <= 0) return;
  const Vec2 c = to_px(center);
  body_ += "<circle cx=\"" + short_num(c.x) + "\" cy=\"" + short_num(c.y) + "\" r=\"" + short_num(radius * scale_) +
           "\"" + fill_attr(fill) + stroke_attr(outline, 1.5) + "/>\n";
}

void SvgCanvas::segment(Vec2 a, Vec2 b, Color color, float width_px) {
  if (color.a <= 0) return;
  const Vec2 p = to_px(a), q = to_px(b);
  body_ += "<line x1=\"" + short_num(p.x) + "\" y1=\"" + short_num(p.y) + "\" x2=\"" + short_num(q.x) + "\" y2=\"" +
           short_num(q.y) + "\"" + stroke_attr(color, width_px) + " stroke-linecap=\"round\"/>\n";
}

void SvgCanvas::polyline(std::span<const Vec2> points, Color color, float width_px) {
  if (points.size() < 2 || color.a <= 0) return;
  body_ += "<polyline points=\"" + points_attr(*this, points) + "\" fill=\"none\"" +
           stroke_attr(color, width_px) + " stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n";
}

void SvgCanvas::rect(Vec2 lo, Vec2 hi, Color fill, Color outline) {
  if (fill.a <= 0 && outline.a <= 0) return;
  const Vec2 a = to_px(lo), b = to_px(hi);
  body_ += "<rect x=\"" + short_num(std::min(a.x, b.x)) + "\" y=\"" + short_num(std::min(a.y, b.y)) +
           "\" width=\"" + short_num(std::abs(b.x - a.x)) + "\" height=\"" + short_num(std::abs(b.y - a.y)) +
           "\"" + fill_attr(fill) + stroke_attr(outline, 1.0) + "/>\n";
}

namespace {
std::string text_element(const SvgCanvas& c, Vec2 at, std::string_view text, Color color,
                         double px, const char* anchor) {
  const Vec2 p = c.to_px(at);
  return "<text x=\"" + short_num(p.x) + "\" y=\"" + short_num(p.y) + "\" font-size=\"" + short_num(px) +
         "\" font-family=\"sans-serif\" text-anchor=\"" + anchor + "\" dominant-baseline=\"central\"" +
         fill_attr(color) + ">" + svg_escape(std::string(text)) + "</text>\n";
}
}  // namespace

double SvgCanvas::text_px(float size) const {
  // Text grows with the zoom within limits, as in the app.
  return std::clamp(0.45 * scale_, double(text_px_), 2.5 * text_px_) * size;
}

double SvgCanvas::text_height(float size) const { return text_px(size) / scale_; }

void SvgCanvas::text(Vec2 at, std::string_view text, Color color, float size) {
  if (color.a <= 0 || text.empty()) return;
  body_ += text_element(*this, at, text, color, text_px(size), "middle");
}

void SvgCanvas::text_left(Vec2 at, std::string_view text, Color color, float size) {
  if (color.a <= 0 || text.empty()) return;
  body_ += text_element(*this, at, text, color, text_px(size), "start");
}

void SvgCanvas::arrow(Vec2 from, Vec2 to, Color color, float width_px) {
  if (color.a <= 0) return;
  const Vec2 a = to_px(from), b = to_px(to);
  const double dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1e-3) return;
  const double head = std::min(len * 0.45, 4.0 * width_px + 4.0);
  const double ux = dx / len, uy = dy / len;
  const Vec2 base{b.x - ux * head, b.y - uy * head};
  const Vec2 l{base.x - uy * head * 0.6, base.y + ux * head * 0.6};
  const Vec2 r{base.x + uy * head * 0.6, base.y - ux * head * 0.6};
  body_ += "<g class=\"arrow\"><line x1=\"" + short_num(a.x) + "\" y1=\"" + short_num(a.y) + "\" x2=\"" +
           short_num(base.x) + "\" y2=\"" + short_num(base.y) + "\"" + stroke_attr(color, width_px) +
           "/><polygon points=\"" + short_num(b.x) + "," + short_num(b.y) + " " + short_num(l.x) + "," + short_num(l.y) +
           " " + short_num(r.x) + "," + short_num(r.y) + "\"" + fill_attr(color) + "/></g>\n";
}

std::string SvgCanvas::svg() const {
  const std::string w = std::to_string(width_), h = std::to_string(height_);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
         "\" viewBox=\"0 0 " + w + " " + h + "\">\n" + body_ + "</svg>\n";
}

}  // namespace dynalab
