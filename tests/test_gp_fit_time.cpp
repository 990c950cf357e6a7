// The GP cost study (core/analysis/gp_fit_time.h): the log-log slope from given numbers, the
// doubling ladder, the study's structure (Ns in order up to the data and past the model's
// gp.max_points, positive times, the stopping rule), the slope-3 guide, the CSV, the errors and
// the CLI. The seconds are wall clock: no test asserts a measured value or a measured slope.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/analysis/gp_fit_time.h"
#include "core/config.h"
#include "core/dataset.h"
#include "core/figure.h"
#include "core/models/gp/gp_config.h"
#include "test_util.h"
#include "toy_data.h"

namespace test_gp_fit_time {

using namespace dynalab;
using namespace dynalab::test;

namespace {

Dataset sine_data(int n) {
  return toy_regression_data(
      n, -3, 3, [](double x) { return 0.3 * std::sin(x); }, [](double) { return 0.05; }, 7);
}

GpConfig small_gp() {
  GpConfig g;
  g.max_points = 30;  // the model's cap, below the ladder's largest N: the study ignores it
  g.optimizer_iterations = 5;
  return g;
}

std::string error_of(const Dataset& d, const GpFitTimeRecipe& r) {
  try {
    GpFitTimeStudy s(d, small_gp(), r);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("log_log_slope: the exponent of seconds ~ n^p over the largest points") {
  const std::vector<double> n = {25, 50, 100, 200, 400, 800};
  std::vector<double> cubic, linear_then_cubic;
  for (double x : n) cubic.push_back(2e-9 * x * x * x);
  CHECK(log_log_slope(n, cubic, 3) == doctest::Approx(3).epsilon(1e-12));
  CHECK(log_log_slope(n, cubic, 100) == doctest::Approx(3).epsilon(1e-12));
  // Linear (fixed costs dominate) up to 100, cubic above: the last 3 points see only the cubic.
  for (double x : n) linear_then_cubic.push_back(x <= 100 ? 1e-4 * x : 1e-2 * std::pow(x / 100, 3));
  CHECK(log_log_slope(n, linear_then_cubic, 3) == doctest::Approx(3).epsilon(1e-12));
  CHECK(log_log_slope(n, linear_then_cubic, 6) < 2.9);
  // A least-squares line through points off a line: log10 n = 1, 2, 3, log10 s = 2x - 3 + (d,
  // -d, d) with d = log10 1.1; by hand the slope is (y3 - y1) / 2 = 2 (the middle residual does
  // not tilt the line).
  const std::vector<double> n3 = {10, 100, 1000}, s3 = {0.1 * 1.1, 10 / 1.1, 1000 * 1.1};
  CHECK(log_log_slope(n3, s3, 3) == doctest::Approx(2).epsilon(1e-12));
  // Not measured (NaN) and non-positive points are skipped, not counted in last_k.
  const std::vector<double> with_gaps = {cubic[0], cubic[1], cubic[2], cubic[3], NAN, 0};
  CHECK(log_log_slope(n, with_gaps, 2) == doctest::Approx(3).epsilon(1e-12));
  CHECK(std::isnan(log_log_slope(n, with_gaps, 1)));
  CHECK(std::isnan(log_log_slope({5, 5}, {1, 2}, 2)));
  CHECK(std::isnan(log_log_slope({}, {}, 3)));
  CHECK_THROWS_AS(log_log_slope({1, 2}, {1}, 2), std::invalid_argument);
}

TEST_CASE("doubling_ladder") {
  CHECK(doubling_ladder(25, 1600) == std::vector<int>{25, 50, 100, 200, 400, 800, 1600});
  CHECK(doubling_ladder(25, 1599) == std::vector<int>{25, 50, 100, 200, 400, 800});
  CHECK(doubling_ladder(25, 24).empty());
  CHECK_THROWS_AS(doubling_ladder(0, 10), InputError);
}

TEST_CASE("GpFitTimeStudy: Ns in order up to the data's rows, past gp.max_points, positive times") {
  const Dataset d = sine_data(150);
  GpFitTimeRecipe r;
  r.max_points = 1600;  // the data (150 rows) caps the ladder at 100
  r.repetitions = 2;
  r.max_seconds = 60;   // no stopping on this small ladder
  GpFitTimeStudy s(d, small_gp(), r);
  CHECK(s.ladder() == std::vector<int>{25, 50, 100});
  CHECK(s.rows() == 150);
  CHECK(s.input_dim() == 2);
  int steps = 0;
  while (s.step()) ++steps;
  // 3 Ns x 2 series x 2 repetitions, the last step returning false.
  CHECK(steps + 1 == 12);
  CHECK(s.done());
  CHECK(s.stage() == "done");
  CHECK(s.progress() == 1.0);
  REQUIRE(s.points().size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const GpFitTimePoint& p = s.points()[i];
    CAPTURE(p.n);
    CHECK(p.n == s.ladder()[i]);
    CHECK(std::isfinite(p.evaluation_s));
    CHECK(p.evaluation_s > 0);
    CHECK(std::isfinite(p.fit_s));
    CHECK(p.fit_s > 0);
    CHECK(p.fit_iterations >= 1);
    CHECK(p.fit_iterations <= small_gp().optimizer_iterations);
    CHECK(p.fit_evaluations >= p.fit_iterations);
  }
  CHECK(s.points().back().n > small_gp().max_points);  // the model's cap does not cap the study

  // The figure: log-log, the two series on the measured points, and the guide of slope 3
  // through the largest evaluation point.
  const Figure f = gp_fit_time_figure(s.points(), r.repetitions, small_gp().optimizer_iterations);
  CHECK(f.log_x);
  CHECK(f.log_y);
  REQUIRE(f.series.size() == 3);
  CHECK(f.series[1].x == std::vector<double>{25, 50, 100});
  CHECK(f.series[1].y.back() == s.points().back().evaluation_s);
  CHECK(f.series[2].y.size() == 3);
  const Series& guide = f.series[0];
  CHECK(guide.label == "slope 3: O(N^3)");
  CHECK(guide.y.back() == doctest::Approx(s.points().back().evaluation_s).epsilon(1e-12));
  CHECK(log_log_slope(guide.x, guide.y, 3) == doctest::Approx(3).epsilon(1e-9));
  // The CSV: a header and a row per N.
  const std::string csv = gp_fit_time_csv(s.points());
  CHECK(csv.rfind("n,evaluation_s,fit_s,fit_iterations,fit_evaluations\n25,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
  CHECK(gp_fit_time_text(s.points(), 3).find("log-log slope over the 3 largest N: evaluation ") !=
        std::string::npos);
}

TEST_CASE("GpFitTimeStudy: a series stops before a point the cubic law says is too slow") {
  const Dataset d = sine_data(120);
  GpFitTimeRecipe r;
  r.repetitions = 1;
  r.max_seconds = 1e-12;  // any measured time, times 8, exceeds it
  GpFitTimeStudy s(d, small_gp(), r);
  s.run();
  REQUIRE(s.points().size() == 1);
  CHECK(s.points()[0].n == 25);
  CHECK(s.points()[0].evaluation_s > 0);
  CHECK(s.points()[0].fit_s > 0);
  // Without the fit only the evaluation series runs.
  r.time_fit = false;
  r.max_seconds = 60;
  GpFitTimeStudy e(d, small_gp(), r);
  e.run();
  REQUIRE(e.points().size() == 3);
  for (const GpFitTimePoint& p : e.points()) CHECK(std::isnan(p.fit_s));
  CHECK(gp_fit_time_figure(e.points(), 1, 5).series.size() == 2);  // evaluation and guide
}

TEST_CASE("GpFitTimeStudy: bad recipes are one-line errors naming the field") {
  const Dataset d = sine_data(40);
  GpFitTimeRecipe r;
  r.column = 1;
  CHECK(error_of(d, r) == "gp_fit_time: column: expected an obs dim in [0, 0], got 1");
  r = {};
  r.repetitions = 0;
  CHECK(error_of(d, r) == "gp_fit_time: repetitions: expected an integer >= 1, got 0");
  r = {};
  CHECK(error_of(sine_data(10), r) ==
        "gp_fit_time: data: expected at least 25 transitions, got 10; run more ticks");
  r.max_points = 20;
  CHECK(error_of(d, r) == "gp_fit_time: max_points: expected at least first_points (25), got 20");
  r = {};
  CHECK(error_of(d, r).empty());
}

TEST_CASE("dynalab-cli analysis gp_fit_time prints the table and writes CSV, SVG and text") {
  const auto dir = temp_dir("gp_fit_time_cli");
  const auto res = run_cli(
      "analysis gp_fit_time cliff_hill_v05 --ticks 70 --set random_steps=60 --set "
      "model.ensemble_size=2 --set model.elite_members=2 --set model.hidden=[8] --set model.epochs=3 "
      "--set model.gp.optimizer_iterations=3 --max-points 50 --repetitions 1 --out " +
      dir.string());
  REQUIRE_MESSAGE(res.exit_code == 0, res.output);
  CHECK(res.output.find("log-log slope over the 3 largest N: evaluation ") != std::string::npos);
  for (const char* f : {"gp_fit_time.csv", "gp_fit_time.svg", "gp_fit_time.txt"})
    CHECK_MESSAGE(std::filesystem::exists(dir / f), f);
  const std::string csv = read_file(dir / "gp_fit_time.csv");
  CHECK(csv.find("\n25,") != std::string::npos);
  CHECK(csv.find("\n50,") != std::string::npos);
  CHECK(read_file(dir / "gp_fit_time.svg").find("slope 3: O(N^3)") != std::string::npos);
  const auto bad = run_cli("analysis gp_fit_time cliff_hill_v05 --ticks 2 --repetitions 0 --out " + dir.string());
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--repetitions") != std::string::npos);
}

}  // namespace test_gp_fit_time
