#include "core/export/figure_svg.h"

#include "core/io/atomic_file.h"
#include "core/io/svg_text.h"
#include "core/figure_layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace dynalab {

namespace {
std::string escape(const std::string& s) { return svg_escape(s); }
std::string num(double v) { return svg_num(v); }
std::string rgb(Color c) { return svg_rgb(c); }
}  // namespace

std::string figure_to_svg(const Figure& f, int width, int height) {
  const double left = 70, right = 20, top = 40, bottom = 55;
  const double pw = width - left - right, ph = height - top - bottom;
  const FigureBounds r = figure_bounds(f);  // the same layout as the GUI's plot widget
  const auto xt = x_axis_ticks(f, r.x_lo, r.x_hi, 7), yt = y_axis_ticks(f, r.y_lo, r.y_hi, 6);
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1, ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  const double x0 = r.x_lo, x1 = r.x_hi, y0 = r.y_lo, y1 = r.y_hi;
  // sx takes data units (log10 inside on a log x axis).
  auto sx = [&](double x) { return left + (plotted_x(f, x) - x0) / (x1 - x0) * pw; };
  // sy takes plot coordinates (already through plot_y); data goes through f.plot_y first.
  auto sy = [&](double y) { return top + (1 - (y - y0) / (y1 - y0)) * ph; };

  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
       std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
       "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + num(width / 2.0) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" +
       escape(f.title) + "</text>\n";
  s += "<g stroke=\"#dddddd\" stroke-width=\"1\">\n";
  for (double t : xt) s += "<line x1=\"" + num(sx(t)) + "\" y1=\"" + num(top) + "\" x2=\"" + num(sx(t)) + "\" y2=\"" + num(top + ph) + "\"/>\n";
  for (double t : yt)
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(sy(plotted_y(f, t))) + "\" x2=\"" + num(left + pw) + "\" y2=\"" +
         num(sy(plotted_y(f, t))) + "\"/>\n";
  s += "</g>\n";
  s += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(pw) + "\" height=\"" + num(ph) +
       "\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.2\"/>\n";
  s += "<g font-size=\"12\" fill=\"#222222\">\n";
  for (double t : xt)
    s += "<text x=\"" + num(sx(t)) + "\" y=\"" + num(top + ph + 18) + "\" text-anchor=\"middle\">" + axis_tick_label(f.log_x, t, xstep) +
         "</text>\n";
  for (double t : yt)
    s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(sy(plotted_y(f, t)) + 4) + "\" text-anchor=\"end\">" +
         axis_tick_label(f.log_y, t, ystep) +
         "</text>\n";
  s += "</g>\n";
  s += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(height - 12.0) + "\" text-anchor=\"middle\" font-size=\"13\">" +
       escape(f.x_label + (f.log_x ? " (log scale)" : "")) + "</text>\n";
  s += "<text x=\"16\" y=\"" + num(top + ph / 2) + "\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 16 " +
       num(top + ph / 2) + ")\">" + escape(f.y_label + (f.log_y ? " (log scale)" : "")) + "</text>\n";
  // The series inside the frame only: a fixed y range (Figure::y_lo) may cut a band.
  // The clip's id names the figure: several SVGs inlined in one HTML page (a report) share one
  // id space, and a shared id would clip each plot to the first one's frame.
  std::string clip = "plot_area_" + (f.id.empty() ? std::string("figure") : f.id);
  for (char& c : clip)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  s += "<clipPath id=\"" + clip + "\"><rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(pw) +
       "\" height=\"" + num(ph) + "\"/></clipPath>\n";
  // Bands first, under every line: one polygon per run of finite points (upper edge forward,
  // lower edge back).
  for (size_t i = 0; i < f.series.size(); ++i) {
    const Series& se = f.series[i];
    if (!se.has_band()) continue;
    const std::string colour = rgb(series_color(se.colour >= 0 ? se.colour : int(i)));
    std::string upper, lower;
    auto flush = [&] {
      if (!upper.empty())
        s += "<path class=\"band\" d=\"M" + upper + lower + "Z\" fill=\"" + colour +
             "\" fill-opacity=\"0.22\" stroke=\"none\" clip-path=\"url(#" + clip + ")\"/>\n";
      upper.clear(), lower.clear();
    };
    for (size_t k = 0; k < se.x.size() && k < se.band_lo.size(); ++k) {
      const double x = plotted_x(f, se.x[k]), lo = plotted_y(f, se.band_lo[k]), hi = plotted_y(f, se.band_hi[k]);
      if (!std::isfinite(x) || !std::isfinite(lo) || !std::isfinite(hi)) {
        flush();
        continue;
      }
      upper += (upper.empty() ? "" : "L") + num(sx(se.x[k])) + "," + num(sy(hi)) + " ";
      lower = "L" + num(sx(se.x[k])) + "," + num(sy(lo)) + " " + lower;
    }
    flush();
  }
  for (size_t i = 0; i < f.series.size(); ++i) {
    const Series& se = f.series[i];
    // Runs of finite points become polylines; a run of one point (one episode, or a value
    // between two gaps) has no line to draw, so it becomes a dot, as on screen.
    std::string d, dots;
    std::string run_start;  // the first point of the current run, "x,y"; empty: no run
    int run = 0;
    auto end_run = [&] {
      if (run == 1 || ((f.points || se.markers) && run > 0)) {
        const auto comma = run_start.find(',');
        dots += "<circle class=\"point\" cx=\"" + run_start.substr(0, comma) + "\" cy=\"" +
                run_start.substr(comma + 1) + "\" r=\"" + (se.markers ? "5" : "3") + "\"/>";
      }
      run = 0;
    };
    for (size_t k = 0; k < se.x.size() && k < se.y.size(); ++k) {
      const double y = plotted_y(f, se.y[k]);
      if (!std::isfinite(plotted_x(f, se.x[k])) || !std::isfinite(y)) {
        end_run();
        continue;
      }
      const std::string at = num(sx(se.x[k])) + "," + num(sy(y));
      if (f.points || se.markers) {  // every point its own dot, no line between them
        run_start = at;
        run = 1;
        end_run();
        continue;
      }
      d += (run ? "L" : "M") + at + " ";
      if (run++ == 0) run_start = at;
    }
    end_run();
    const std::string colour = rgb(series_color(se.colour >= 0 ? se.colour : int(i)));
    s += "<path class=\"series\" data-label=\"" + escape(se.label) + "\" d=\"" + d + "\" fill=\"none\" stroke=\"" +
         colour + "\" stroke-width=\"2\" stroke-linejoin=\"round\" clip-path=\"url(#" + clip + ")\"/>\n";
    if (!dots.empty()) s += "<g fill=\"" + colour + "\" clip-path=\"url(#" + clip + ")\">" + dots + "</g>\n";
  }
  // Legend: inside the plot, in the corner with the least data under it (best_legend_corner,
  // as on screen), on a white box; as wide as its longest label (about 7 px a character).
  size_t longest = 0;
  for (const Series& se : f.series) longest = std::max(longest, se.label.size());
  const double lw = 7.0 * double(longest) + 40, lh = 18.0 * double(f.series.size()) + 4;
  const FigureSurface surface{sx, sy, [&](size_t i) { return !f.points && !f.series[i].markers; }};
  const LegendSpot spot = best_legend_corner(f, surface, left, top, left + pw, top + ph, lw, lh, 6, 6);
  if (!f.series.empty())
    s += "<rect x=\"" + num(spot.x) + "\" y=\"" + num(spot.y) + "\" width=\"" + num(lw) + "\" height=\"" + num(lh) +
         "\" fill=\"white\" fill-opacity=\"0.85\"/>\n";
  const double lx = spot.x + 6, ly = spot.y + 11;
  for (size_t i = 0; i < f.series.size(); ++i) {
    const double y = ly + 18 * double(i);
    s += "<line x1=\"" + num(lx) + "\" y1=\"" + num(y) + "\" x2=\"" + num(lx + 22) + "\" y2=\"" + num(y) + "\" stroke=\"" +
         rgb(series_color(f.series[i].colour >= 0 ? f.series[i].colour : int(i))) +
         "\" stroke-width=\"3\"/>\n";
    s += "<text x=\"" + num(lx + 28) + "\" y=\"" + num(y + 4) + "\" font-size=\"12\">" + escape(f.series[i].label) + "</text>\n";
  }
  s += "</svg>\n";
  return s;
}

void write_figure_files(const Figure& figure, const std::filesystem::path& dir) {
  write_file_atomic(dir / (figure.id + ".svg"), figure_to_svg(figure));
  write_file_atomic(dir / (figure.id + ".csv"), figure.to_csv());
}

}  // namespace dynalab
