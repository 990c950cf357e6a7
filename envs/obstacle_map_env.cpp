#include "envs/obstacle_map_env.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/grid_moves.h"
#include "core/rng.h"
#include "envs/state_check.h"

namespace dynalab {

GridLayout generate_obstacle_map(const ObstacleMapConfig& cfg, Rng& rng) {
  const int n = cfg.size;
  for (;;) {
    GridLayout m;
    m.rows = m.cols = n;
    m.walls.assign(size_t(n) * n, false);
    // The goal on an interior cell (a border goal would be rejected by add_border). The column
    // is drawn first: the maps of earlier versions (GCC evaluated the two draws right to left).
    m.goal.col = 1 + int(rng.below(uint64_t(n - 2)));
    m.goal.row = 1 + int(rng.below(uint64_t(n - 2)));
    int placed = 0;
    for (int k = 0; k < cfg.max_obstacles; ++k) {
      // obstacle_gen.py: height, width = ceil(U * size_max); x, y = ceil(U * (n - 1)), i.e.
      // 1..size_max and 1..n-1 (0 has probability zero there); the rectangle is clipped at the
      // map's edge.
      const int h = 1 + int(rng.below(uint64_t(cfg.max_obstacle_size)));
      const int w = 1 + int(rng.below(uint64_t(cfg.max_obstacle_size)));
      const int r0 = 1 + int(rng.below(uint64_t(n - 1)));
      const int c0 = 1 + int(rng.below(uint64_t(n - 1)));
      const int r1 = std::min(n, r0 + h), c1 = std::min(n, c0 + w);
      const int gr = m.goal.row, gc = m.goal.col;
      if (gr >= r0 && gr < r1 && gc >= c0 && gc < c1) continue;  // would cover the goal
      for (int r = r0; r < r1; ++r)
        for (int c = c0; c < c1; ++c) m.walls[size_t(m.state_of({r, c}))] = true;
      ++placed;
    }
    if (placed == 0) continue;  // make_training_data.py: "if n_obs == 0 ... continue"
    for (int i = 0; i < n; ++i) {
      m.walls[size_t(m.state_of({i, 0}))] = m.walls[size_t(m.state_of({i, n - 1}))] = true;
      m.walls[size_t(m.state_of({0, i}))] = m.walls[size_t(m.state_of({n - 1, i}))] = true;
    }
    return m;
  }
}

ObstacleMapEnv::ObstacleMapEnv(const ObstacleMapConfig& cfg) : cfg_(cfg) { reset(0); }

void ObstacleMapEnv::generate(uint64_t seed) {
  seed_ = seed;
  Rng rng(seed);
  // A start that can reach the goal (the reference skips trajectories that cannot).
  std::vector<double> dist;
  for (;;) {
    map_ = generate_obstacle_map(cfg_, rng);
    dist = distances_to_goal(map_);
    std::vector<int> starts;
    const int goal = map_.state_of(map_.goal);
    for (int c = 0; c < int(dist.size()); ++c)
      if (c != goal && std::isfinite(dist[size_t(c)])) starts.push_back(c);
    if (starts.empty()) continue;  // the goal is walled in: another map
    start_ = starts[size_t(rng.below(starts.size()))];
    break;
  }
  map_.start = map_.agent = map_.cell_of(start_);
  expert_moves_ = int(expert_path(map_, dist, start_).size()) - 1;
  limit_ = cfg_.max_episode_steps > 0 ? cfg_.max_episode_steps : rollout_budget(expert_moves_);
}

Vec ObstacleMapEnv::reset(uint64_t seed) {
  generate(seed);
  agent_ = start_;
  episode_step_ = 0;
  return Vec::Constant(1, agent_);
}

StepResult ObstacleMapEnv::step(const Vec& action) {
  const int a = int(action_space().clip(action)[0]);
  agent_ = move_cell(map_, agent_, a);
  ++episode_step_;
  StepResult r;
  r.obs = Vec::Constant(1, agent_);
  r.reward = -move_length(a);
  r.terminated = agent_ == map_.state_of(map_.goal);
  r.truncated = !r.terminated && episode_step_ >= limit_;
  return r;
}

std::optional<double> ObstacleMapEnv::reward(const Vec&, const Vec& a, const Vec&) const {
  return -move_length(int(action_space().clip(a)[0]));
}

std::optional<bool> ObstacleMapEnv::terminated(const Vec&, const Vec&, const Vec& s_next) const {
  return int(s_next[0]) == map_.state_of(map_.goal);
}

std::vector<double> ObstacleMapEnv::get_state() const {
  // The 64-bit seed as two exact 32-bit halves (a double holds 53 bits).
  return {double(agent_), double(episode_step_), double(seed_ >> 32), double(seed_ & 0xffffffffu)};
}

void ObstacleMapEnv::set_state(const std::vector<double>& s) {
  if (s.size() != 4) throw std::invalid_argument("ObstacleMapEnv::set_state: expected 4 values");
  // Checked before they are applied (envs/state_check.h): a cell outside the map was a crash.
  const std::string env = name();
  const int agent = int(state_integer(s, 0, env, "agent cell", 0, int64_t(map_.rows) * map_.cols - 1));
  const uint64_t seed = (uint64_t(state_integer(s, 2, env, "map seed, high 32 bits", 0, 0xffffffffLL)) << 32) |
                        uint64_t(state_integer(s, 3, env, "map seed, low 32 bits", 0, 0xffffffffLL));
  const uint64_t before = seed_;
  if (seed != seed_) generate(seed);  // the map (its size is the config's) and its step limit
  try {
    episode_step_ = int(state_integer(s, 1, env, "episode step", 0, limit_));
  } catch (const std::invalid_argument&) {
    if (seed_ != before) generate(before);  // unchanged on a throw
    throw;
  }
  agent_ = agent;
}

std::optional<Vec2> ObstacleMapEnv::obs_position(const Vec& obs) const {
  const int c = int(obs[0]);
  if (c < 0 || c >= map_.rows * map_.cols) return std::nullopt;
  const Cell cell = map_.cell_of(c);
  return Vec2{cell.col + 0.5, map_.rows - cell.row - 0.5};
}

void ObstacleMapEnv::draw(Canvas& canvas) const {
  const double H = map_.rows;
  for (int r = 0; r < map_.rows; ++r)
    for (int c = 0; c < map_.cols; ++c)
      canvas.rect({double(c), H - r - 1}, {c + 1.0, H - r}, map_.wall({r, c}) ? palette::wall : palette::floor,
                  palette::grid_line);
  auto centre = [&](Cell c) { return Vec2{c.col + 0.5, H - c.row - 0.5}; };
  const Vec2 s = centre(map_.start), g = centre(map_.goal);
  canvas.rect({s.x - 0.5, s.y - 0.5}, {s.x + 0.5, s.y + 0.5}, palette::start.with_alpha(0.35f), palette::none);
  canvas.rect({g.x - 0.5, g.y - 0.5}, {g.x + 0.5, g.y + 0.5}, palette::goal.with_alpha(0.45f), palette::none);
  canvas.text(s, "S", palette::text, 1.2f);
  canvas.text(g, "G", palette::text, 1.2f);
  canvas.circle(centre(map_.cell_of(agent_)), 0.3, palette::agent, palette::body_outline);
}

std::optional<GridLayout> ObstacleMapEnv::grid_layout() const {
  GridLayout g = map_;
  g.agent = g.cell_of(agent_);
  return g;
}

std::unique_ptr<Env> make_obstacle_map_env(ConfigNode& node) {
  ObstacleMapConfig cfg;
  cfg.visit(node);
  return std::make_unique<ObstacleMapEnv>(cfg);
}

}  // namespace dynalab
