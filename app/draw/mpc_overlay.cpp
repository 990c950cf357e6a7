#include "app/draw/mpc_overlay.h"

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace dynalab {

std::vector<Vec> predicted_path(const PlanTrace& t, int candidate, int particle) {
  std::vector<Vec> out;
  const int steps = t.horizon + 1;
  const size_t base = (size_t(candidate) * t.particles + particle) * steps * t.obs_dim;
  if (t.obs_dim <= 0 || base + size_t(steps) * t.obs_dim > t.paths.size()) return out;
  out.reserve(steps);
  for (int k = 0; k < steps; ++k) {
    Vec o(t.obs_dim);
    for (int d = 0; d < t.obs_dim; ++d) o[d] = t.paths[base + size_t(k) * t.obs_dim + d];
    out.push_back(std::move(o));
  }
  return out;
}

int best_candidate(const PlanTrace& t) {
  if (t.returns.empty()) return -1;
  return int(std::max_element(t.returns.begin(), t.returns.end()) - t.returns.begin());
}

Color return_color(float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  // Purple, not orange: the agent's own path is orange, and the fan must not be mistaken for it;
  // not red either: red is a failure (the pit).
  const Color lo{0.62f, 0.66f, 0.74f, 1}, hi{0.50f, 0.05f, 0.60f, 1};
  return {lo.r + (hi.r - lo.r) * t, lo.g + (hi.g - lo.g) * t, lo.b + (hi.b - lo.b) * t, 1};
}

float ReturnScale::at(double r) const {
  if (!(hi > lo)) return 1.0f;
  return float(std::clamp((r - lo) / (hi - lo), 0.0, 1.0));
}

ReturnScale fan_scale(const PlanTrace& t, double lo, double hi) {
  if (lo <= hi) return {lo, hi};
  ReturnScale s{INFINITY, -INFINITY};
  for (float r : t.returns)
    if (std::isfinite(r)) s.lo = std::min(s.lo, double(r)), s.hi = std::max(s.hi, double(r));
  if (!(s.lo <= s.hi)) s = {0, 1};
  return s;
}

Color candidate_color(double r, PathEnd end, const ReturnScale& scale) {
  return end == PathEnd::failure ? palette::danger : return_color(scale.at(r));
}

void draw_observation_path(Canvas& canvas, const std::vector<Vec>& observations, const Env& env,
                           Color color, float width_px, const PathPlacer& place) {
  std::vector<Vec2> pts;
  auto flush = [&] {
    if (pts.size() > 1) canvas.polyline(pts, color, width_px);
    pts.clear();
  };
  const int steps = int(observations.size());
  for (int k = 0; k < steps; ++k) {
    const Vec& o = observations[k];
    if (!o.allFinite()) {  // a terminated particle (NaN rows) or a diverged model: no place
      flush();
      continue;
    }
    if (auto p = place ? place(o, k, steps) : env.obs_position(o))
      pts.push_back(*p);
    else
      flush();  // no place in the world: break the line rather than jump
  }
  flush();
}

namespace {
// An elite's line: a dark outline under the candidate's colour, so the highlighted candidates
// stand apart from the rest of the fan even where their colours are alike.
constexpr Color kEliteOutline{0.12f, 0.08f, 0.16f, 0.9f};
}  // namespace

void draw_plan_trace(Canvas& canvas, const PlanTrace& t, const Env& env,
                     const MpcOverlayOptions& opt, const PathPlacer& place,
                     const ReturnScale& scale) {
  const int P = std::min<int>(t.candidates, int(t.returns.size()));
  if (P <= 0 || t.particles <= 0) return;
  const std::vector<PathEnd> ends = candidate_ends(t, env);
  auto color = [&](int p) { return candidate_color(t.returns[p], ends[p], scale); };
  std::vector<bool> elite(P, false);
  for (int e : t.elites)
    if (e >= 0 && e < P) elite[e] = true;
  const int best = best_candidate(t);

  if (opt.candidates) {
    // Poor candidates first so good ones end up on top, then those that fail (red) over them:
    // they are usually the poorest, and the fan must show them. Non-elites thinned to
    // max_candidates. One particle each: the chosen plan alone shows its particles.
    std::vector<int> order(P);
    for (int p = 0; p < P; ++p) order[p] = p;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      const bool fa = ends[a] == PathEnd::failure, fb = ends[b] == PathEnd::failure;
      return fa != fb ? fb : t.returns[a] < t.returns[b];
    });
    const int stride = std::max(1, P / std::max(1, opt.max_candidates));
    for (int i = 0; i < P; ++i) {
      const int p = order[i];
      if (elite[p] && opt.elites) continue;
      if (i % stride && ends[p] != PathEnd::failure) continue;
      const std::vector<Vec> path = predicted_path(t, p, 0);
      draw_observation_path(canvas, path, env, color(p).with_alpha(0.55f), 2.0f, place);
      draw_termination_mark(canvas, path, env, place, 0.5f);
    }
  }
  if (opt.elites)
    for (int p = 0; p < P; ++p)
      if (elite[p] && !(opt.chosen && p == best)) {
        const std::vector<Vec> path = predicted_path(t, p, 0);
        draw_observation_path(canvas, path, env, kEliteOutline, 5.5f, place);
        draw_observation_path(canvas, path, env, color(p).with_alpha(0.95f), 3.0f, place);
        draw_termination_mark(canvas, path, env, place);
      }
  if (opt.chosen && best >= 0) {
    // The chosen plan's particles thin and translucent under its first particle, in the plan's
    // blue (red if that particle fails): the ensemble's spread around one plan.
    const int particles = opt.particles ? t.particles : 1;
    for (int k = particles - 1; k >= 0; --k) {
      const std::vector<Vec> path = predicted_path(t, best, k);
      Color c = palette::plan;
      if (k > 0) {
        bool fails = false;
        for (const Vec& o : path) fails = fails || (o.allFinite() && env.failure(o));
        c = (fails ? palette::danger : palette::plan).with_alpha(0.45f);
      }
      if (k == 0 && ends[best] == PathEnd::failure)  // the plan itself fails: a red halo
        draw_observation_path(canvas, path, env, palette::danger, 10.0f, place);
      draw_observation_path(canvas, path, env, c, k == 0 ? 6.0f : 2.5f, place);
      draw_termination_mark(canvas, path, env, place);
    }
  }
}

