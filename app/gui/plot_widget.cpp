#include "app/gui/plot_widget.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/gui/imgui_canvas.h"
#include "core/figure_layout.h"

namespace dynalab {

namespace {
constexpr ImU32 kBackground = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kFrame = IM_COL32(60, 60, 70, 255);
constexpr ImU32 kGrid = IM_COL32(225, 225, 230, 255);
constexpr ImU32 kInk = IM_COL32(25, 25, 30, 255);
constexpr ImU32 kMuted = IM_COL32(90, 90, 100, 255);

// Index of the point of `s` whose x is nearest to `x` (series x need not be sorted).
int nearest(const Series& s, double x) {
  int best = -1;
  double bd = INFINITY;
  for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
    const double d = std::abs(s.x[i] - x);
    if (d < bd) bd = d, best = int(i);
  }
  return best;
}

// The legend's entries, size and where it goes. An empty corner inside the axes (the one with
// no data under it, top right first) when there is one; otherwise outside the data: beside the
// title when it fits there, else right of the axes when the plot is wide, else in rows above
// the axes. One series needs no legend: the title names it.
struct Legend {
  std::vector<size_t> listed;
  float label_w = 0, row = 0, swatch = 0, w = 0, h = 0;
  enum Where { none, corner, header, right_side, above } where = none;
  ImVec2 at{0, 0};  // top-left of the box (corner); the others are placed by plot_figure
  std::vector<float> entry_w;  // each entry's width in a row of entries (header and above)
  std::vector<ImVec2> offset;  // each entry's place relative to `at`: one per row by default

  /// Lays the entries out in rows of at most `width` pixels; returns the number of rows.
  int flow(float width) {
    float x = 0;
    int rows = 1;
    for (size_t r = 0; r < entry_w.size(); ++r) {
      if (x > 0 && x + entry_w[r] > width) x = 0, ++rows;
      offset[r] = ImVec2(x, row * (rows - 1));
      x += entry_w[r];
    }
    return rows;
  }
  float flow_width() const {
    float w = 0;
    for (float e : entry_w) w += e;
    return w;
  }
};

// One figure's axes area in screen pixels and the mapping of data into it; the drawing steps
// below share it.
struct PlotArea {
  const Figure& fig;
  const PlotStyle& style;
  FigureBounds b;
  ImDrawList* dl;
  float fh, lw;                     // font height, line width
  float left, right, top, bottom;  // the axes rectangle

  /// x in data units (log10 inside on a log axis); px: the plotted x, NaN where not drawn.
  double px(double x) const { return plotted_x(fig, x); }
  float sx(double x) const {
    return float(left + (px(x) - b.x_lo) / (b.x_hi - b.x_lo) * (right - left));
  }
  float sy(double y) const {
    return float(bottom - (y - b.y_lo) / (b.y_hi - b.y_lo) * (bottom - top));
  }
  SeriesStyle style_of(size_t i) const {
    SeriesStyle st = i < style.series.size() ? style.series[i] : SeriesStyle{};
    st.points = st.points || fig.points || (i < fig.series.size() && fig.series[i].markers);
    if (st.colour < 0 && i < fig.series.size()) st.colour = fig.series[i].colour;
    return st;
  }
  Color colour_of(size_t i) const {
    const int c = style_of(i).colour;
    return series_color(c >= 0 ? c : int(i));
  }

