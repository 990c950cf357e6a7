// The encodings of the plan and model views (issue 23, section 5): the fan's colours (red where
// an imagined path reaches a failure, a return scale fixed per episode), the planner's own words
// (random shooting has no elites and no iterations), log axes, map extents, a noiseless world's
// missing aleatoric band, and a binned world's cells.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "app/draw/fan_legend.h"
#include "app/draw/mpc_overlay.h"
#include "app/draw/world_view.h"
#include "core/analysis/model_inputs.h"
#include "core/analysis/uncertainty_slice_recipe.h"
#include "core/config.h"
#include "core/experiment.h"
#include "core/figure.h"
#include "envs/cliff_hill.h"
#include "envs/discretized_env.h"
#include "envs/mountain_car.h"
#include "envs/registry.h"
#include "tests/recording_canvas.h"

namespace test_plan_encoding {

using namespace dynalab;

namespace {

bool same(Color a, Color b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

// Three candidates on the default cliff hill (cliff edge at x = 9.5): one stays on the slope,
// one drives past the edge into the pit, one terminates (NaN rows) on the slope.
PlanTrace three_candidates() {
  PlanTrace t;
  t.horizon = 2, t.action_dim = 1, t.obs_dim = 2, t.candidates = 3, t.particles = 1;
  const float nan = std::nanf("");
  t.paths = {5, 0, 6, 1, 7, 1,          // runs the horizon
             9, 1, 10, 1, 11, 1,        // past the cliff edge: in the pit
             5, 0, 5.5f, 1, nan, nan};  // ends early
  t.returns = {10, 30, 20};
  t.actions.assign(6, 0.f);
  t.plan = {0, 0};
  return t;
}

std::unique_ptr<Experiment> oracle(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("cliff_hill_oracle", sets), env_registry());
}

}  // namespace

TEST_CASE("candidate_ends: a path into the pit is a failure, an early end is a termination") {
  const CliffHill env;
  const PlanTrace t = three_candidates();
  const auto ends = candidate_ends(t, env);
  REQUIRE(ends.size() == 3);
  CHECK(ends[0] == PathEnd::horizon);
  CHECK(ends[1] == PathEnd::failure);
  CHECK(ends[2] == PathEnd::terminated);
  CHECK(end_fraction(ends, PathEnd::failure) == doctest::Approx(1.0 / 3));
  CHECK(env.failure_name() == "ends in the pit");
}

TEST_CASE("the fan draws a candidate that ends in the pit red, whatever its return") {
  const CliffHill env;
  const PlanTrace t = three_candidates();
  const ReturnScale scale{0, 40};
  // The failing candidate has the best return here, and is still red.
  CHECK(same(candidate_color(30, PathEnd::failure, scale), palette::danger));
  CHECK(same(candidate_color(30, PathEnd::horizon, scale), return_color(0.75f)));
  test::RecordingCanvas c;
  MpcOverlayOptions opt;
  opt.chosen = false, opt.elites = false, opt.legend = false;
  draw_plan_trace(c, t, env, opt, {}, scale);
  REQUIRE(c.lines.size() == 3);
  int red = 0;
  for (const auto& l : c.lines) red += same(l.color, palette::danger);
  CHECK(red == 1);
  // The red one is the one that goes past the edge.
  for (const auto& l : c.lines)
    if (same(l.color, palette::danger)) CHECK(l.points.back().x > env.cliff_x());
}

TEST_CASE("the fan's return scale is fixed for the episode, not re-normalised per replan") {
  auto exp = oracle({"episodes=1", "env.max_episode_steps=20"});
  // 3 CEM iterations per replan, replanning every step: ticks 1-3 plan, 4 acts, 5-7 plan, ...
  std::shared_ptr<const PlanView> first, later;
  const CliffHill env;
  for (int t = 1; t <= 27 && exp->tick(); ++t) {
    if (t == 3) first = exp->snapshot()->plan;
    if (t == 27) later = exp->snapshot()->plan;
  }
  REQUIRE(first);
  REQUIRE(later);
  REQUIRE(first->return_lo <= first->return_hi);
  // The later scale holds the first replan's returns too (it only widens in an episode)...
  CHECK(later->return_lo <= first->return_lo);
  CHECK(later->return_hi >= first->return_hi);
  for (const PlanView* p : {first.get(), later.get()}) {
    const auto ends = candidate_ends(p->trace, env);
    for (size_t i = 0; i < p->trace.returns.size(); ++i)
      if (std::isfinite(p->trace.returns[i]) && ends[i] != PathEnd::failure) {
        CHECK(p->trace.returns[i] >= later->return_lo);
        CHECK(p->trace.returns[i] <= later->return_hi);
      }
  }
  // ...so it is not the latest trace's own range, and the fan uses it.
  const ReturnScale own = fan_scale(later->trace, 1, 0);
  CHECK((own.lo != later->return_lo || own.hi != later->return_hi));
  const ReturnScale used = fan_scale(later->trace, later->return_lo, later->return_hi);
  CHECK(used.lo == later->return_lo);
  CHECK(used.hi == later->return_hi);
}

TEST_CASE("lesson 10 step 1's settings: red paths into the pit in the fan, and in the world SVG") {
  auto exp = oracle({"env.plateau=1.5", "planner.population=300", "planner.elites=30"});
  for (int t = 0; t < 120 && exp->tick(); ++t) {
  }
  const auto s = exp->snapshot();
  REQUIRE(s->plan);
  const auto ends = candidate_ends(s->plan->trace, *s->world);
  CHECK(end_fraction(ends, PathEnd::failure) > 0.01);
  const std::string svg = world_view_svg(*s, {});
  CHECK(svg.find("ends in the pit") != std::string::npos);  // the key
  CHECK(svg.find("predicted return") != std::string::npos);
  CHECK(svg.find("elites (CEM refits to them)") != std::string::npos);
  const std::string red_stroke = "stroke=\"#d91a1a\"";  // palette::danger
  size_t red = 0;
  for (size_t at = 0; (at = svg.find("<polyline", at)) != std::string::npos; ++at)
    red += svg.compare(svg.find("stroke=", at), red_stroke.size(), red_stroke) == 0;
  CHECK(red >= 1);
}

TEST_CASE("random shooting is described in its own words: guesses, no elites, no iterations") {
  // As lesson 04 step 1 sets it: the planner section replaced (CEM's keys are not random
  // shooting's).
  auto exp = oracle({R"(planner={"optimizer": "random_shooting", "horizon": 25, "population": 50})"});
  for (int t = 0; t < 3 && exp->tick(); ++t) {
  }
  const auto s = exp->snapshot();
  REQUIRE(s->plan);
  const PlanView& p = *s->plan;
  CHECK(p.optimizer == "random_shooting");
  CHECK(p.elites_name == "best 10 guesses");
  CHECK(p.iteration_name.empty());
  auto has_cem_words = [](const std::string& x) {
    std::string l = x;
    std::transform(l.begin(), l.end(), l.begin(), ::tolower);
    return l.find("elite") != std::string::npos || l.find("iteration") != std::string::npos ||
           l.find("cem") != std::string::npos;
  };
  const auto fig = std::find_if(s->figures.begin(), s->figures.end(),
                                [](const Figure& f) { return f.id == "planner_objective"; });
  REQUIRE(fig != s->figures.end());
  CHECK_FALSE(has_cem_words(fig->title + fig->x_label + fig->y_label));
  for (const auto& series : fig->series) CHECK_FALSE(has_cem_words(series.label));
  // Every guess of the replan, best first.
  REQUIRE(fig->series.size() == 1);
  CHECK(fig->series[0].y.size() == 50);
  CHECK(std::is_sorted(fig->series[0].y.rbegin(), fig->series[0].y.rend()));
  FanLegend key;
  key.elites_name = p.elites_name;
  key.failure_name = "ends in the pit";
  for (const auto& line : fan_legend_lines(key)) CHECK_FALSE(has_cem_words(line));
  // CEM keeps its own words.
  auto cem = oracle({});
  for (int t = 0; t < 3 && cem->tick(); ++t) {
  }
  CHECK(cem->snapshot()->plan->iteration_name == "CEM iteration");
  CHECK(cem->snapshot()->plan->elites_name.find("elites") == 0);
}

TEST_CASE("a quantity spanning orders of magnitude gets a log axis, a signed one does not") {
  Figure loss{"model_loss", "", "", "", {{"train", {1, 2, 3}, {2.0, 0.1, 0.01}}}, false};
  CHECK(spans_orders_of_magnitude(loss));
  Figure nll{"model_loss", "", "", "", {{"train", {1, 2, 3}, {2.0, -1.0, -3.0}}}, false};
  CHECK_FALSE(spans_orders_of_magnitude(nll));
  Figure flat{"x", "", "", "", {{"a", {1, 2}, {1.0, 2.0}}}, false};
  CHECK_FALSE(spans_orders_of_magnitude(flat));
}

TEST_CASE("a map along a bounded dim covers the whole world: the cliff hill's x reaches the pit") {
  const CliffHill env;
  ModelInputs in;
  in.obs_space = env.observation_space();
  in.state = Vec::Zero(2);
  in.state << 5.0, 0.5;
  auto summary = std::make_shared<TrainingSummary>();
  summary->lo = Eigen::RowVectorXd(2), summary->hi = Eigen::RowVectorXd(2);
  summary->lo << 4.0, -1.0;
  summary->hi << 8.0, 2.0;
  in.summary = summary;
  double lo = 0, hi = 0;
  axis_range(in, 0, 0.5, lo, hi);
  CHECK(lo <= -3.0);
  CHECK(hi >= env.cliff_x() + 1);  // past the edge, over the pit
  axis_range(in, 1, 0.5, lo, hi);  // velocity is unbounded: the data's span, widened
  CHECK(lo == doctest::Approx(-2.5));
  CHECK(hi == doctest::Approx(3.5));
}

TEST_CASE("a noiseless world's uncertainty slice has no aleatoric band and says so") {
  UncertaintySliceView v;
  v.slice.x = {0, 0, 1, 3};
  v.slice.xs = {0, 0.5, 1};
  v.slice.output_dim = 1;
  v.slice.members = 1;
  v.slice.member_means = {0, 0, 0};
  v.slice.member_vars = {0.1, 0.1, 0.1};
  v.slice.mean = {0, 0, 0};
  v.slice.epistemic = {0, 0, 0};
  v.slice.aleatoric = {0.1, 0.1, 0.1};
  const std::vector<std::string> names{"x", "velocity"};
  auto has_aleatoric = [](const Figure& f) {
    return std::any_of(f.series.begin(), f.series.end(),
                       [](const Series& s) { return s.label.rfind("aleatoric", 0) == 0; });
  };
  CHECK(has_aleatoric(uncertainty_slice_figure(v, names)));
  v.deterministic_world = true;
  const Figure f = uncertainty_slice_figure(v, names);
  CHECK_FALSE(has_aleatoric(f));
  CHECK(f.title.find("(noiseless world)") != std::string::npos);
  CHECK(CliffHill().deterministic());
}

TEST_CASE("a binned world shows its cells; the true state lies in the cell its path ends in") {
  Json j = {{"name", "discretized"},
            {"inner", {{"name", "mountain_car"}}},
            {"bins", {12, 12}},
            {"actions", {-1, 1}},
            {"repeat", 5}};
  ConfigNode node(j, "test");
  auto env = env_registry().make(node);
  const Bounds inner = MountainCar().world_bounds(), wb = env->world_bounds();
  CHECK(wb.hi.x > inner.hi.x);  // the panel beside the inner world
  // The 144 cells sit on a 12 x 12 lattice, each at a distinct place.
  std::vector<double> xs, ys;
  for (int s = 0; s < 144; ++s) {
    const auto p = env->obs_position(Vec::Constant(1, s));
    REQUIRE(p);
    xs.push_back(p->x), ys.push_back(p->y);
  }
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());
  CHECK(std::unique(xs.begin(), xs.end()) - xs.begin() == 12);
  CHECK(std::unique(ys.begin(), ys.end()) - ys.begin() == 12);
  // The true-state dot (drawn over the overlays) is inside the cell the table is in.
  Vec cell = env->reset(3);
  for (int t = 0; t < 30; ++t) cell = env->step(Vec::Constant(1, (t / 6) % 2)).obs;
  struct Dots : Canvas {
    std::vector<Vec2> centres;
    std::vector<std::vector<Vec2>> rings;
    void polygon(std::span<const Vec2>, Color, Color) override {}
    void circle(Vec2 c, double, Color, Color) override { centres.push_back(c); }
    void segment(Vec2, Vec2, Color, float) override {}
    void polyline(std::span<const Vec2> p, Color, float) override { rings.emplace_back(p.begin(), p.end()); }
    void rect(Vec2, Vec2, Color, Color) override {}
    void text(Vec2, std::string_view, Color, float) override {}
    void arrow(Vec2, Vec2, Color, float) override {}
  } d;
  env->draw_over(d);
  REQUIRE(d.centres.size() == 1);
  REQUIRE(d.rings.size() == 1);
  const auto c = env->obs_position(cell);
  REQUIRE(c);
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const Vec2& p : d.rings[0])
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  CHECK(c->x == doctest::Approx(0.5 * (x0 + x1)));  // the outlined cell is the path's last cell
  CHECK(c->y == doctest::Approx(0.5 * (y0 + y1)));
  CHECK(d.centres[0].x >= x0 - 1e-9);
  CHECK(d.centres[0].x <= x1 + 1e-9);
  CHECK(d.centres[0].y >= y0 - 1e-9);
  CHECK(d.centres[0].y <= y1 + 1e-9);
  CHECK_FALSE(env->deterministic());  // one cell, many outcomes
}

TEST_CASE("cliff hill: where the car is drawn and where its path ends agree, also in the fall") {
  CliffHillConfig cfg;
  cfg.pit_terminates = false;
  cfg.engine_accel = 8, cfg.damping = 3;
  CliffHill env(cfg);
  env.place_car(env.cliff_x() - 2.0, 0);
  Vec obs = env.observe();
  int falling = 0;
  double worst = 0;
  for (int t = 0; t < 40; ++t) {
    obs = env.step(Vec::Constant(1, 1.0)).obs;
    const BodyState b = env.body_state(0);
    const auto p = env.obs_position(obs);
    REQUIRE(p);
    CHECK(p->x == doctest::Approx(b.x));
    if (obs[0] > env.cliff_x() && b.y > -cfg.pit_depth + 1.0) ++falling;  // in the air
    worst = std::max(worst, std::abs(p->y - b.y));
  }
  CHECK(falling >= 2);   // some of the compared steps were mid-fall
  CHECK(worst < 0.35);   // the path's points are where the car is drawn (the disc's centre)
}

}  // namespace test_plan_encoding
