#include "app/gui/heatmap.h"

#include <algorithm>
#include <cmath>

#include "core/figure_layout.h"

namespace dynalab {

namespace {
constexpr ImU32 kInk = IM_COL32(25, 25, 30, 255);
constexpr ImU32 kMuted = IM_COL32(90, 90, 100, 255);
constexpr ImU32 kFrame = IM_COL32(60, 60, 70, 255);
}  // namespace

ImU32 heat_colour(double t, float alpha) {
  const Color c = heat_color(t);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha));
}

namespace {
// One heat map's layout in screen pixels and the mapping of data into it; the drawing steps
// below share it.
struct HeatArea {
  const HeatmapData& h;
  ImDrawList* dl;
  float fh, line_scale;
  double lo, hi;                   // colour range (log10 if asked)
  float left, right, top, bottom;  // the map rectangle
  float bar_w;

  double xspan() const { return h.x_hi - h.x_lo; }
  double yspan() const { return h.y_hi - h.y_lo; }
  float cw() const { return (right - left) / h.nx; }
  float ch() const { return (bottom - top) / h.ny; }
  float sx(double x) const { return float(left + (x - h.x_lo) / xspan() * (right - left)); }
  float sy(double y) const { return float(bottom - (y - h.y_lo) / yspan() * (bottom - top)); }
  float dot_radius() const { return 2.2f * line_scale; }