  void grid_and_ticks(const std::vector<double>& yticks, double ystep) const;
  void fills() const;
  void lines() const;
  int best_corner(Legend& g) const;
  void legend(const Legend& g) const;
  void hover_readout() const;
};

std::string y_tick_label(const Figure& fig, double v, double ystep) {
  return axis_tick_label(fig.log_y, v, ystep);
}

void PlotArea::grid_and_ticks(const std::vector<double>& yticks, double ystep) const {
  for (double t : yticks) {
    const float y = sy(plotted_y(fig, t));
    dl->AddLine(ImVec2(left, y), ImVec2(right, y), kGrid, 1.0f);
    const std::string s = y_tick_label(fig, t, ystep);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    dl->AddText(ImVec2(left - ts.x - fh * 0.35f, y - ts.y * 0.5f), kInk, s.c_str());
  }
  const auto xticks = x_axis_ticks(fig, b.x_lo, b.x_hi, std::max(2, int((right - left) / (fh * 4.5f))));
  const double xstep = xticks.size() > 1 ? xticks[1] - xticks[0] : 1;
  for (double t : xticks) {
    const float x = sx(t);
    dl->AddLine(ImVec2(x, top), ImVec2(x, bottom), kGrid, 1.0f);
    const std::string s = axis_tick_label(fig.log_x, t, xstep);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    dl->AddText(ImVec2(x - ts.x * 0.5f, bottom + fh * 0.15f), kInk, s.c_str());
  }
  dl->AddRect(ImVec2(left, top), ImVec2(right, bottom), kFrame, 0, 0, 1.0f);
}

// Bands and filled histograms first, under every line: one quad per x step.
void PlotArea::fills() const {
  // A series' own band (Series::band_lo/hi: a sweep's standard error) in its line's colour.
  for (size_t i = 0; i < fig.series.size(); ++i) {
    const Series& s = fig.series[i];
    if (!s.has_band()) continue;
    const ImU32 col = to_imu32(colour_of(i).with_alpha(style_of(i).fill_alpha * style_of(i).line_alpha));
    for (size_t k = 0; k + 1 < std::min(s.x.size(), s.band_lo.size()); ++k) {
      const double lo0 = plotted_y(fig, s.band_lo[k]), lo1 = plotted_y(fig, s.band_lo[k + 1]);
      const double hi0 = plotted_y(fig, s.band_hi[k]), hi1 = plotted_y(fig, s.band_hi[k + 1]);
      if (!std::isfinite(lo0 + lo1 + hi0 + hi1 + px(s.x[k]) + px(s.x[k + 1]))) continue;
      const float x0 = sx(s.x[k]), x1 = sx(s.x[k + 1]);
      const ImVec2 q[4] = {ImVec2(x0, sy(hi0)), ImVec2(x1, sy(hi1)), ImVec2(x1, sy(lo1)), ImVec2(x0, sy(lo0))};
      dl->AddConvexPolyFilled(q, 4, col);
    }
  }
  for (size_t i = 0; i < fig.series.size(); ++i) {
    const SeriesStyle st = style_of(i);
    if (st.fill_to == -1) continue;
    const Series& s = fig.series[i];
    const Series* o =
        st.fill_to >= 0 && st.fill_to < int(fig.series.size()) ? &fig.series[st.fill_to] : nullptr;
    if (st.fill_to >= 0 && !o) continue;
    const ImU32 col = to_imu32(colour_of(i).with_alpha(st.fill_alpha));
    const float y0 = sy(std::clamp(plotted_y(fig, 0.0), b.y_lo, b.y_hi));
    const size_t n = std::min(s.x.size(), s.y.size());
    for (size_t k = 0; k + 1 < n; ++k) {
      const double a0 = plotted_y(fig, s.y[k]), a1 = plotted_y(fig, s.y[k + 1]);
      double b0 = 0, b1 = 0;
      if (o) {
        if (k + 1 >= std::min(o->x.size(), o->y.size())) break;
        b0 = plotted_y(fig, o->y[k]), b1 = plotted_y(fig, o->y[k + 1]);
      }
      if (!std::isfinite(a0) || !std::isfinite(a1) || !std::isfinite(b0) || !std::isfinite(b1))
        continue;
      const float x0 = sx(s.x[k]), x1 = sx(s.x[k + 1]);
      const ImVec2 q[4] = {ImVec2(x0, sy(a0)), ImVec2(x1, sy(a1)), ImVec2(x1, o ? sy(b1) : y0),
                           ImVec2(x0, o ? sy(b0) : y0)};
      dl->AddConvexPolyFilled(q, 4, col);
    }
  }
}

void PlotArea::lines() const {
  // A band's two edges stay hairlines: the fill carries it.
  std::vector<bool> band_edge(fig.series.size(), false);
  for (size_t i = 0; i < fig.series.size(); ++i) {
    const int t = style_of(i).fill_to;
    if (t >= 0 && t < int(fig.series.size())) band_edge[i] = band_edge[t] = true;
  }
  std::vector<ImVec2> pts;
  for (size_t i = 0; i < fig.series.size(); ++i) {
    const Series& s = fig.series[i];
    const ImU32 col = to_imu32(colour_of(i).with_alpha(style_of(i).line_alpha));
    const float w = band_edge[i] ? std::max(1.0f, lw * 0.4f) : lw * style_of(i).line_width;
    if (style_of(i).points) {
      // A scatter of many points keeps its dots small; a few category points must be seen.
      const float r = lw * (s.x.size() <= 20 ? 2.5f : 1.1f);
      for (size_t k = 0; k < std::min(s.x.size(), s.y.size()); ++k) {
        const double y = plotted_y(fig, s.y[k]);
        if (std::isfinite(y) && std::isfinite(px(s.x[k])))
          dl->AddCircleFilled(ImVec2(sx(s.x[k]), sy(y)), r, col, s.x.size() <= 20 ? 0 : 8);
      }
      continue;
    }
    pts.clear();
    auto flush = [&] {
      if (pts.size() == 1) dl->AddCircleFilled(pts[0], w * 1.5f, col);
      if (pts.size() > 1) dl->AddPolyline(pts.data(), int(pts.size()), col, ImDrawFlags_None, w);
      pts.clear();
    };
    for (size_t k = 0; k < std::min(s.x.size(), s.y.size()); ++k) {
      const double y = plotted_y(fig, s.y[k]);
      if (!std::isfinite(y) || !std::isfinite(px(s.x[k]))) {
        flush();  // a gap, not a line through a missing value
        continue;
      }
      pts.emplace_back(sx(s.x[k]), sy(y));
    }
    flush();
  }
}

Legend measure_legend(const Figure& fig, const PlotStyle& style, float fh) {
  Legend g;
  for (size_t i = 0; i < fig.series.size(); ++i) {
    const bool in = i < style.series.size() ? style.series[i].in_legend : true;
    if (in && !fig.series[i].label.empty()) g.listed.push_back(i);
  }
  if (!(g.listed.size() > 1 || (g.listed.size() == 1 && fig.series.size() > 1))) return g;
  for (size_t i : g.listed) g.label_w = std::max(g.label_w, ImGui::CalcTextSize(fig.series[i].label.c_str()).x);
  g.row = fh * 1.15f, g.swatch = fh * 1.4f;
  for (size_t r = 0; r < g.listed.size(); ++r) {
    const float lw = ImGui::CalcTextSize(fig.series[g.listed[r]].label.c_str()).x;
    g.entry_w.push_back(lw + g.swatch + fh * 1.2f);
    g.offset.push_back(ImVec2(0, g.row * r));
  }
  g.w = g.label_w + g.swatch + fh * 0.7f, g.h = g.row * g.listed.size() + fh * 0.3f;
  g.where = Legend::corner;
  return g;
}

void PlotArea::legend(const Legend& g) const {
  if (g.where == Legend::none) return;
  if (g.where == Legend::corner)
    dl->AddRectFilled(g.at, ImVec2(g.at.x + g.w, g.at.y + g.h), IM_COL32(255, 255, 255, 225), 3.0f);
  for (size_t r = 0; r < g.listed.size(); ++r) {
    const size_t i = g.listed[r];
    const SeriesStyle st = style_of(i);
    const float x0 = g.at.x + g.offset[r].x;
    const float y = g.at.y + fh * 0.15f + g.offset[r].y + g.row * 0.5f;
    const ImVec2 a(x0 + fh * 0.3f, y), c(x0 + fh * 0.3f + g.swatch * 0.8f, y);
    if (st.fill_to != -1)
      dl->AddRectFilled(ImVec2(a.x, y - fh * 0.35f), ImVec2(c.x, y + fh * 0.35f),
                        to_imu32(colour_of(i).with_alpha(std::max(st.fill_alpha, 0.45f))));
    else if (st.points)
      dl->AddCircleFilled(ImVec2((a.x + c.x) * 0.5f, y), lw * 1.4f, to_imu32(colour_of(i)), 8);
    else
      dl->AddLine(a, c, to_imu32(colour_of(i).with_alpha(st.line_alpha)), lw * 1.5f * st.line_width);
    dl->AddText(ImVec2(x0 + fh * 0.3f + g.swatch, y - fh * 0.5f), kInk, fig.series[i].label.c_str());
  }
}

// The corner of the axes with the least data under a legend box of g's size
// (best_legend_corner); returns the data samples under it (0: an empty corner).
int PlotArea::best_corner(Legend& g) const {
  const FigureSurface surface{[this](double x) { return double(sx(x)); },
                              [this](double y) { return double(sy(y)); },
                              [this](size_t i) { return !style_of(i).points; }};
  const LegendSpot spot = best_legend_corner(fig, surface, left, top, right, bottom, g.w, g.h,
                                             fh * 0.3f, fh * 0.35f);
  g.at = ImVec2(float(spot.x), float(spot.y));
  return spot.covered;
}

// Hover read-out: a guide at the mouse x and the nearest point of every series.
void PlotArea::hover_readout() const {
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (!(m.x >= left && m.x <= right && m.y >= top && m.y <= bottom)) return;
  const double plotted = b.x_lo + (m.x - left) / (right - left) * (b.x_hi - b.x_lo);
  const double x = fig.log_x ? std::pow(10.0, plotted) : plotted;
  dl->AddLine(ImVec2(m.x, top), ImVec2(m.x, bottom), kMuted, 1.0f);
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(fig.title.c_str());
  for (size_t i = 0; i < fig.series.size(); ++i) {
    const int k = nearest(fig.series[i], x);
    if (k < 0) continue;
    const auto& s = fig.series[i];
    const double py = plotted_y(fig, s.y[k]);
    if (std::isfinite(py))
      dl->AddCircleFilled(ImVec2(sx(s.x[k]), sy(py)), lw * 2.5f, to_imu32(colour_of(i)));
    const Color c = colour_of(i);
    ImGui::TextColored(ImVec4(c.r, c.g, c.b, 1), "%s: %s = %g, %s = %g", s.label.c_str(),
                       fig.x_label.empty() ? "x" : fig.x_label.c_str(), s.x[k],
                       fig.y_label.empty() ? "y" : fig.y_label.c_str(), s.y[k]);
  }
  ImGui::EndTooltip();
}
// `text` in `width` pixels: one line when it fits, else wrapped at a space onto two, the second
// cut with "..." if it still does not fit. Titles and axis labels are never drawn past the plot.
// The title with the y unit ("Return per episode   (return)"): one line with the unit when it
// fits, else two_lines of the title alone.
std::vector<std::string> two_lines(const std::string& text, float width) {
  auto fits = [&](const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x <= width; };
  if (fits(text)) return {text};
  // The longest first line that fits, at a space; the rest cut with "..." if it does not fit.
  std::string first, rest = text;
  for (size_t sp = text.find(' '); sp != std::string::npos; sp = text.find(' ', sp + 1)) {
    if (!fits(text.substr(0, sp))) break;
    first = text.substr(0, sp), rest = text.substr(sp + 1);
  }
  const size_t whole = rest.size();
  while (!rest.empty() && !fits(rest + "...")) rest.pop_back();
  if (rest.size() < whole) rest += "...";
  return first.empty() ? std::vector<std::string>{rest} : std::vector<std::string>{first, rest};
}

std::vector<std::string> title_lines(const Figure& fig, float width) {
  const std::string with_unit =
      fig.title +
      (fig.y_label.empty() ? "" : "   (" + fig.y_label + (fig.log_y ? ", log" : "") + ")");
  if (with_unit.empty()) return {};  // no title line: the caller wrote one above the plot
  if (ImGui::CalcTextSize(with_unit.c_str()).x <= width) return {with_unit};
  return two_lines(fig.title, width);
}
}  // namespace

