#include "app/draw/search_tree_overlay.h"

#include "app/draw/plan_overlay.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace dynalab {

namespace {
constexpr Color kTree = palette::plan;               // imagined
constexpr Color kBacktrack{0.95f, 0.55f, 0.05f, 1};  // the undo
constexpr Color kPath = palette::goal;                // what will be executed
}  // namespace

void draw_search_tree(Canvas& canvas, const Env& env, const SearchTreeView& v) {
  if (v.nodes.empty()) return;
  // Imagined futures go where the env asks (Env::future_layout): a maze cell in place, the
  // pendulum's tip outward with the steps ahead, since every tip lies on one circle.
  const PathPlacer place = future_placer(env);
  const int steps = std::max(1, v.horizon) + 1;
  auto where = [&](const Vec& obs, int k) { return place ? place(obs, k, steps) : env.obs_position(obs); };
  std::vector<std::optional<Vec2>> at(v.nodes.size());
  for (size_t i = 0; i < v.nodes.size(); ++i) at[i] = where(v.nodes[i].obs, v.nodes[i].depth);
  const Bounds b = env.world_bounds();
  const double extent = std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
  const bool graph = !v.expansion_order.empty() || v.algorithm != "uct";
  const double r = graph ? 0.012 * extent : 0.006 * extent;
  const double root_visits = double(std::max<int64_t>(1, v.nodes[0].visits));
  // UCT's what-if futures: every simulation's imagined path, darker for a higher return.
  if (!v.simulations.empty()) {
    const auto [lo, hi] = std::minmax_element(v.simulation_returns.begin(), v.simulation_returns.end());
    const double span = *hi > *lo ? *hi - *lo : 1.0;
    for (size_t k = 0; k < v.simulations.size(); ++k) {
      std::vector<Vec2> pts;
      for (int t = 0; t < int(v.simulations[k].size()); ++t)
        if (const auto p = where(v.simulations[k][size_t(t)], t)) pts.push_back(*p);
      const float good = float((v.simulation_returns[k] - *lo) / span);
      if (pts.size() > 1) canvas.polyline(pts, kTree.with_alpha(0.08f + 0.35f * good), 1.0f + good);
    }
  }
  // Edges, parent to child.
  for (size_t i = 1; i < v.nodes.size(); ++i) {
    const int p = v.nodes[i].parent;
    if (p < 0 || !at[i] || !at[size_t(p)]) continue;
    if (graph) {
      canvas.segment(*at[size_t(p)], *at[i], kTree.with_alpha(0.55f), 2.0f);
    } else {
      const double share = std::log1p(double(v.nodes[i].visits)) / std::log1p(root_visits);
      canvas.segment(*at[size_t(p)], *at[i], kTree.with_alpha(float(0.15 + 0.6 * share)), float(1.0 + 4.0 * share));
    }
  }
  // The latest backtracks: the search left one branch for another by restoring a saved state.
  if (graph) {
    int shown = 0;
    for (size_t k = v.expansion_order.size(); k-- > 1 && shown < kShownBacktracks;) {
      const int node = v.expansion_order[k], prev = v.expansion_order[k - 1];
      if (v.nodes[size_t(node)].parent == prev || !at[size_t(node)] || !at[size_t(prev)]) continue;
      const float fade = 1.0f - 0.13f * float(shown++);
      const Vec2 a = *at[size_t(prev)], b = *at[size_t(node)];
      const int pieces = int(std::hypot(b.x - a.x, b.y - a.y) / (0.008 * extent));
      dashed_segment(canvas, a, b, pieces, kBacktrack.with_alpha(fade), 2.5f);
    }
  }
  // Nodes: expanded filled, the frontier hollow, goals green.
  for (size_t i = 0; i < v.nodes.size(); ++i) {
    if (!at[i]) continue;
    const auto& n = v.nodes[i];
    if (!graph && n.visits < 2 && i != 0) continue;  // UCT's one-visit leaves would carpet the world
    const Color fill = n.goal ? kPath : n.expanded ? kTree.with_alpha(0.85f) : palette::none;
    canvas.circle(*at[i], r, fill, n.goal ? kPath : kTree);
  }
  if (graph && !v.expansion_order.empty() && v.searching) {
    const int last = v.expansion_order.back();
    if (at[size_t(last)]) canvas.circle(*at[size_t(last)], 2.2 * r, palette::none, kBacktrack);
  }
  // The path to be executed (graph search) or UCT's most visited line.
  std::vector<Vec2> path;
  for (int node : v.path)
    if (at[size_t(node)]) path.push_back(*at[size_t(node)]);
  if (path.size() > 1) canvas.polyline(path, kPath.with_alpha(0.9f), 4.0f);
}

}  // namespace dynalab
