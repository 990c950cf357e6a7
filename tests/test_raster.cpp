// The camera of models from pixels (issue 20): RasterCanvas's coverage is the shapes' true area,
// renders are deterministic, and the pixels env stacks frames and restores them exactly.

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <numbers>

#include "core/raster_canvas.h"
#include "envs/pixels_env.h"
#include "envs/registry.h"
#include "test_util.h"

namespace test_raster {

using namespace dynalab;

namespace {

constexpr Color kWhite{1, 1, 1, 1};

/// The area a canvas's pixels cover, world units: sum of coverage times the pixel's area.
double covered_area(const RasterCanvas& c) {
  double sum = 0;
  for (float v : c.pixels()) sum += v;
  return sum / (c.scale_x() * c.scale_y());
}

std::unique_ptr<Env> make_env(const Json& j) {
  ConfigNode node(j, "test.json");
  return env_registry().make(node);
}

bool same_bits(const Vec& a, const Vec& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
}

/// Mean absolute difference of two images.
double mean_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d += std::abs(a[i] - b[i]);
  return d / double(a.size());
}

}  // namespace

TEST_CASE("raster coverage: a rotated triangle, a square and a circle cover their area within 1 %") {
  // A 32 x 32 image of a 4 x 4 world: 8 pixels per unit, shapes off the pixel grid.
  const Bounds view{{-2, -2}, {2, 2}};
  SUBCASE("rotated triangle") {
    RasterCanvas c(32, 32, view);
    const double a = 0.37;  // radians
    auto rot = [&](double x, double y) { return Vec2{x * std::cos(a) - y * std::sin(a) + 0.11, x * std::sin(a) + y * std::cos(a) - 0.07}; };
    const Vec2 tri[3] = {rot(-1.3, -0.9), rot(1.4, -0.6), rot(0.2, 1.1)};
    c.polygon(tri, kWhite, palette::none);
    const double truth = 0.5 * std::abs((tri[1].x - tri[0].x) * (tri[2].y - tri[0].y) - (tri[2].x - tri[0].x) * (tri[1].y - tri[0].y));
    CHECK(covered_area(c) == doctest::Approx(truth).epsilon(0.01));
  }
  SUBCASE("square") {
    RasterCanvas c(32, 32, view);
    c.rect({-0.93, -1.21}, {0.58, 0.29}, kWhite, palette::none);
    CHECK(covered_area(c) == doctest::Approx(1.51 * 1.5).epsilon(0.01));
  }
  SUBCASE("circles, large and small") {
    for (double r : {1.37, 0.61, 0.2}) {
      CAPTURE(r);
      RasterCanvas c(32, 32, view);
      c.circle({0.13, -0.29}, r, kWhite, palette::none);
      CHECK(covered_area(c) == doctest::Approx(std::numbers::pi * r * r).epsilon(0.01));
    }
  }
  SUBCASE("a shape half outside the view covers only its part inside") {
    RasterCanvas c(32, 32, view);
    c.rect({1.0, -0.5}, {3.0, 0.5}, kWhite, palette::none);
    CHECK(covered_area(c) == doctest::Approx(1.0).epsilon(0.01));
  }
}

TEST_CASE("raster coverage: the box path and the general polygon path agree per pixel") {
  const Bounds view{{-2, -2}, {2, 2}};
  RasterCanvas box(32, 32, view), general(32, 32, view);
  box.rect({-0.93, -1.21}, {0.58, 0.29}, kWhite, palette::none);
  // The same square as a polygon, its corners in another order, so it takes the clipping path.
  const Vec2 sq[4] = {{0.58, 0.29}, {-0.93, 0.29}, {-0.93, -1.21}, {0.58, -1.21}};
  general.polygon(sq, kWhite, palette::none);
  for (size_t i = 0; i < box.pixels().size(); ++i) CHECK(box.pixels()[i] == doctest::Approx(general.pixels()[i]).epsilon(1e-6));
}

TEST_CASE("raster pixels: anti-aliased edges, alpha compositing, luminance, row 0 at the top") {
  RasterCanvas c(4, 4, {{0, 0}, {4, 4}});
  // Covers the left half of column 1 in the top row (world y in [3, 4]).
  c.rect({0, 3}, {1.5, 4}, kWhite, palette::none);
  CHECK(c.at(0, 0) == doctest::Approx(1.0));
  CHECK(c.at(0, 1) == doctest::Approx(0.5));
  CHECK(c.at(3, 0) == 0.0f);
  // Half-transparent green over a pixel at 1: 1 * (1 - 0.5) + 0.7152 * 0.5.
  c.rect({0, 3}, {1, 4}, Color{0, 1, 0, 0.5f}, palette::none);
  CHECK(c.at(0, 0) == doctest::Approx(0.5 + 0.7152 * 0.5).epsilon(1e-5));
  // Text is skipped.
  RasterCanvas t(4, 4, {{0, 0}, {4, 4}});
  t.text({2, 2}, "G", kWhite, 5.0f);
  for (float v : t.pixels()) CHECK(v == 0.0f);
}