void draw_termination_mark(Canvas& canvas, const std::vector<Vec>& path, const Env& env,
                           const PathPlacer& place, float size) {
  // A particle that terminated has NaN rows after its last state (ModelStepper, OracleEvaluator).
  int last = int(path.size()) - 1;
  while (last >= 0 && !path[last].allFinite()) --last;
  if (last < 0 || last + 1 == int(path.size())) return;  // never finite, or never ended
  const int steps = int(path.size());
  const auto p = place ? place(path[last], last, steps) : env.obs_position(path[last]);
  if (!p) return;
  const Bounds b = env.world_bounds();
  const double r = 0.012 * size * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
  const Color c = env.failure(path[last]) ? palette::danger : palette::text;
  canvas.segment({p->x - r, p->y - r}, {p->x + r, p->y + r}, c, 3.0f * size);
  canvas.segment({p->x - r, p->y + r}, {p->x + r, p->y - r}, c, 3.0f * size);
}

PlanTrace demo_plan_trace(const Env& env, const Vec& start, int candidates, int horizon,
                          int particles) {
  PlanTrace t;
  t.horizon = horizon;
  t.candidates = candidates;
  t.particles = particles;
  t.obs_dim = int(start.size());
  t.action_dim = 1;
  t.iterations = 1;
  Rng rng = Rng::derive(0, {7});
  const Space os = env.observation_space();
  for (int p = 0; p < candidates; ++p) {
    double ret = 0;
    for (int k = 0; k < particles; ++k) {
      Vec o = start;
      for (int h = 0; h <= horizon; ++h) {
        for (int d = 0; d < t.obs_dim; ++d) t.paths.push_back(float(o[d]));
        if (os.is_discrete()) {
          // A grid world's state index: walk one cell per step in this candidate's direction.
          const Vec2 here = env.obs_position(o).value_or(Vec2{});
          const int dir = (p + (rng.uniform() < 0.25 ? 1 : 0)) % 4;
          for (int s = 0; s < os.n; ++s) {
            auto q = env.obs_position(Vec::Constant(1, s));
            if (q && std::abs(q->x - here.x - (dir == 3) + (dir == 2)) < 1e-9 &&
                std::abs(q->y - here.y - (dir == 0) + (dir == 1)) < 1e-9) {
              o[0] = s;
              break;
            }
          }
        } else {
          for (int d = 0; d < t.obs_dim; ++d) o[d] += 0.05 * std::cos(p + d) + 0.01 * rng.normal();
        }
      }
      ret += -double(p % 7) + rng.uniform();
    }
    t.returns.push_back(float(ret / particles));
  }
  for (int h = 0; h < horizon; ++h) t.plan.push_back(0);
  const int b = best_candidate(t);
  t.elites = {b};
  for (int p = 0; p < candidates && int(t.elites.size()) < std::max(1, candidates / 10); ++p)
    if (p != b) t.elites.push_back(p);
  t.objective_per_iteration = {t.returns[b]};
  return t;
}

}  // namespace dynalab
