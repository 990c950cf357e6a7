#include "app/draw/local_controller_overlay.h"

#include <algorithm>
#include <cmath>

#include "app/draw/branched_rollout_overlay.h"
#include "app/draw/plan_overlay.h"

namespace dynalab {

namespace {
// Widths in screen pixels: the predicted mean must read as "the plan" from the back of a room,
// the samples as the scatter around it, the global policy as a distinct ink between them.
constexpr float kSampleWidth = 1.5f, kNominalWidth = 5.0f, kOlderNominalWidth = 3.0f, kPolicyWidth = 3.0f;
constexpr float kSampleAlpha = 0.6f;
constexpr Color kPolicyInk{0.05f, 0.05f, 0.05f, 1};

bool drawable(const std::vector<Vec>& path) { return path.size() > 1; }
}  // namespace

Color condition_color(int m) { return member_color(m); }

float tube_fade(int age) {
  if (age < 0 || age >= kTubeIterations) return 0.0f;
  return std::pow(0.45f, float(age));
}

std::vector<TubePath> tube_lines(const LocalControllerView& v) {
  const int n = int(v.iterations.size());
  // The newest iteration with samples, and the ages of the predicted means and policy rollouts
  // (counted over the iterations that have them, newest first).
  int sample_it = -1;
  for (int i = n - 1; i >= 0 && sample_it < 0; --i)
    for (const auto& c : v.iterations[size_t(i)]->conditions)
      if (!c.samples.empty()) sample_it = i;
  auto ages = [&](auto has) {
    std::vector<int> age(size_t(n), -1);
    for (int i = n - 1, a = 0; i >= 0 && a < kTubeIterations; --i) {
      const auto& cs = v.iterations[size_t(i)]->conditions;
      if (std::any_of(cs.begin(), cs.end(), has)) age[size_t(i)] = a++;
    }
    return age;
  };
  const std::vector<int> nominal_age =
      ages([](const LocalControllerView::Condition& c) { return drawable(c.nominal); });
  const std::vector<int> policy_age =
      ages([](const LocalControllerView::Condition& c) { return drawable(c.policy_rollout); });
  std::vector<TubePath> out;
  for (int i = 0; i < n; ++i) {
    const LocalControllerView::Iteration& it = *v.iterations[size_t(i)];
    for (int m = 0; m < int(it.conditions.size()); ++m) {
      const LocalControllerView::Condition& c = it.conditions[size_t(m)];
      const Color col = condition_color(m);
      if (i == sample_it)
        for (const auto& s : c.samples)
          if (drawable(s)) out.push_back({TubeLine::sample, it.iteration, m, 0, &s, col.with_alpha(kSampleAlpha), kSampleWidth});
      if (const int a = nominal_age[size_t(i)]; a >= 0 && drawable(c.nominal))
        out.push_back({TubeLine::nominal, it.iteration, m, a, &c.nominal, col.with_alpha(tube_fade(a)),
                       a == 0 ? kNominalWidth : kOlderNominalWidth});
      if (const int a = policy_age[size_t(i)]; a >= 0 && drawable(c.policy_rollout))
        out.push_back({TubeLine::policy, it.iteration, m, a, &c.policy_rollout, kPolicyInk.with_alpha(tube_fade(a)),
                       kPolicyWidth});
    }
  }
  // Back to front: older lines first, so the newest are on top.
  std::stable_sort(out.begin(), out.end(), [](const TubePath& a, const TubePath& b) { return a.age > b.age; });
  return out;
}

std::vector<std::string> tube_key(const LocalControllerView& v) {
  std::vector<std::string> key;
  key.push_back("thin: this iteration's " + std::to_string(v.samples) + " rollouts per start (local controller)");
  key.push_back("bold: the mean the C-step predicts for the next rollouts (local linear model)");
  key.push_back("black: the global policy's rollout (noise-free)");
  key.push_back("faded: earlier iterations; one colour per start");
  return key;
}

void draw_local_controllers(Canvas& canvas, const Env& env, const LocalControllerView& v) {
  if (v.iterations.empty()) return;
  const PathPlacer place = future_placer(env);
  draw_future_band(canvas, env, v.horizon, "real rollouts (time goes up)", "t = 0");
  for (const TubePath& p : tube_lines(v))
    draw_observation_path(canvas, *p.observations, env, p.color, p.width, place);
  // Each start: a ring in its condition's colour where the rollouts begin.
  const Bounds b = env.world_bounds();
  const double r = 0.015 * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
  const auto& last = *v.iterations.back();
  for (int m = 0; m < int(last.conditions.size()); ++m) {
    const auto& c = last.conditions[size_t(m)];
    const std::vector<Vec>* path = !c.samples.empty() ? &c.samples.front() : drawable(c.nominal) ? &c.nominal : nullptr;
    if (!path || path->empty()) continue;
    const auto s = place ? place(path->front(), 0, int(path->size())) : env.obs_position(path->front());
    if (s) canvas.circle(*s, r, palette::none, condition_color(m));
  }
}

}  // namespace dynalab
