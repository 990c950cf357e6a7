#include <doctest/doctest.h>

#include <cmath>

#include "core/config.h"
#include "core/io/atomic_file.h"
#include "core/export/figure_svg.h"
#include "core/figure_layout.h"
#include "test_util.h"

namespace test_export {

using namespace dynalab;

namespace {
Figure sample_figure() {
  Figure f{"demo", "A & B <test>", "episode", "steps", {}, false};
  f.series_named("n = 0").x = {1, 2, 3};
  f.series_named("n = 0").y = {800, 400, 100};
  f.series_named("n = 50").x = {1, 2, 3, 4};
  f.series_named("n = 50").y = {700, NAN, 20, 14};
  return f;
}
size_t count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("a figure exports as well-formed SVG with one path per series and no non-finite numbers") {
  const Figure f = sample_figure();
  const std::string svg = figure_to_svg(f);
  CHECK(count(svg, "<path class=\"series\"") == 2);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  CHECK(svg.find("A &amp; B &lt;test&gt;") != std::string::npos);
  // The NaN point breaks the line of "n = 50" into two pieces.
  const size_t p = svg.find("data-label=\"n = 50\"");
  REQUIRE(p != std::string::npos);
  const std::string d = svg.substr(p, svg.find("/>", p) - p);
  CHECK(count(d, "M") == 2);
  const auto dir = test::temp_dir("svg");
  write_file_atomic(dir / "f.svg", svg);
  if (std::filesystem::exists("/usr/bin/python3")) {
    const std::string cmd = "/usr/bin/python3 -c \"import xml.etree.ElementTree as E,sys; r=E.parse(sys.argv[1]).getroot(); "
                            "sys.exit(0 if len(r.findall('{http://www.w3.org/2000/svg}path'))==2 else 3)\" " +
                            (dir / "f.svg").string();
    CHECK(std::system(cmd.c_str()) == 0);
  }
}

TEST_CASE("figure CSV has one row per point with the series label") {
  const std::string csv = sample_figure().to_csv();
  CHECK(csv.rfind("series,episode,steps\n", 0) == 0);
  CHECK(count(csv, "\n") == 1 + 3 + 4);
  CHECK(csv.find("n = 50,2,nan") != std::string::npos);
}

TEST_CASE("log axes tick decades in data units; SVG and GUI share the layout") {
  Figure f;
  f.log_y = true;
  CHECK(std::isnan(plotted_y(f, 0)));
  CHECK(plotted_y(f, 100) == doctest::Approx(2));
  CHECK(y_axis_ticks(f, 0.9, 3.5, 6) == std::vector<double>{10, 20, 50, 100, 200, 500, 1000, 2000});
  // 45 to 95 steps holds one 1-2-5 tick (50): round ticks of the range instead, at least two.
  const auto short_range = y_axis_ticks(f, std::log10(45.0), std::log10(95.0), 3);
  REQUIRE(short_range.size() >= 2);
  CHECK(short_range.front() >= 45);
  CHECK(short_range.back() <= 95);
  f.log_y = false;
  const auto t = y_axis_ticks(f, -0.3, 0.3, 6);
  REQUIRE(t.size() == 7);
  for (int i = 0; i < 7; ++i) CHECK(t[i] == doctest::Approx(-0.3 + 0.1 * i));
  CHECK(format_tick(2000, 500) == "2000");
  CHECK(format_tick(0.25, 0.05) == "0.25");
  CHECK(format_tick(1e6, 1e5) == "1e6");  // not "1e+06": read from the back row
  CHECK(format_tick(2.5e-5, 1e-5) == "2.5e-5");
}

TEST_CASE("atomic writes: a failed write leaves neither a partial file nor a temporary") {
  const auto dir = test::temp_dir("atomic");
  write_file_atomic(dir / "a.txt", "first");
  CHECK(test::read_file(dir / "a.txt") == "first");
  write_file_atomic(dir / "a.txt", "second");
  CHECK(test::read_file(dir / "a.txt") == "second");
  // /proc refuses new files: the error names the path.
  try {
    write_file_atomic("/proc/dynalab_test/x.txt", "data");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("/proc/dynalab_test") != std::string::npos);
  }
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  CHECK(files == 1);
}

TEST_CASE("dynalab-cli run writes every figure the experiment shows as SVG and CSV") {
  const auto dir = test::temp_dir("run_figures");
  REQUIRE(test::run_cli("run blocking_maze --quiet --out " + dir.string()).exit_code == 0);
  for (const char* f : {"figures/steps_per_episode.svg", "figures/steps_per_episode.csv", "figures/cumulative_reward.svg",
                        "figures/cumulative_reward.csv"})
    CHECK(std::filesystem::exists(dir / f));
}

TEST_CASE("an isolated finite point is drawn as a dot in SVG (one episode; a value between gaps)") {
  Figure f{"one", "One point", "episode", "steps", {}, false};
  f.series_named("alone").x = {0};
  f.series_named("alone").y = {42};
  f.series_named("gaps").x = {0, 1, 2, 3, 4};
  f.series_named("gaps").y = {NAN, 5, NAN, 7, 8};
  const std::string svg = figure_to_svg(f);
  // "alone" has nothing to join: one dot. "gaps" has a lone 5 (a dot) and a line 7-8 (no dot).
  CHECK(count(svg, "<circle class=\"point\"") == 2);
  const size_t g = svg.find("data-label=\"gaps\"");
  REQUIRE(g != std::string::npos);
  CHECK(count(svg.substr(g, svg.find("/>", g) - g), "L") == 1);

  // The command: one episode of Dyna-Q gives a steps-per-episode plot with one dot.
  const auto dir = test::temp_dir("one_episode");
  REQUIRE(test::run_cli("run dyna_maze --quiet --set episodes=1 --out " + dir.string()).exit_code == 0);
  const std::string one = test::read_file(dir / "figures" / "steps_per_episode.svg");
  CHECK(count(one, "<circle class=\"point\"") == 1);
}

TEST_CASE("a log x axis in SVG: the label says so, decade ticks, and x = 0 is a gap") {
  Figure f{"ladder", "Ladder", "env steps", "return", {}, false, false, true};
  f.series_named("a").x = {0, 100, 1000, 10000};
  f.series_named("a").y = {-1200, -900, -300, -150};
  const std::string svg = figure_to_svg(f);
  CHECK(svg.find("env steps (log scale)") != std::string::npos);
  CHECK(svg.find(">1000</text>") != std::string::npos);
  CHECK(svg.find(">10000</text>") != std::string::npos);
  // Three drawable points: one polyline of three, no dot for the point at 0.
  const size_t g = svg.find("data-label=\"a\"");
  REQUIRE(g != std::string::npos);
  CHECK(count(svg.substr(g, svg.find("/>", g) - g), "L") == 2);
  CHECK(count(svg, "<circle class=\"point\"") == 0);
}

}  // namespace test_export
