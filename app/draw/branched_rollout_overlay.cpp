#include "app/draw/branched_rollout_overlay.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "app/draw/plan_overlay.h"

namespace dynalab {

Color member_color(int m) {
  // Okabe-Ito's colour-blind-safe set, without orange (the agent's own colour) and red (failure).
  static constexpr std::array<Color, 7> kColors{{{0.00f, 0.45f, 0.70f, 1},
                                                 {0.00f, 0.62f, 0.45f, 1},
                                                 {0.80f, 0.47f, 0.65f, 1},
                                                 {0.34f, 0.71f, 0.91f, 1},
                                                 {0.60f, 0.50f, 0.05f, 1},
                                                 {0.35f, 0.20f, 0.55f, 1},
                                                 {0.30f, 0.30f, 0.30f, 1}}};
  return kColors[size_t(std::max(0, m)) % kColors.size()];
}

std::vector<int> members_used(const BranchedRolloutView& v) {
  std::vector<int> used;
  for (int m = 0; m < v.ensemble_size; ++m)
    if (std::any_of(v.rollouts.begin(), v.rollouts.end(), [m](const auto& ro) {
          return std::find(ro.members.begin(), ro.members.end(), m) != ro.members.end();
        }))
      used.push_back(m);
  return used;
}

void draw_branched_rollouts(Canvas& canvas, const Env& env, const BranchedRolloutView& v) {
  if (v.rollouts.empty() && v.real_path.empty()) return;
  const PathPlacer place = future_placer(env);
  const int steps = v.horizon + 1;  // one clock for every rollout: step t at the same height
  auto at = [&](const Vec& o, int k) { return place ? place(o, k, steps) : env.obs_position(o); };
  draw_future_band(canvas, env, v.horizon);
  const Bounds b = env.world_bounds();
  const double r = 0.012 * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
  // Whole imagined episodes (mbpg's long horizons) thinner than MBPO's few-step fans.
  const float width = v.horizon > 50 ? 1.5f : 3.0f;
  for (const auto& ro : v.rollouts) {
    for (size_t t = 0; t + 1 < ro.states.size(); ++t) {
      const auto p = at(ro.states[t], int(t)), q = at(ro.states[t + 1], int(t) + 1);
      if (p && q && ro.states[t + 1].allFinite())
        canvas.segment(*p, *q, member_color(t < ro.members.size() ? ro.members[t] : 0), width);
    }
    if (ro.terminated && ro.states.size() > 1)
      if (const auto e = at(ro.states.back(), int(ro.states.size()) - 1)) {
        const Color c = env.failure(ro.states.back()) ? palette::danger : palette::body_outline;
        canvas.segment({e->x - r, e->y - r}, {e->x + r, e->y + r}, c, 2.5f);
        canvas.segment({e->x - r, e->y + r}, {e->x + r, e->y - r}, c, 2.5f);
      }
    // The branch point: a real state (from the replay buffer), drawn on top.
    if (const auto s = at(ro.states[0], 0)) canvas.circle(*s, r, palette::body_outline, palette::none);
  }
  // The latest real episode beside the imagined ones (mbpg), on its own clock: its steps spread
  // over the same band as the imagined fan's, so a whole episode fits whatever the horizon.
  if (!v.real_path.empty()) {
    const int real_steps = int(v.real_path.size());
    const PathPlacer real_place = place ? PathPlacer([&](const Vec& o, int k, int) {
      return place(o, k, real_steps);
    })
                                        : PathPlacer{};
    draw_observation_path(canvas, v.real_path, env, palette::body_outline, 2.0f, real_place);
  }
  // The caption, in the UI's text size (not grown with the zoom), only where the env has room
  // that hides nothing (Env::legend_area, solid ground); the members' colours are in the app's
  // panel (a row per member does not fit a side-by-side lane).
  const auto area = env.legend_area();
  if (!area) return;
  const double ui = canvas.ui_text_height(0.9f), grown = canvas.text_height(1.0f);
  const float ts = ui > 0 && grown > 0 ? float(ui / grown) : 0.9f;
  const double line = ui > 0 ? 1.3 * ui : 0.04 * (b.hi.y - b.lo.y);
  const std::string caption = std::to_string(v.rollouts.size()) + " " + v.label +
                              (v.has_schedule ? ", k = " : ", H = ") + std::to_string(v.horizon);
  const std::string second = v.real_path.empty() ? "from real states (dots)"
                             : v.replay_starts   ? "from replay states (dots); real: dark"
                                                 : "from real episode starts (dots); real: dark";
  const Vec2 size{0.5 * line * double(std::max({caption.size(), second.size(), size_t(24)})),
                  2.4 * line};
  const Vec2 top{area->lo.x + 0.02 * (area->hi.x - area->lo.x),
                 area->hi.y - 0.02 * (area->hi.y - area->lo.y)};
  canvas.rect({top.x, top.y - size.y}, {top.x + size.x, top.y}, Color{1, 1, 1, 0.75f},
              palette::none);
  Vec2 p{top.x + 0.3 * line, top.y - 0.7 * line};
  canvas.text_left(p, caption, palette::text, ts);
  p.y -= line;
  canvas.text_left(p, second, palette::text, ts);
}

}  // namespace dynalab
