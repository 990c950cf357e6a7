// Guided policy search's views (issue 18): the trajectory tubes' encoding over the world
// (app/draw/local_controller_overlay.h, without ImGui: which lines, in which colour, width and
// fade), the figures the agent adds (predicted vs actual cost decrease, the C-step's KL against
// its bound, global vs local cost) from a short run, gps.kl_step as a live edit that the next
// C-step's bound follows, and deck 003's "what if we go too far?" on the reacher (Release only).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "app/draw/local_controller_overlay.h"
#include "app/draw/world_view.h"
#include "core/agents/gps/gps_agent.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/figure.h"
#include "core/snapshot.h"
#include "envs/point_mass.h"
#include "envs/registry.h"
#include "tests/test_util.h"
#include "tests/recording_canvas.h"

namespace test_gps_views {

using namespace dynalab;

namespace {

bool same_rgb(Color a, Color b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

// A path of T + 1 one-dimensional observations from x0 to x1.
std::vector<Vec> line_path(double x0, double x1, int T) {
  std::vector<Vec> p;
  for (int t = 0; t <= T; ++t) p.push_back(Vec::Constant(2, x0 + (x1 - x0) * t / T));
  return p;
}

// `iterations` complete iterations of 2 conditions with 3 samples each, and optionally one in
// progress (2 samples of condition 0, no predicted mean, no policy rollout yet).
LocalControllerView tube_view(int iterations, bool in_progress) {
  LocalControllerView v;
  v.conditions = 2, v.samples = 3, v.horizon = 10, v.obs_dim = 2, v.action_dim = 1;
  for (int i = 0; i < iterations + (in_progress ? 1 : 0); ++i) {
    auto it = std::make_shared<LocalControllerView::Iteration>();
    it->iteration = i;
    it->conditions.resize(2);
    for (int m = 0; m < 2; ++m) {
      auto& c = it->conditions[size_t(m)];
      const double x0 = m == 0 ? -2 : 2;
      const bool done = i < iterations;
      for (int s = 0; s < (done ? 3 : m == 0 ? 2 : 0); ++s) c.samples.push_back(line_path(x0, 0.1 * s, 10));
      if (done) {
        c.nominal = line_path(x0, 0, 10);
        c.policy_rollout = line_path(x0, 0.5, 10);
      }
    }
    v.iterations.push_back(it);
  }
  return v;
}

size_t count(const std::vector<TubePath>& lines, TubeLine kind) {
  return size_t(std::count_if(lines.begin(), lines.end(), [kind](const TubePath& p) { return p.kind == kind; }));
}

std::unique_ptr<Experiment> point_mass_gps(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("gps_point_mass", sets), env_registry());
}

const Figure& figure(const Snapshot& s, const std::string& id) {
  const auto f = std::find_if(s.figures.begin(), s.figures.end(), [&](const Figure& x) { return x.id == id; });
  REQUIRE(f != s.figures.end());
  return *f;
}

const Series& series(const Figure& f, const std::string& label) {
  const auto s = std::find_if(f.series.begin(), f.series.end(), [&](const Series& x) { return x.label == label; });
  REQUIRE(s != f.series.end());
  return *s;
}

}  // namespace

TEST_CASE("gps tubes: the newest samples thin in their start's colour, the predicted mean bold, the policy black") {
  const LocalControllerView v = tube_view(2, false);
  const std::vector<TubePath> lines = tube_lines(v);
  // Samples of the newest iteration only: 2 starts x 3.
  CHECK(count(lines, TubeLine::sample) == 6);
  CHECK(count(lines, TubeLine::nominal) == 4);  // both iterations' means, per start
  CHECK(count(lines, TubeLine::policy) == 4);
  std::set<int> sample_iterations;
  for (const TubePath& p : lines) {
    CAPTURE(int(p.kind));
    CAPTURE(p.condition);
    REQUIRE(p.observations);
    if (p.kind == TubeLine::sample) {
      sample_iterations.insert(p.iteration);
      CHECK(same_rgb(p.color, condition_color(p.condition)));
      CHECK(p.color.a < 1.0f);
    }
    if (p.kind == TubeLine::nominal) {
      CHECK(same_rgb(p.color, condition_color(p.condition)));
      // Bold against the samples' thin lines (the newest at least twice as wide).
      for (const TubePath& q : lines)
        if (q.kind == TubeLine::sample) CHECK(p.width >= (p.age == 0 ? 2.5f : 1.5f) * q.width);
      CHECK(p.observations == &v.iterations[size_t(p.iteration)]->conditions[size_t(p.condition)].nominal);
    }
    if (p.kind == TubeLine::policy) CHECK(std::max({p.color.r, p.color.g, p.color.b}) < 0.1f);  // black
  }
  CHECK(sample_iterations == std::set<int>{1});
  // The two starts are told apart by colour.
  CHECK_FALSE(same_rgb(condition_color(0), condition_color(1)));
}

TEST_CASE("gps tubes: earlier iterations fade behind the newest, at most kTubeIterations of them") {
  const LocalControllerView v = tube_view(7, false);
  const std::vector<TubePath> lines = tube_lines(v);
  CHECK(count(lines, TubeLine::nominal) == size_t(2 * kTubeIterations));
  CHECK(count(lines, TubeLine::policy) == size_t(2 * kTubeIterations));
  for (const TubePath& p : lines)
    if (p.kind != TubeLine::sample) {
      CHECK(p.age == 6 - p.iteration);
      CHECK(p.color.a == doctest::Approx(tube_fade(p.age)));
    }
  for (int a = 1; a < kTubeIterations; ++a) CHECK(tube_fade(a) < tube_fade(a - 1));
  CHECK(tube_fade(0) == 1.0f);
  CHECK(tube_fade(kTubeIterations) == 0.0f);
  // Back to front: the older a line, the earlier it is drawn.
  for (size_t i = 1; i < lines.size(); ++i) CHECK(lines[i].age <= lines[i - 1].age);
  // The newest predicted mean is drawn wider than the faded ones.
  for (const TubePath& p : lines)
    if (p.kind == TubeLine::nominal && p.age > 0)
      for (const TubePath& q : lines)
        if (q.kind == TubeLine::nominal && q.age == 0) CHECK(q.width > p.width);
}

TEST_CASE("gps tubes: while an iteration samples, its rollouts are drawn against the mean predicted for them") {
  const LocalControllerView v = tube_view(2, true);
  const std::vector<TubePath> lines = tube_lines(v);
  // The samples so far (2 of start 0) are the in-progress iteration's...
  CHECK(count(lines, TubeLine::sample) == 2);
  for (const TubePath& p : lines)
    if (p.kind == TubeLine::sample) CHECK(p.iteration == 2);
  // ...and the bold mean is the previous iteration's C-step's prediction (the one they test).
  for (const TubePath& p : lines)
    if (p.kind == TubeLine::nominal && p.age == 0) CHECK(p.iteration == 1);
}

TEST_CASE("gps tubes over the point mass: every line up the time band of real rollouts, the key says what they are") {
  const LocalControllerView v = tube_view(2, false);
  const PointMass env;
  test::RecordingCanvas c;
  draw_local_controllers(c, env, v);
  CHECK(c.lines.size() == tube_lines(v).size());
  const Bounds b = env.world_bounds();
  for (const auto& l : c.lines) {
    REQUIRE(l.points.size() == 11);
    CHECK(l.points.front().y > b.hi.y);           // t = 0 at the band's foot...
    CHECK(l.points.back().y > l.points[5].y);     // ...time going up
  }
  // A start at x = -2 is drawn at x = -2 (the position is the path's x).
  CHECK(std::any_of(c.lines.begin(), c.lines.end(), [](const auto& l) { return l.points.front().x == doctest::Approx(-2); }));
  CHECK(std::find(c.texts.begin(), c.texts.end(), "real rollouts (time goes up)") != c.texts.end());
  CHECK(std::find(c.texts.begin(), c.texts.end(), "imagined futures (time goes up)") == c.texts.end());
  const auto key = tube_key(v);
  REQUIRE(key.size() >= 3);
  CHECK(key[0].find("3 rollouts") != std::string::npos);
}

TEST_CASE("gps figures from a short run: predicted vs actual per iteration, the KL under its bound, global vs local cost") {
  // 3 iterations of gps_point_mass (2 starts x (5 samples + 1 policy rollout) = 12 episodes each).
  auto e = point_mass_gps({"episodes=36", "gps.policy.iterations=300", "gps.policy.steps_per_tick=300"});
  while (e->tick()) {
  }
  const auto snap = e->snapshot();
  const Figure& change = figure(*snap, "gps_improvement");
  const Series& predicted = series(change, "predicted");
  const Series& real = series(change, "actual");
  CHECK(change.series.size() == 2);
  // No prediction to check at iteration 0.
  CHECK(predicted.x == std::vector<double>{1, 2});
  CHECK(real.x == std::vector<double>{1, 2});
  const auto& iters = snap->local_controllers->iterations;
  REQUIRE(iters.size() == 3);
  for (size_t k = 0; k < 2; ++k) {
    const auto& cs = iters[k + 1]->conditions;
    const auto& before = iters[k]->conditions;
    CHECK(real.y[k] == doctest::Approx(0.5 * (before[0].sample_cost + before[1].sample_cost) -
                                       0.5 * (cs[0].sample_cost + cs[1].sample_cost)));
    CHECK(predicted.y[k] == doctest::Approx(0.5 * (cs[0].predicted_improvement + cs[1].predicted_improvement)));
  }
  const Figure& kl = figure(*snap, "gps_kl");
  const Series& taken = series(kl, "KL taken");
  const Series& bound = series(kl, "target");
  REQUIRE(taken.y.size() == 3);
  REQUIRE(bound.y.size() == 3);
  CHECK(bound.y[0] == doctest::Approx(0.2 * 100));  // step_mult 1 at the first C-step
  for (size_t k = 0; k < 3; ++k) CHECK(std::abs(taken.y[k] - bound.y[k]) < 0.1 * bound.y[k]);  // the dual meets it
  const Figure& cost = figure(*snap, "gps_cost");
  CHECK(series(cost, "global policy").y.size() == 3);
  CHECK(series(cost, "local controllers' samples").y.size() == 3);
  // The world SVG (File > Export, dynalab-cli run --world-svg) draws the same tubes.
  const std::string svg = world_view_svg(*snap, {});
  CHECK(svg.find("real rollouts (time goes up)") != std::string::npos);
  size_t polylines = 0;
  for (size_t at = 0; (at = svg.find("<polyline", at)) != std::string::npos; ++at) ++polylines;
  CHECK(polylines >= tube_lines(*snap->local_controllers).size());
  CHECK(tube_lines(*snap->local_controllers).size() == 2 * (5 + 3 + 3));  // samples, 3 means, 3 MLP rollouts
}

TEST_CASE("gps.kl_step is a live knob: the next C-step's bound follows it") {
  auto e = point_mass_gps({"episodes=24", "gps.step_rule=\"fixed\"", "gps.policy.iterations=300",
                           "gps.policy.steps_per_tick=300"});
  const auto& ee = dynamic_cast<const EpisodicExperiment&>(*e);
  // Through iteration 0 (its C-step under kl_step 0.2), into iteration 1's samples.
  while (ee.clock().episode < 13 && e->tick()) {
  }
  Json edited = e->config();
  edited["gps"]["kl_step"] = 1.5;
  const LiveEdit edit = e->apply_live_edit(edited);
  CHECK(edit.live == std::vector<std::string>{"gps.kl_step"});
  CHECK(edit.pending.empty());
  while (e->tick()) {
  }
  const auto snap = e->snapshot();
  const auto& iters = snap->local_controllers->iterations;
  REQUIRE(iters.size() == 2);
  for (const auto& c : iters[0]->conditions) CHECK(c.kl_target == doctest::Approx(0.2 * 100));
  for (const auto& c : iters[1]->conditions) {
    CHECK(c.kl_target == doctest::Approx(1.5 * 100));
    CHECK(c.kl > 0.9 * 1.5 * 100);
  }
}

TEST_CASE("what if we go too far? On the reacher a KL step of 5 promises improvements the real rollouts do not deliver" *
          doctest::skip(test::kSanitized)) {
  // Lesson 21's two runs (seed 0; seeds 1 and 2 are checked by its claims in lessons --verify).
  auto run = [](double kl_step) {
    auto e = make_experiment(load_experiment("gps_reacher", {"gps.kl_step=" + std::to_string(kl_step)}), env_registry());
    while (e->tick()) {
    }
    return e->snapshot();
  };
  const auto small = run(0.1), big = run(5);
  auto min_of = [](const Snapshot& s, const std::string& label) {
    const auto& y = series(figure(s, "gps_improvement"), label).y;
    REQUIRE(y.size() == 9);  // iterations 1..9 of 10
    return *std::min_element(y.begin(), y.end());
  };
  CHECK(min_of(*small, "predicted") > 0);
  CHECK(min_of(*big, "predicted") > 0);
  CHECK(min_of(*small, "actual") > 0);  // every promised improvement came true...
  CHECK(min_of(*big, "actual") < 0);    // ...but at least one of the big steps made it worse
  const auto& small_cost = series(figure(*small, "gps_cost"), "local controllers' samples").y;
  const auto& big_cost = series(figure(*big, "gps_cost"), "local controllers' samples").y;
  CHECK(big_cost.back() > 2 * small_cost.back());
  // The bound was 5 / 0.1 = 50 times wider, and the C-step used it.
  const auto& big_kl = series(figure(*big, "gps_kl"), "KL taken").y;
  const auto& small_kl = series(figure(*small, "gps_kl"), "KL taken").y;
  CHECK(big_kl.front() > 20 * small_kl.front());
}

}  // namespace test_gps_views
