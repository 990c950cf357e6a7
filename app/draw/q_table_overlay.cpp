#include "app/draw/q_table_overlay.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace dynalab {

namespace {
constexpr Color kHeatHigh{0.10f, 0.33f, 0.68f, 1};  // high value: deep blue
constexpr Color kHeatNeg{0.80f, 0.15f, 0.15f, 1};   // negative value: red
constexpr Color kFlash{1.00f, 0.78f, 0.00f, 1};     // planning update: gold
constexpr Color kModel{0.55f, 0.20f, 0.70f, 1};     // model knows (s, a): purple
constexpr Color kArrowDark{0.08f, 0.08f, 0.10f, 1};
constexpr Color kArrowLight{1, 1, 1, 1};

// Unit direction of each grid action in world coordinates (y up), GridWorld's order.
constexpr Vec2 kDirs[4] = {{0, 1}, {0, -1}, {-1, 0}, {1, 0}};
}  // namespace

std::vector<double> max_q(const QTableView& snap) {
  std::vector<double> v(snap.n_states, 0.0);
  for (int s = 0; s < snap.n_states; ++s) {
    double m = -INFINITY;
    for (int a = 0; a < snap.n_actions; ++a)
      m = std::max(m, snap.q[size_t(s) * snap.n_actions + a]);
    v[s] = snap.n_actions ? m : 0;
  }
  return v;
}

namespace {
// The spacing of the distinct values of `v` if they lie on a regular lattice (at most 1000
// of them), else 0.
double lattice_step(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end(), [](double a, double b) { return std::abs(a - b) < 1e-9; }),
          v.end());
  if (v.size() < 2 || v.size() > 1000) return 0;
  const double step = (v.back() - v.front()) / double(v.size() - 1);
  for (size_t i = 1; i < v.size(); ++i)
    if (std::abs(v[i] - v[i - 1] - step) > 1e-6 * std::max(1.0, std::abs(step))) return 0;
  return step;
}

// Where each state is drawn: unit cells in a grid world; the cells of a lattice where the
// states' positions form one (a binned world's panel, envs/bin_panel.h); elsewhere a disc
// around the state's position.
struct CellGeometry {
  Canvas& canvas;
  std::optional<GridLayout> grid;
  std::vector<std::optional<Vec2>> pos;  // per state
  double half = 0.5;                     // half a cell (x), or the disc's radius
  double half_y = 0.5;                   // half a cell (y)
  bool lattice = false;

  CellGeometry(Canvas& c, const Env& env, int n_states) : canvas(c), grid(env.grid_layout()) {
    pos.resize(n_states);
    std::vector<double> xs, ys;
    for (int s = 0; s < n_states; ++s)
      if ((pos[s] = env.obs_position(Vec::Constant(1, double(s)))))
        xs.push_back(pos[s]->x), ys.push_back(pos[s]->y);
    const Bounds wb = env.world_bounds();
    if (grid) return;
    const double sx = lattice_step(xs), sy = lattice_step(ys);
    if (sx > 0 && (sy > 0 || std::all_of(ys.begin(), ys.end(), [&](double y) { return y == ys[0]; }))) {
      lattice = true;
      half = 0.5 * sx, half_y = sy > 0 ? 0.5 * sy : half;
      return;
    }
    half = 0.35 * std::sqrt((wb.hi.x - wb.lo.x) * (wb.hi.y - wb.lo.y) / std::max(1, n_states));
  }
  bool is_wall(int s) const { return grid && grid->wall(grid->cell_of(s)); }
  void cell(int s, Color fill, Color outline) const {
    if (!pos[s]) return;
    const Vec2 p = *pos[s];
    if (grid)
      canvas.rect({p.x - half, p.y - half}, {p.x + half, p.y + half}, fill, outline);
    else if (lattice)
      canvas.rect({p.x - half, p.y - half_y}, {p.x + half, p.y + half_y}, fill, outline);
    else
      canvas.circle(p, half, fill, outline);
  }
};

// The value heat map; returns per state how dark it made the cell (0..1), so arrows stay
// readable on top.
std::vector<float> draw_heat_map(const CellGeometry& g, const QTableView& snap, bool draw) {
  const std::vector<double> v = max_q(snap);
  // Colour spans the visited cells' range, so the gradient towards the goal shows even once
  // every value is close to the maximum.
  double vmax = 0, vmin = 0, vlo = INFINITY;
  for (int s = 0; s < snap.n_states; ++s)
    if (!g.is_wall(s)) {
      vmax = std::max(vmax, v[s]), vmin = std::min(vmin, v[s]);
      if (v[s] > 0) vlo = std::min(vlo, v[s]);
    }
  if (!(vlo < vmax)) vlo = 0;
  std::vector<float> shade(snap.n_states, 0.0f);
  if (!draw) return shade;
  for (int s = 0; s < snap.n_states; ++s) {
    if (g.is_wall(s) || v[s] == 0) continue;
    const bool neg = v[s] < 0;
    const float t = float(neg ? v[s] / vmin : (v[s] - vlo) / (vmax - vlo));
    shade[s] = 0.12f + 0.88f * t;
    g.cell(s, mix(palette::floor, neg ? kHeatNeg : kHeatHigh, shade[s]).with_alpha(0.92f),
           palette::none);
  }
  return shade;
}

