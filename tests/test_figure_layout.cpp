#include <doctest/doctest.h>

#include <cmath>

#include "core/figure.h"
#include "core/export/figure_svg.h"
#include "core/figure_layout.h"

namespace test_figure_layout {

using namespace dynalab;

TEST_CASE("nice ticks are round numbers covering the range") {
  const auto t = nice_ticks(0, 1, 5);
  REQUIRE(t.size() == 6);
  CHECK(t.front() == 0);
  CHECK(t[1] == doctest::Approx(0.2));
  CHECK(t.back() == doctest::Approx(1.0));
  const auto big = nice_ticks(3, 1187, 4);
  CHECK(big.front() == 500);
  CHECK(big.back() == 1000);
  CHECK(nice_ticks(1, 3, 10, true) == std::vector<double>{1, 2, 3});  // episodes: no 1.2, 1.4
  CHECK(nice_ticks(1, 1, 5).empty());
  CHECK(nice_ticks(0, 450, 1).size() >= 2);  // a short axis still gets a scale
}

TEST_CASE("tick labels carry only the decimals the step needs") {
  CHECK(format_tick(0.30000000000000004, 0.1) == "0.3");
  CHECK(format_tick(1500, 500) == "1500");
  CHECK(format_tick(0.25, 0.05) == "0.25");
}

TEST_CASE("figure bounds pad the data, keep a zero floor and skip non-finite points") {
  Figure f;
  auto& s = f.series_named("a");
  s.x = {1, 2, 3};
  s.y = {10, NAN, 20};
  const auto b = figure_bounds(f);
  CHECK_FALSE(b.empty);
  CHECK(b.x_lo == 1);
  CHECK(b.x_hi == 3);
  CHECK(b.y_lo == doctest::Approx(9.5));
  CHECK(b.y_hi == doctest::Approx(20.5));
  CHECK(integer_x(f));
  f.log_y = true;
  CHECK(std::isnan(plotted_y(f, 0.0)));
  CHECK(plotted_y(f, 100.0) == doctest::Approx(2.0));
  CHECK(figure_bounds(Figure{}).empty);
}

TEST_CASE("a fixed y range replaces the data's (plots in a row compared by eye)") {
  Figure f;
  auto& s = f.series_named("a");
  s.x = {1, 2, 3};
  s.y = {10, 15, 20};
  f.y_lo = -5, f.y_hi = 12;  // cuts the data: what leaves the range is clipped when drawn
  FigureBounds b = figure_bounds(f);
  CHECK(b.y_lo == -5);
  CHECK(b.y_hi == 12);
  CHECK(b.x_lo == 1);
  f.y_hi = -6;  // not a range: the data's
  b = figure_bounds(f);
  CHECK(b.y_lo == doctest::Approx(9.5));
  f.log_y = true, f.y_lo = 1, f.y_hi = 100;  // log axes in log10
  b = figure_bounds(f);
  CHECK(b.y_lo == doctest::Approx(0.0));
  CHECK(b.y_hi == doctest::Approx(2.0));
}

TEST_CASE("a figure of points (categories on x) keeps every dot off the frame") {
  Figure f{"system_id_ratio", "t", "parameter", "fitted / true", {}, false, true};
  f.series.push_back({"fitted vs true", {1, 2, 3}, {1.0, 1.008, 0.998}});
  const FigureBounds b = figure_bounds(f);
  CHECK(b.x_lo == doctest::Approx(0.5));
  CHECK(b.x_hi == doctest::Approx(3.5));
  CHECK(b.y_hi > 1.008 + 0.1 * 0.010);  // more than a line plot's 5 % above the highest dot
  CHECK(b.y_lo < 0.998 - 0.1 * 0.010);
  // Log-axis tick labels carry their own digits: 0.01 and 0.001, not 0.010 and 0.0010.
  CHECK(format_tick(0.01, 0.01) == "0.01");
  CHECK(format_tick(0.001, 0.001) == "0.001");
}

TEST_CASE("a log x axis plots env steps over decades: bounds in log10, decade ticks, x <= 0 left out") {
  Figure f{"ladder", "t", "env steps", "return", {}, false, false, true};
  f.series.push_back({"a", {0, 100, 1000, 100000}, {-1200, -900, -300, -150}});
  const FigureBounds b = figure_bounds(f);
  CHECK(std::isnan(plotted_x(f, 0.0)));
  CHECK(b.x_lo == doctest::Approx(2.0));  // the point at x = 0 is not drawn
  CHECK(b.x_hi == doctest::Approx(5.0));
  CHECK(x_axis_ticks(f, b.x_lo, b.x_hi, 6) == std::vector<double>{100, 1000, 10000, 100000});
  CHECK(axis_tick_label(true, 100000, 0) == "100000");
  CHECK(axis_tick_label(true, 1e6, 0) == "1e6");
  // The linear axis is unchanged.
  f.log_x = false;
  CHECK(figure_bounds(f).x_lo == 0);
  CHECK(x_axis_ticks(f, 0, 100000, 5).front() == 0);
}

TEST_CASE("side-by-side variants: runs share a plot, fixed-colour series get one plot per variant") {
  Figure runs{"ret", "Return", "episode", "return", {{"run 1", {0, 1}, {1, 2}}, {"mean over runs", {0, 1}, {1, 2}}}};
  Figure band{"band", "Band", "t", "d", {{"hi", {0}, {1}}, {"real", {0}, {0.5}}}};
  band.series[0].colour = 5, band.series[1].colour = 1;
  const std::vector<Figure> a = {runs, band}, b = {runs, band};
  const auto out = merge_variant_figures({{"left", &a}, {"right", &b}}, {});
  REQUIRE(out.size() == 3);
  CHECK(out[0].id == "ret");
  CHECK(out[0].series.size() == 4);  // merged, labelled by variant
  CHECK(out[0].series[0].label == "left: run 1");
  CHECK(out[1].id == "band_variant1");
  CHECK(out[1].title == "left: Band");
  CHECK(out[2].title == "right: Band");
  CHECK(out[2].series.size() == 2);
  CHECK(out[2].series[0].colour == 5);
}

TEST_CASE("a legend goes to the corner with no curve under it, on screen and in the SVG") {
  // k_step_error's shape: a curve rising into the top right corner, one flat low curve.
  Figure f;
  f.id = "legend_corner";
  for (int k = 1; k <= 10; ++k) {
    Series& rise = f.series_named("repeat the last frame");
    rise.x.push_back(k), rise.y.push_back(std::sqrt(double(k)));
  }
  for (int k = 1; k <= 10; ++k) {
    Series& flat = f.series_named("latent model");
    flat.x.push_back(k), flat.y.push_back(1.2);
  }
  // Axes [0, 100] x [0, 100] pixels, y down; data x 1..10, y 1..sqrt(10).
  const FigureSurface surface{[](double x) { return (x - 1) / 9 * 100; },
                              [](double y) { return 100 - (y - 1) / (std::sqrt(10.0) - 1) * 100; },
                              [](size_t) { return true; }};
  CHECK(data_under_box(f, surface, 60, 0, 40, 20) > 0);  // the rising curve's end is top right
  const LegendSpot spot = best_legend_corner(f, surface, 0, 0, 100, 100, 40, 20, 2, 2);
  CHECK(spot.covered == 0);
  CHECK(spot.x == 2);  // top left: free, and first in the order after top right
  CHECK(spot.y == 2);
  // A curve crossing the box between two points counts, not only points under it.
  CHECK(data_under_box(f, surface, 2, 85, 6, 12) > 0);
  // Dots only: the segments between points are not drawn, so not counted.
  const FigureSurface dots{surface.sx, surface.sy, [](size_t) { return false; }};
  CHECK(data_under_box(f, dots, 2, 85, 6, 12) == 0);
  // The SVG export places its legend box by the same rule: not at the top right.
  const std::string svg = figure_to_svg(f);
  const size_t rect = svg.find("fill-opacity=\"0.85\"");
  REQUIRE(rect != std::string::npos);
  const size_t x_at = svg.rfind("<rect x=\"", rect);
  CHECK(std::stod(svg.substr(x_at + 9)) < 200);  // left half of the 640 px default plot
}

}  // namespace test_figure_layout

