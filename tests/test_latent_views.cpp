// The latent family's views without ImGui (app/draw/latent_*.h): the layout beside the world
// (parts outside the world and apart from each other, nothing added when both are off), the
// filmstrip's labels as the real frames arrive, the latent map's cyclic colours for an angle
// and its exports (SVG with one dot per point, CSV with one row per point).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "app/draw/latent_filmstrip.h"
#include "app/draw/latent_map.h"
#include "app/draw/latent_overlay.h"
#include "tests/recording_canvas.h"

namespace test_latent_views {

using namespace dynalab;

namespace {

// A view of 4x4 frames: a plan of 3 predicted frames, 1 real one so far, and 12 latent points
// on a circle coloured by their angle (what a latent that keeps the pendulum's topology shows).
LatentView small_view() {
  LatentView v;
  v.frame_size = 4;
  v.predicted.assign(3, std::vector<float>(16, 0.5f));
  v.real.assign(1, std::vector<float>(16, 1.0f));
  v.strip_start = 41;
  v.current.assign(16, 1.0f);
  v.reconstruction.assign(16, 0.8f);
  for (int i = 0; i < 12; ++i) {
    const double a = -std::numbers::pi + 2 * std::numbers::pi * i / 12;
    v.latent_points.push_back({std::cos(a), std::sin(a)});
    v.latent_colour.push_back(a);
  }
  v.colour_name = "angle (rad)";
  v.probe_r2 = 0.95;
  v.fits = 2;
  return v;
}

bool inside(const Bounds& in, const Bounds& out) {
  return in.lo.x >= out.lo.x && in.lo.y >= out.lo.y && in.hi.x <= out.hi.x && in.hi.y <= out.hi.y;
}

bool apart(const Bounds& a, const Bounds& b) {
  return a.hi.x <= b.lo.x || b.hi.x <= a.lo.x || a.hi.y <= b.lo.y || b.hi.y <= a.lo.y;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the latent views sit beside the world, apart from it and from each other") {
  const Bounds world{{-1.3, -1.3}, {4.0, 1.3}};
  const LatentView v = small_view();
  const LatentLayout l = latent_layout(world, v, {});
  REQUIRE((l.has_strip && l.has_pair && l.has_map));
  for (const Bounds* part : {&world, &l.strip, &l.pair, &l.map}) CHECK(inside(*part, l.all));
  CHECK(l.strip.hi.y < world.lo.y);  // the filmstrip below the world
  CHECK(l.map.lo.x > world.hi.x);    // the latent map to its right
  CHECK(apart(l.strip, l.pair));
  CHECK(apart(l.pair, l.map));
  CHECK(apart(l.map, world));
  // Only the map: nothing below the world; neither: the world's own bounds.
  const LatentLayout map_only = latent_layout(world, v, {.filmstrip = false, .latent_map = true});
  CHECK(map_only.all.lo.y == world.lo.y);
  const LatentLayout none = latent_layout(world, v, {.filmstrip = false, .latent_map = false});
  CHECK((none.all.lo.x == world.lo.x && none.all.hi.x == world.hi.x && none.all.lo.y == world.lo.y &&
         none.all.hi.y == world.hi.y));
}

TEST_CASE("the filmstrip names its rows and columns and counts the real frames that arrived") {
  const LatentView v = small_view();
  test::RecordingCanvas c;
  draw_filmstrip(c, v, filmstrip_alone_box(v));
  auto has = [&](const std::string& s) { return std::find(c.texts.begin(), c.texts.end(), s) != c.texts.end(); };
  CHECK(has("predicted (decoded plan), chosen at step 41"));
  CHECK(has("real (1 of 3 arrived)"));
  CHECK((has("t+1") && has("t+3") && !has("t+4")));
  // Before the first plan: the default number of empty columns and no count of arrivals.
  test::RecordingCanvas empty;
  draw_filmstrip(empty, LatentView{}, filmstrip_alone_box(LatentView{}));
  CHECK(std::find(empty.texts.begin(), empty.texts.end(), "t+8") != empty.texts.end());
  CHECK(std::find(empty.texts.begin(), empty.texts.end(), "real") != empty.texts.end());
}

TEST_CASE("the keypoints land on what the agent sees: (-1, -1) its bottom-left corner, (1, 1) its top-right") {
  LatentView v = small_view();
  const Bounds box{{0, 0}, {2, frame_pair_height(2)}};
  test::RecordingCanvas plain;
  draw_frame_pair(plain, v, box);
  CHECK(plain.circle_centres.empty());
  CHECK(std::find(plain.texts.begin(), plain.texts.end(), "what the agent sees") != plain.texts.end());
  v.keypoints = {{-1, -1}, {1, 1}, {0, 0}};
  test::RecordingCanvas c;
  draw_frame_pair(c, v, box);
  REQUIRE(c.circle_centres.size() == 3);
  CHECK(std::find(c.texts.begin(), c.texts.end(), "what the agent sees, keypoints") != c.texts.end());
  // The left frame of the pair: its side s and its corners from the first two keypoints.
  const Vec2 lo = c.circle_centres[0], hi = c.circle_centres[1], mid = c.circle_centres[2];
  const double s = hi.x - lo.x;
  CHECK(s > 0);
  CHECK(hi.y - lo.y == doctest::Approx(s));  // a square frame
  CHECK(lo.x == doctest::Approx(box.lo.x));
  CHECK(hi.x < box.lo.x + (box.hi.x - box.lo.x) / 2);  // the left one of the two frames
  CHECK(mid.x == doctest::Approx(lo.x + s / 2));
  CHECK(mid.y == doctest::Approx(lo.y + s / 2));
}

TEST_CASE("an angle's colours are cyclic: -pi and pi get one colour, 0 another") {
  const Color a = angle_color(-std::numbers::pi), b = angle_color(std::numbers::pi), z = angle_color(0);
  CHECK(std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b) < 1e-5);
  CHECK(std::abs(a.r - z.r) + std::abs(a.g - z.g) + std::abs(a.b - z.b) > 0.5);
  LatentView v = small_view();
  CHECK(latent_colour_is_angle(v));
  v.colour_name = "x";
  CHECK_FALSE(latent_colour_is_angle(v));
}

TEST_CASE("the latent map exports one dot per point as SVG and one row per point as CSV") {
  const LatentView v = small_view();
  const std::string svg = latent_map_svg(v);
  CHECK(count(svg, "<circle") == 12);
  CHECK(svg.find("probe R^2 = 0.95") != std::string::npos);
  const std::string csv = latent_map_csv(v);
  CHECK(csv.rfind("point,pc1,pc2,angle (rad)\n", 0) == 0);
  CHECK(count(csv, "\n") == 13);
  // The filmstrip as SVG: the two rows' frames, the 2 frames not yet arrived as empty boxes.
  const std::string strip = filmstrip_svg(v);
  CHECK(strip.find("real (1 of 3 arrived)") != std::string::npos);
}

}  // namespace test_latent_views