void draw_planning_flashes(const CellGeometry& g, const QTableView& snap, int64_t tick, int fade_ticks) {
  // state -> strength of its recent planning updates: fading with age, and scaled by how much
  // the update changed Q, so the eye goes to where planning is moving values right now.
  std::map<int, float> flash;
  double dmax = 0;
  for (const auto& u : snap.recent_updates)
    if (u.planning && tick - u.tick < fade_ticks) dmax = std::max(dmax, std::abs(u.delta));
  for (const auto& u : snap.recent_updates) {
    if (!u.planning) continue;
    const int64_t age = tick - u.tick;
    if (age < 0 || age >= fade_ticks) continue;
    const double rel = dmax > 0 ? std::abs(u.delta) / dmax : 0.0;
    const float a = (1.0f - float(age) / float(fade_ticks)) * float(0.1 + 0.9 * rel);
    if (a < 0.05f) continue;
    float& f = flash[u.state];
    f = std::max(f, a);
  }
  for (const auto& [s, a] : flash) {
    if (s < 0 || s >= snap.n_states || !g.pos[s] || g.is_wall(s)) continue;
    const Vec2 p = *g.pos[s];
    if (g.grid) {  // a thick gold frame: visible from the back row without hiding the heat map
      const double h = g.half - 0.07;
      const Vec2 ring[5] = {{p.x - h, p.y - h},
                            {p.x + h, p.y - h},
                            {p.x + h, p.y + h},
                            {p.x - h, p.y + h},
                            {p.x - h, p.y - h}};
      g.canvas.polyline(ring, kFlash.with_alpha(a), 5.0f);
    } else {
      g.cell(s, kFlash.with_alpha(0.5f * a), kFlash.with_alpha(a));
    }
  }
}

void draw_model_known(const CellGeometry& g, const QTableView& snap) {
  for (const auto& e : snap.model) {
    if (e.state < 0 || e.state >= snap.n_states || !g.pos[e.state] || e.visits == 0) continue;
    const Vec2 p = *g.pos[e.state];
    if (g.grid && e.action >= 0 && e.action < 4) {
      // A purple bar along the edge the known action leads to.
      const Vec2 d = kDirs[e.action], n{-d.y, d.x};
      const double r = g.half - 0.1, l = 0.22;
      g.canvas.segment({p.x + d.x * r - n.x * l, p.y + d.y * r - n.y * l},
                       {p.x + d.x * r + n.x * l, p.y + d.y * r + n.y * l}, kModel, 4.0f);
    } else {
      g.canvas.circle({p.x - g.half * 0.6, p.y + g.half * 0.6}, g.half * 0.12, kModel,
                      palette::none);
    }
  }
}

void draw_policy_arrows(const CellGeometry& g, const QTableView& snap,
                        const std::vector<float>& shade) {
  for (int s = 0; s < snap.n_states; ++s) {
    if (g.is_wall(s) || !g.pos[s]) continue;
    const double* q = &snap.q[size_t(s) * 4];
    const double m = *std::max_element(q, q + 4), lo = *std::min_element(q, q + 4);
    if (m == lo) continue;  // untouched (or all equal): no preference to show
    const Color c = shade[s] > 0.55f ? kArrowLight : kArrowDark;
    const Vec2 p = *g.pos[s];
    for (int a = 0; a < 4; ++a)
      if (q[a] == m)
        g.canvas.arrow({p.x - kDirs[a].x * 0.05, p.y - kDirs[a].y * 0.05},
                       {p.x + kDirs[a].x * 0.38, p.y + kDirs[a].y * 0.38}, c, 3.5f);
  }
}

// The marks the overlays may have covered go back on top: S, G and the agent.
void draw_grid_marks(Canvas& canvas, const GridLayout& grid) {
  const double H = grid.rows;
  auto centre = [&](Cell c) { return Vec2{c.col + 0.5, H - c.row - 0.5}; };
  for (auto [c, label, col] :
       {std::tuple{grid.start, "S", palette::start}, std::tuple{grid.goal, "G", palette::goal}}) {
    if (!grid.inside(c)) continue;  // a maze of objects has no goal
    canvas.circle(centre(c), 0.3, Color{1, 1, 1, 0.9f}, col);
    canvas.text(centre(c), label, col, 1.3f);
  }
  canvas.circle(centre(grid.agent), 0.3, palette::agent, palette::body_outline);
}
}  // namespace

void draw_q_table_overlay(Canvas& canvas, const Env& env, const QTableView& snap, int64_t tick,
                          const QTableOverlayOptions& opt) {
  if (int(snap.q.size()) != snap.n_states * snap.n_actions) return;
  const CellGeometry g(canvas, env, snap.n_states);
  const std::vector<float> shade = draw_heat_map(g, snap, opt.heat_map);
  if (opt.planning_flashes) draw_planning_flashes(g, snap, tick, opt.fade_ticks);
  if (opt.model_known) draw_model_known(g, snap);
  if (opt.episode_path && snap.path.size() > 1) {
    std::vector<Vec2> pts;
    for (int s : snap.path)
      if (s >= 0 && s < snap.n_states && g.pos[s]) pts.push_back(*g.pos[s]);
    canvas.polyline(pts, palette::agent.with_alpha(0.6f), 3.0f);
  }
  if (opt.policy_arrows && g.grid && snap.n_actions == 4) draw_policy_arrows(g, snap, shade);
  if (g.grid) draw_grid_marks(canvas, *g.grid);
}

}  // namespace dynalab