std::vector<std::string> legend_labels(const Figure& fig) {
  std::vector<std::string> out;
  for (const auto& s : fig.series)
    if (!s.label.empty()) out.push_back(s.label);
  return out;
}

PlotStyle runs_style(const Figure& fig, float line_scale) {
  PlotStyle ps{line_scale, {}};
  const std::string mean = "mean over runs";
  std::vector<std::string> variants;  // in order of first appearance: one colour each
  bool any = false;
  for (const Series& se : fig.series) {
    if (se.colour >= 0) {  // a fixed colour (a sweep's ghost) is not a variant
      SeriesStyle st;
      if (is_sweep_ghost(se)) st.line_alpha = 0.7f, st.line_width = 0.8f;  // behind the live run
      ps.series.push_back(st);
      continue;
    }
    const size_t colon = se.label.rfind(": ");
    const std::string variant = colon == std::string::npos ? "" : se.label.substr(0, colon);
    const std::string name = colon == std::string::npos ? se.label : se.label.substr(colon + 2);
    const bool is_mean = name == mean, is_run = name.rfind("run ", 0) == 0;
    any = any || is_mean;
    auto it = std::find(variants.begin(), variants.end(), variant);
    if (it == variants.end()) it = variants.insert(variants.end(), variant);
    SeriesStyle st;
    st.colour = int(it - variants.begin());
    if (is_mean) st.line_width = 1.3f;
    if (is_run) st.line_alpha = 0.4f, st.line_width = 0.6f;
    ps.series.push_back(st);
  }
  if (!any)  // one run: every series its own colour, as before (a ghost keeps its style)
    for (size_t i = 0; i < ps.series.size(); ++i)
      if (!is_sweep_ghost(fig.series[i])) ps.series[i] = SeriesStyle{};
  return ps;
}