  void cells() const;
  void arrows() const;
  void points() const;
  void axes(const std::vector<double>& yticks, double ystep, float label_y) const;
  void colour_bar(const std::vector<double>& cticks, double cstep) const;
  void points_legend(float header_right, float header_y) const;
  void hover_readout() const;
};

// Colour bar tick labels; a log colour has ticks on whole decades only, labelled 1, 10, 1e-3...
std::string colour_label(const HeatmapData& h, double t, double cstep) {
  if (!h.log_colour) return format_tick(t, cstep);
  const int e = int(std::lround(t));
  return e == 0 ? "1" : e == 1 ? "10" : "1e" + std::to_string(e);
}

void HeatArea::cells() const {
  for (int iy = 0; iy < h.ny; ++iy)
    for (int ix = 0; ix < h.nx; ++ix) {
      const double c = heatmap_colour_value(h, h.values[size_t(iy) * h.nx + ix]);
      const float x0 = left + ix * cw(), y1 = bottom - iy * ch();
      // Cells overlap by half a pixel so no background seams show between them.
      dl->AddRectFilled(ImVec2(x0, y1 - ch() - 0.5f), ImVec2(x0 + cw() + 0.5f, y1),
                        heat_colour(std::isfinite(c) ? (c - lo) / (hi - lo) : 0));
    }
}

// Vertical arrows over blocks of arrow_stride x arrow_stride cells, from the block's centre cell:
// white with a dark outline, readable on every colour of the scale.
void HeatArea::arrows() const {
  if (int(h.arrows.size()) < h.nx * h.ny) return;
  const int k = std::max(1, h.arrow_stride);
  const float reach = 0.45f * k * std::min(cw(), ch());
  for (int iy = k / 2; iy < h.ny; iy += k)
    for (int ix = k / 2; ix < h.nx; ix += k) {
      const double a = std::clamp(h.arrows[size_t(iy) * h.nx + ix], -1.0, 1.0);
      const ImVec2 c(left + (ix + 0.5f) * cw(), bottom - (iy + 0.5f) * ch());
      const float len = float(a) * reach, head = std::min(std::abs(len), 0.35f * reach);
      if (std::abs(len) < 1.5f) {  // no push: a dot
        dl->AddCircleFilled(c, 1.8f * line_scale, IM_COL32(255, 255, 255, 230), 6);
        continue;
      }
      const float dir = len > 0 ? -1.0f : 1.0f;  // screen y grows down
      const ImVec2 tip(c.x, c.y + dir * std::abs(len));
      for (const auto& [col, w] : {std::pair{IM_COL32(0, 0, 0, 200), 3.6f},
                                   std::pair{IM_COL32(255, 255, 255, 240), 1.6f}}) {
        dl->AddLine(c, tip, col, w * line_scale);
        dl->AddLine(tip, ImVec2(tip.x - head * 0.6f, tip.y - dir * head), col, w * line_scale);
        dl->AddLine(tip, ImVec2(tip.x + head * 0.6f, tip.y - dir * head), col, w * line_scale);
      }
    }
}

// Points on top, clipped to the map: small dark-edged dots visible on any colour.
void HeatArea::points() const {
  dl->PushClipRect(ImVec2(left, top), ImVec2(right, bottom), true);
  const float r = dot_radius();
  for (size_t i = 0; i < std::min(h.px.size(), h.py.size()); ++i) {
    const ImVec2 c(sx(h.px[i]), sy(h.py[i]));
    dl->AddCircleFilled(c, r + 1.0f, IM_COL32(0, 0, 0, 160), 8);
    dl->AddCircleFilled(c, r, h.point_colour, 8);
  }
  if (h.has_marker) {
    const ImVec2 c(sx(h.marker_x), sy(h.marker_y));
    const float m = fh * 0.6f;
    for (ImU32 col : {IM_COL32(0, 0, 0, 255), IM_COL32(255, 90, 20, 255)}) {
      const float w = (col == IM_COL32(0, 0, 0, 255) ? 5.0f : 2.5f) * line_scale;
      dl->AddLine(ImVec2(c.x - m, c.y - m), ImVec2(c.x + m, c.y + m), col, w);
      dl->AddLine(ImVec2(c.x - m, c.y + m), ImVec2(c.x + m, c.y - m), col, w);
    }
  }
  dl->PopClipRect();
}

// The frame, axis ticks and labels; `label_y`: where the x label goes.
void HeatArea::axes(const std::vector<double>& yticks, double ystep, float label_y) const {
  dl->AddRect(ImVec2(left, top), ImVec2(right, bottom), kFrame, 0, 0, 1.0f);
  for (double t : yticks) {
    const float y = sy(t);
    const std::string s = format_tick(t, ystep);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    dl->AddLine(ImVec2(left - 4, y), ImVec2(left, y), kFrame);
    dl->AddText(ImVec2(left - ts.x - fh * 0.35f, y - ts.y * 0.5f), kInk, s.c_str());
  }
  const auto xticks = nice_ticks(h.x_lo, h.x_hi, std::max(2, int((right - left) / (fh * 4.5f))));
  const double xstep = xticks.size() > 1 ? xticks[1] - xticks[0] : 1;
  for (double t : xticks) {
    const float x = sx(t);
    const std::string s = format_tick(t, xstep);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    dl->AddLine(ImVec2(x, bottom), ImVec2(x, bottom + 4), kFrame);
    dl->AddText(ImVec2(x - ts.x * 0.5f, bottom + fh * 0.15f), kInk, s.c_str());
  }
  const std::string xl = h.x_label + "   (y: " + h.y_label + ")";
  const ImVec2 xls = ImGui::CalcTextSize(xl.c_str());
  dl->AddText(ImVec2((left + right - xls.x) * 0.5f, label_y), kMuted, xl.c_str());
}

// Colour bar with ticks (its unit is written above it by draw_heatmap).
void HeatArea::colour_bar(const std::vector<double>& cticks, double cstep) const {
  const float bx = right + fh * 0.6f;
  const int strips = 48;
  for (int i = 0; i < strips; ++i) {
    const float y0 = bottom - (bottom - top) * (i + 1) / strips,
                y1 = bottom - (bottom - top) * i / strips;
    dl->AddRectFilled(ImVec2(bx, y0 - 0.5f), ImVec2(bx + bar_w, y1),
                      heat_colour((i + 0.5) / strips));
  }
  dl->AddRect(ImVec2(bx, top), ImVec2(bx + bar_w, bottom), kFrame);
  for (double t : cticks) {
    if (t < lo - 1e-12 || t > hi + 1e-12) continue;
    const float y = float(bottom - (t - lo) / (hi - lo) * (bottom - top));
    const std::string s = colour_label(h, t, cstep);
    dl->AddLine(ImVec2(bx + bar_w, y), ImVec2(bx + bar_w + 4, y), kFrame);
    dl->AddText(ImVec2(bx + bar_w + 6, y - fh * 0.5f), kInk, s.c_str());
  }
}

// Legend for the points: on the header's second line, left of the colour bar's unit, when it
// fits there (off the data); else bottom left inside the map. `header_right`: where the unit
// starts; `header_y`: the second line.
void HeatArea::points_legend(float header_right, float header_y) const {
  if (h.points_label.empty() || h.px.empty()) return;
  const float r = dot_radius();
  const ImVec2 ts = ImGui::CalcTextSize(h.points_label.c_str());
  const bool header = left + ts.x + fh * 2.1f < header_right;
  const ImVec2 a = header ? ImVec2(left - fh * 0.3f, header_y - 2) : ImVec2(left + 4, bottom - ts.y - 8);
  dl->AddRectFilled(a, ImVec2(a.x + ts.x + fh * 1.6f, a.y + ts.y + 4),
                    IM_COL32(255, 255, 255, 210), 3);
  const ImVec2 c(a.x + fh * 0.6f, a.y + 2 + ts.y * 0.5f);
  dl->AddCircleFilled(c, r + 1.0f, IM_COL32(0, 0, 0, 160), 8);
  dl->AddCircleFilled(c, r, h.point_colour, 8);
  dl->AddText(ImVec2(a.x + fh * 1.2f, a.y + 2), kInk, h.points_label.c_str());
}

// Hover read-out of the cell under the mouse.
void HeatArea::hover_readout() const {
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (!(m.x >= left && m.x < right && m.y > top && m.y <= bottom)) return;
  const int ix = std::clamp(int((m.x - left) / cw()), 0, h.nx - 1);
  const int iy = std::clamp(int((bottom - m.y) / ch()), 0, h.ny - 1);
  ImGui::SetTooltip("%s = %.3g, %s = %.3g\n%s: %.4g", h.x_label.c_str(),
                    h.x_lo + (ix + 0.5) * xspan() / h.nx, h.y_label.c_str(),
                    h.y_lo + (iy + 0.5) * yspan() / h.ny, h.value_label.c_str(),
                    h.values[size_t(iy) * h.nx + ix]);
}
}  // namespace

