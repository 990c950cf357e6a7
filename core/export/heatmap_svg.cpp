#include "core/export/heatmap_svg.h"

#include <algorithm>
#include <cmath>

#include "core/io/svg_text.h"
#include "core/figure_layout.h"

namespace dynalab {

namespace {

// One panel whose top-left corner is at (x0, 0).
std::string panel_svg(const Heatmap& h, double x0, double w, double height) {
  const double left = x0 + 62, right = x0 + w - 78, top = 50, bottom = height - 50;
  double lo = 0, hi = 1;
  heatmap_colour_range(h, lo, hi);
  auto n = [](double v) { return svg_num(v); };
  std::string s = "<text x=\"" + n(left) + "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" +
                  svg_escape(h.title) + "</text>\n";
  s += "<text x=\"" + n(x0 + w - 6) + "\" y=\"40\" text-anchor=\"end\" font-size=\"11\" fill=\"#555555\">" +
       svg_escape(h.value_label) + "</text>\n";
  const double xspan = h.x_hi - h.x_lo, yspan = h.y_hi - h.y_lo;
  if (h.nx <= 0 || h.ny <= 0 || int(h.values.size()) < h.nx * h.ny || !(xspan > 0) || !(yspan > 0))
    return s + "<text x=\"" + n(left) + "\" y=\"" + n(height / 2) + "\">no data</text>\n";
  auto sx = [&](double x) { return left + (x - h.x_lo) / xspan * (right - left); };
  auto sy = [&](double y) { return bottom - (y - h.y_lo) / yspan * (bottom - top); };
  const double cw = (right - left) / h.nx, ch = (bottom - top) / h.ny;
  s += "<g shape-rendering=\"crispEdges\">\n";
  for (int iy = 0; iy < h.ny; ++iy)
    for (int ix = 0; ix < h.nx; ++ix) {
      const double c = heatmap_colour_value(h, h.values[size_t(iy) * h.nx + ix]);
      const double t = std::isfinite(c) ? (c - lo) / (hi - lo) : 0;
      s += "<rect x=\"" + n(left + ix * cw) + "\" y=\"" + n(bottom - (iy + 1) * ch) + "\" width=\"" +
           n(cw + 0.3) + "\" height=\"" + n(ch + 0.3) + "\" fill=\"" + svg_rgb(heat_color(t)) + "\"/>\n";
    }
  s += "</g>\n<g fill=\"white\" stroke=\"black\" stroke-width=\"0.6\">";
  for (size_t i = 0; i < std::min(h.px.size(), h.py.size()); ++i)
    if (h.px[i] >= h.x_lo && h.px[i] <= h.x_hi && h.py[i] >= h.y_lo && h.py[i] <= h.y_hi)
      s += "<circle cx=\"" + n(sx(h.px[i])) + "\" cy=\"" + n(sy(h.py[i])) + "\" r=\"2.2\"/>";
  s += "</g>\n";
  if (h.has_marker) {
    const double mx = sx(h.marker_x), my = sy(h.marker_y);
    s += "<path d=\"M" + n(mx - 8) + "," + n(my) + " H" + n(mx + 8) + " M" + n(mx) + "," + n(my - 8) +
         " V" + n(my + 8) + "\" stroke=\"#ff5a14\" stroke-width=\"2.5\"/>\n";
  }
  s += "<rect x=\"" + n(left) + "\" y=\"" + n(top) + "\" width=\"" + n(right - left) + "\" height=\"" +
       n(bottom - top) + "\" fill=\"none\" stroke=\"#333333\"/>\n<g font-size=\"11\" fill=\"#222222\">\n";
  const auto xt = nice_ticks(h.x_lo, h.x_hi, 5), yt = nice_ticks(h.y_lo, h.y_hi, 5);
  const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1, ys = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double t : xt)
    s += "<text x=\"" + n(sx(t)) + "\" y=\"" + n(bottom + 15) + "\" text-anchor=\"middle\">" + format_tick(t, xs) + "</text>\n";
  for (double t : yt)
    s += "<text x=\"" + n(left - 5) + "\" y=\"" + n(sy(t) + 4) + "\" text-anchor=\"end\">" + format_tick(t, ys) + "</text>\n";
  // The colour bar, with whole decades labelled on a log scale.
  const double bx = right + 12, strips = 32;
  for (int i = 0; i < strips; ++i)
    s += "<rect x=\"" + n(bx) + "\" y=\"" + n(bottom - (i + 1) * (bottom - top) / strips) + "\" width=\"12\" height=\"" +
         n((bottom - top) / strips + 0.3) + "\" fill=\"" + svg_rgb(heat_color((i + 0.5) / strips)) + "\"/>\n";
  const auto ct = nice_ticks(lo, hi, 5, h.log_colour);
  const double cs = ct.size() > 1 ? ct[1] - ct[0] : 1;
  for (double t : ct) {
    const std::string label = h.log_colour ? "1e" + std::to_string(int(std::lround(t))) : format_tick(t, cs);
    s += "<text x=\"" + n(bx + 16) + "\" y=\"" + n(bottom - (t - lo) / (hi - lo) * (bottom - top) + 4) + "\">" + label + "</text>\n";
  }
  s += "</g>\n<text x=\"" + n((left + right) / 2) + "\" y=\"" + n(height - 12) +
       "\" text-anchor=\"middle\" font-size=\"13\">" + svg_escape(h.x_label) + "</text>\n";
  s += "<text x=\"" + n(x0 + 14) + "\" y=\"" + n((top + bottom) / 2) + "\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 " +
       n(x0 + 14) + " " + n((top + bottom) / 2) + ")\">" + svg_escape(h.y_label) + "</text>\n";
  return s;
}

}  // namespace

std::string heatmaps_to_svg(const std::vector<Heatmap>& panels, int panel_width, int height) {
  const int width = panel_width * std::max<int>(1, int(panels.size()));
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
       std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
       "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (size_t i = 0; i < panels.size(); ++i)
    s += panel_svg(panels[i], double(i) * panel_width, panel_width, height);
  return s + "</svg>\n";
}

}  // namespace dynalab