float draw_series_key(const Figure& fig, float width, const PlotStyle& style) {
  const float fh = ImGui::GetFontSize();
  Legend g = measure_legend(fig, style, fh);
  if (g.where == Legend::none) return 0;
  g.where = Legend::above;
  const int rows = g.flow(width);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  g.at = p0;
  const PlotArea a{fig, style, figure_bounds(fig), ImGui::GetWindowDrawList(), fh,
                   2.5f * style.line_scale, p0.x, p0.x + width, p0.y, p0.y};
  a.legend(g);
  const float h = rows * g.row + fh * 0.3f;
  ImGui::Dummy(ImVec2(width, h));
  return h;
}

void plot_figure(const char* id, const Figure& fig, ImVec2 size, const PlotStyle& style) {
  ImGui::PushID(id);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("plot", ImVec2(std::max(size.x, 10.f), std::max(size.y, 10.f)));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, kBackground, 4.0f);
  const float fh = ImGui::GetFontSize();
  const FigureBounds b = figure_bounds(fig);
  // y ticks in data units (decades on a log axis), placed through plotted_y.
  const auto yticks = y_axis_ticks(fig, b.y_lo, b.y_hi, std::max(2, int(size.y / (fh * 2.8f))));
  const double ystep = yticks.size() > 1 ? yticks[1] - yticks[0] : 1;
  float tick_w = 0;
  for (double t : yticks)
    tick_w = std::max(tick_w, ImGui::CalcTextSize(y_tick_label(fig, t, ystep).c_str()).x);
  // Title (and the y unit) on top, wrapped rather than clipped; the x label under the axis.
  const float left = p0.x + tick_w + fh * 0.8f, right = p1.x - fh * 0.8f;
  const std::vector<std::string> title = title_lines(fig, right - left);
  const float line_h = fh * 1.15f, title_y = p0.y + fh * 0.2f;
  const std::vector<std::string> x_label =
      two_lines(fig.x_label + (fig.log_x ? " (log scale)" : ""), p1.x - p0.x - fh);
  PlotArea a{fig, style, b, dl, fh, 2.5f * style.line_scale,
             left, right, title_y + line_h * title.size() + fh * 0.15f,
             p1.y - fh * 2.4f - line_h * (x_label.size() > 1 ? 1 : 0)};
  for (size_t i = 0; i < title.size(); ++i)
    dl->AddText(ImVec2(a.left, title_y + line_h * i), kInk, title[i].c_str());
  Legend g = style.legend ? measure_legend(fig, style, fh) : Legend{};
  if (g.where == Legend::corner && !b.empty && a.best_corner(g) > 0) {
    // No corner is free of data: the legend goes outside the axes.
    const float title_w = ImGui::CalcTextSize(title.back().c_str()).x + fh * 1.5f;
    if (title_w + g.flow_width() <= a.right - a.left) {
      g.where = Legend::header;
      g.flow(g.flow_width());
      g.at = ImVec2(a.left + title_w - fh * 0.3f,
                    title_y + line_h * (title.size() - 1) - fh * 0.15f - g.row * 0.5f + fh * 0.5f);
    } else if (g.w + fh * 0.6f <= 0.35f * (a.right - a.left)) {
      g.where = Legend::right_side;
      a.right -= g.w + fh * 0.6f;
      g.at = ImVec2(a.right + fh * 0.3f, a.top);
    } else if (const int rows = g.flow(a.right - a.left);
               a.bottom - a.top - rows * g.row > std::max(fh * 4.0f, 0.5f * (a.bottom - a.top))) {
      g.where = Legend::above;
      g.at = ImVec2(a.left - fh * 0.3f, a.top - fh * 0.15f);
      a.top += rows * g.row + fh * 0.15f;
    } else {  // no room outside: the corner with the least data under it
      for (size_t r = 0; r < g.offset.size(); ++r) g.offset[r] = ImVec2(0, g.row * r);
      a.best_corner(g);
    }
  }
  for (size_t i = 0; i < x_label.size(); ++i) {
    const float w = ImGui::CalcTextSize(x_label[i].c_str()).x;
    const float x = std::clamp((a.left + a.right - w) * 0.5f, p0.x + fh * 0.5f, p1.x - w - fh * 0.5f);
    dl->AddText(ImVec2(x, a.bottom + fh * 1.2f + line_h * i), kMuted, x_label[i].c_str());
  }
  if (a.right - a.left < 10 || a.bottom - a.top < 10) {
    ImGui::PopID();
    return;
  }
  if (b.empty) {
    const char* msg = "no data yet";
    const ImVec2 m = ImGui::CalcTextSize(msg);
    dl->AddRect(ImVec2(a.left, a.top), ImVec2(a.right, a.bottom), kFrame, 0, 0, 1.0f);
    dl->AddText(ImVec2((a.left + a.right - m.x) * 0.5f, (a.top + a.bottom - m.y) * 0.5f), kMuted,
                msg);
    ImGui::PopID();
    return;
  }
  a.grid_and_ticks(yticks, ystep);
  dl->PushClipRect(ImVec2(a.left, a.top), ImVec2(a.right, a.bottom), true);
  a.fills();
  a.lines();
  dl->PopClipRect();
  a.legend(g);
  if (hovered) a.hover_readout();
  ImGui::PopID();
}

}  // namespace dynalab