TEST_CASE("render_frame: identical on two renders and on a clone; the pendulum's frames change as it swings") {
  auto env = make_env({{"name", "pendulum"}});
  env->reset(4);
  const Bounds view = square_view(env->world_bounds());
  const auto a = render_frame(*env, 32, view), b = render_frame(*env, 32, view);
  REQUIRE(a.size() == 32u * 32u);
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  const auto copy = env->clone();
  const auto c = render_frame(*copy, 32, view);
  CHECK(std::memcmp(a.data(), c.data(), a.size() * sizeof(float)) == 0);
  double lit = 0;
  for (float v : a) {
    CHECK(v >= 0.0f);
    CHECK(v <= 1.0f);
    lit += v;
  }
  CHECK(lit > 5.0);  // the pole is there
  for (int t = 0; t < 15; ++t) env->step(Vec::Constant(1, 2.0));
  CHECK(mean_abs_diff(a, render_frame(*env, 32, view)) > 0.005);
}

TEST_CASE("pixels env: stacked frames, the inner observation, and an exact set_state round trip") {
  auto env = make_env({{"name", "pixels"}, {"size", 24}, {"frames", 3}});
  auto* px = dynamic_cast<PixelsEnv*>(env.get());
  REQUIRE(px);
  const int n = 24 * 24;
  CHECK(env->observation_space().dim() == 3 * n);
  CHECK(env->action_space().dim() == 1);
  const Vec o0 = env->reset(5);
  // On reset every frame is the first frame.
  CHECK(o0.segment(0, n) == o0.segment(2 * n, n));
  CHECK(o0.segment(n, n) == o0.segment(2 * n, n));
  // The inner observation is the pendulum's own with the same seed.
  auto pend = make_env({{"name", "pendulum"}});
  CHECK(same_bits(px->inner_observation(), pend->reset(5)));
  // Each step shifts the stack: the newest frame becomes the middle one.
  Vec prev = o0;
  for (int t = 0; t < 12; ++t) {
    const Vec a = Vec::Constant(1, t % 2 ? 2.0 : -1.0);
    const StepResult r = env->step(a);
    CHECK(same_bits(r.obs.segment(n, n), prev.segment(2 * n, n)));
    CHECK(same_bits(px->inner_observation(), pend->step(a).obs));
    prev = r.obs;
  }
  CHECK((prev.segment(0, n) - prev.segment(2 * n, n)).cwiseAbs().sum() > 1.0);

  // set_state on another instance gives the bit-identical observation and the same future.
  const auto state = env->get_state();
  auto other = make_env({{"name", "pixels"}, {"size", 24}, {"frames", 3}});
  other->reset(99);
  other->set_state(state);
  auto* opx = dynamic_cast<PixelsEnv*>(other.get());
  CHECK(same_bits(opx->observation(), px->observation()));
  CHECK(same_bits(opx->inner_observation(), px->inner_observation()));
  const Vec a = Vec::Constant(1, 1.5);
  CHECK(same_bits(other->step(a).obs, env->step(a).obs));
  CHECK_THROWS_AS(other->set_state({1.0, 2.0}), std::invalid_argument);
}

TEST_CASE("pixels env: config errors name the key") {
  const auto fails_on = [](const Json& j, const char* key) {
    ConfigNode node(j, "test.json");
    CHECK_THROWS_WITH_AS(env_registry().make(node), doctest::Contains(key), InputError);
  };
  fails_on({{"name", "pixels"}, {"inner", {{"name", "pixels"}}}}, "inner");
  fails_on({{"name", "pixels"}, {"size", 4}}, "size");
  fails_on({{"name", "pixels"}, {"size", 200}}, "size");
  fails_on({{"name", "pixels"}, {"frames", 0}}, "frames");
  fails_on({{"name", "pixels"}, {"frames", 9}}, "frames");
  // The CLI: one line naming the key, exit 2.
  const auto r = test::run_cli("rollout pixels --set size=4 --out " + test::temp_dir("raster").string());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("size") != std::string::npos);
}

}  // namespace test_raster