void draw_heatmap(const char* id, const HeatmapData& h, ImVec2 size, float line_scale) {
  ImGui::PushID(id);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("heatmap", ImVec2(std::max(size.x, 10.f), std::max(size.y, 10.f)));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 255), 4.0f);
  const float fh = ImGui::GetFontSize();
  double lo = 0, hi = 1;  // colour range (log10 if asked), from the data unless given
  heatmap_colour_range(h, lo, hi);
  // Layout: title on top, colour bar on the right, tick labels left and below.
  const float bar_w = fh * 0.9f;
  const auto cticks = nice_ticks(lo, hi, std::max(2, int(size.y / (fh * 3.0f))), h.log_colour);
  const double cstep = cticks.size() > 1 ? cticks[1] - cticks[0] : 1;
  float ctw = 0;
  for (double t : cticks)
    ctw = std::max(ctw, ImGui::CalcTextSize(colour_label(h, t, cstep).c_str()).x);
  const auto yticks = nice_ticks(h.y_lo, h.y_hi, std::max(2, int(size.y / (fh * 3.0f))));
  const double ystep = yticks.size() > 1 ? yticks[1] - yticks[0] : 1;
  float ytw = 0;
  for (double t : yticks) ytw = std::max(ytw, ImGui::CalcTextSize(format_tick(t, ystep).c_str()).x);
  const float right = h.colour_bar ? p1.x - bar_w - ctw - fh * 1.6f : p1.x - fh * 0.6f;
  const HeatArea a{h,  dl, fh, line_scale, lo, hi, p0.x + ytw + fh * 0.8f,
                   right, p0.y + fh * 2.7f, p1.y - fh * 2.5f, bar_w};
  dl->AddText(ImVec2(a.left, p0.y + fh * 0.2f), kInk, h.title.c_str());
  // The colour bar's unit on the second line, right-aligned over the bar.
  const ImVec2 us = ImGui::CalcTextSize(h.value_label.c_str());
  const float unit_x = h.colour_bar ? std::max(a.left, p1.x - us.x - fh * 0.3f) : p1.x;
  if (h.colour_bar) dl->AddText(ImVec2(unit_x, p0.y + fh * 1.35f), kMuted, h.value_label.c_str());
  if (a.right - a.left < 20 || a.bottom - a.top < 20 || h.nx <= 0 || h.ny <= 0 ||
      int(h.values.size()) < h.nx * h.ny || !(a.xspan() > 0) || !(a.yspan() > 0)) {
    dl->AddText(ImVec2(p0.x + fh, p0.y + size.y * 0.5f), kMuted, "no data yet");
    ImGui::PopID();
    return;
  }
  a.cells();
  a.arrows();
  a.points();
  a.axes(yticks, ystep, p1.y - fh * 1.2f);
  if (h.colour_bar) a.colour_bar(cticks, cstep);
  a.points_legend(unit_x, p0.y + fh * 1.35f);
  if (hovered) a.hover_readout();
  ImGui::PopID();
}

}  // namespace dynalab
