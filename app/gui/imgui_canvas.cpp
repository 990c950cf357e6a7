#include "app/gui/imgui_canvas.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dynalab {

void ViewTransform::fit(const Bounds& b, float margin) {
  center = {(b.lo.x + b.hi.x) * 0.5, (b.lo.y + b.hi.y) * 0.5};
  const double w = std::max(1e-9, b.hi.x - b.lo.x), h = std::max(1e-9, b.hi.y - b.lo.y);
  scale = std::max(1e-6, std::min((size.x - 2 * margin) / w, (size.y - 2 * margin) / h));
}

void ViewTransform::zoom_at(ImVec2 at, double factor) {
  const Vec2 before = to_world(at);
  scale = std::clamp(scale * factor, 1e-3, 1e6);
  const Vec2 after = to_world(at);
  center.x += before.x - after.x;
  center.y += before.y - after.y;
}

void ImGuiCanvas::polygon(std::span<const Vec2> points, Color fill, Color outline) {
  if (points.size() < 2) return;
  std::vector<ImVec2> pts;
  pts.reserve(points.size());
  for (const auto& p : points) pts.push_back(view_.to_screen(p));
  if (fill.a > 0) dl_->AddConvexPolyFilled(pts.data(), int(pts.size()), to_imu32(fill));
  if (outline.a > 0)
    dl_->AddPolyline(pts.data(), int(pts.size()), to_imu32(outline), ImDrawFlags_Closed,
                     1.5f * line_scale_);
}

void ImGuiCanvas::circle(Vec2 center, double radius, Color fill, Color outline) {
  const ImVec2 c = view_.to_screen(center);
  const float r = float(radius * view_.scale);
  // Under half a pixel nothing shows, and ImGui 1.86 divides by zero on such radii (SIGFPE).
  if (!(r >= 0.5f) || !std::isfinite(c.x) || !std::isfinite(c.y)) return;
  if (fill.a > 0) dl_->AddCircleFilled(c, r, to_imu32(fill), 0);
  if (outline.a > 0) dl_->AddCircle(c, r, to_imu32(outline), 0, 1.5f * line_scale_);
}

void ImGuiCanvas::segment(Vec2 a, Vec2 b, Color color, float width_px) {
  dl_->AddLine(view_.to_screen(a), view_.to_screen(b), to_imu32(color), width_px * line_scale_);
}

void ImGuiCanvas::polyline(std::span<const Vec2> points, Color color, float width_px) {
  if (points.size() < 2) return;
  std::vector<ImVec2> pts;
  pts.reserve(points.size());
  for (const auto& p : points) pts.push_back(view_.to_screen(p));
  dl_->AddPolyline(pts.data(), int(pts.size()), to_imu32(color), ImDrawFlags_None,
                   width_px * line_scale_);
}

void ImGuiCanvas::rect(Vec2 lo, Vec2 hi, Color fill, Color outline) {
  const ImVec2 a = view_.to_screen({lo.x, hi.y}),
               b = view_.to_screen({hi.x, lo.y});  // top-left, bottom-right
  if (fill.a > 0) dl_->AddRectFilled(a, b, to_imu32(fill));
  if (outline.a > 0) dl_->AddRect(a, b, to_imu32(outline), 0, 0, 1.0f * line_scale_);
}

namespace {
// Text grows with the zoom (a maze label stays proportional to its cell) within readable limits.
float text_pixels(double scale, float text_px, float size) {
  return std::clamp(float(0.45 * scale), text_px, 2.5f * text_px) * size;
}
}  // namespace

void ImGuiCanvas::text(Vec2 at, std::string_view text, Color color, float size) {
  ImFont* font = ImGui::GetFont();
  const float px = text_pixels(view_.scale, text_px_, size);
  const char* b = text.data();
  const char* e = b + text.size();
  const ImVec2 sz = font->CalcTextSizeA(px, 1e9f, 0, b, e);
  const ImVec2 c = view_.to_screen(at);
  dl_->AddText(font, px, ImVec2(c.x - sz.x * 0.5f, c.y - sz.y * 0.5f), to_imu32(color), b, e);
}

void ImGuiCanvas::text_left(Vec2 at, std::string_view text, Color color, float size) {
  ImFont* font = ImGui::GetFont();
  const float px = text_pixels(view_.scale, text_px_, size);
  const char* b = text.data();
  const char* e = b + text.size();
  const ImVec2 sz = font->CalcTextSizeA(px, 1e9f, 0, b, e);
  const ImVec2 c = view_.to_screen(at);
  dl_->AddText(font, px, ImVec2(c.x, c.y - sz.y * 0.5f), to_imu32(color), b, e);
}

double ImGuiCanvas::text_height(float size) const {
  return text_pixels(view_.scale, text_px_, size) / view_.scale;
}

void ImGuiCanvas::arrow(Vec2 from, Vec2 to, Color color, float width_px) {
  const ImVec2 a = view_.to_screen(from), b = view_.to_screen(to);
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1e-3f) return;
  const float w = width_px * line_scale_;
  const float head = std::min(len * 0.45f, 4.0f * w + 4.0f);
  const float ux = dx / len, uy = dy / len;
  const ImVec2 base(b.x - ux * head, b.y - uy * head);
  dl_->AddLine(a, base, to_imu32(color), w);
  const ImVec2 l(base.x - uy * head * 0.6f, base.y + ux * head * 0.6f),
      r(base.x + uy * head * 0.6f, base.y - ux * head * 0.6f);
  dl_->AddTriangleFilled(b, l, r, to_imu32(color));
}

}  // namespace dynalab
