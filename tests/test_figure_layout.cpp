#include <doctest/doctest.h>

#include <cmath>

#include "core/figure_layout.h"

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
