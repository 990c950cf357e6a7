#include "envs/grid_world.h"

#include <cmath>

#include "core/io/csv.h"
#include "core/rng.h"
#include "envs/state_check.h"

namespace dynalab {

GridWorld::GridWorld(Maze maze, int max_episode_steps, double slip)
    : maze_(std::move(maze)),
      max_steps_(max_episode_steps),
      slip_(slip),
      agent_(maze_.start),
      object_rewards_(maze_.objects.size(), 0.0) {}  // objects pay 0 until set_objects says otherwise

Vec GridWorld::reset(uint64_t seed) {
  reset_seed_ = seed;
  agent_ = maze_.start;
  if (random_start_) {  // a stream of its own: the slips draw from {seed, t}
    std::vector<Cell> free;
    for (int r = 0; r < maze_.rows; ++r)
      for (int c = 0; c < maze_.cols; ++c)
        if (!is_wall(r, c) && Cell{r, c} != goal() && object_at(state_of({r, c})) < 0) free.push_back({r, c});
    if (!free.empty()) agent_ = free[Rng::derive(seed, {~uint64_t(0)}).below(free.size())];
  }
  episode_step_ = 0;
  return Vec::Constant(1, state_of(agent_));
}

StepResult GridWorld::step(const Vec& action) {
  int a = static_cast<int>(action_space().clip(action)[0]);
  if (slip_ > 0) {  // no draw at all in a deterministic maze
    static constexpr int perpendicular[4][2] = {{left, right}, {left, right}, {up, down}, {up, down}};
    Rng rng = Rng::derive(reset_seed_, {uint64_t(episode_step_)});
    if (rng.uniform() < slip_) a = perpendicular[a][rng.below(2)];
  }
  static constexpr int dr[4] = {-1, 1, 0, 0}, dc[4] = {0, 0, -1, 1};
  Cell next{agent_.row + dr[a], agent_.col + dc[a]};
  const bool inside = next.row >= 0 && next.row < maze_.rows && next.col >= 0 && next.col < maze_.cols;
  if (inside && !is_wall(next.row, next.col)) agent_ = next;
  const int object = object_at(state_of(agent_));
  const double object_reward = object >= 0 ? object_rewards()[size_t(object)] : 0.0;  // before the count moves on
  ++episode_step_;
  ++total_steps_;  // the wall change counts steps over the whole run, as in the book
  StepResult r;
  r.obs = Vec::Constant(1, state_of(agent_));
  r.terminated = agent_ == goal() || object >= 0;
  r.reward = agent_ == goal() ? 1.0 : object_reward;
  r.truncated = !r.terminated && episode_step_ >= max_steps_;
  return r;
}

std::optional<bool> GridWorld::terminated(const Vec&, const Vec&, const Vec& s_next) const {
  return (maze_.has_goal() && s_next[0] == state_of(goal())) || object_at(int(s_next[0])) >= 0;
}

std::optional<double> GridWorld::reward(const Vec&, const Vec&, const Vec& s_next) const {
  if (maze_.has_goal() && s_next[0] == state_of(goal())) return 1.0;
  const int object = object_at(int(s_next[0]));
  return object >= 0 ? object_rewards()[size_t(object)] : 0.0;
}

void GridWorld::set_objects(std::vector<double> rewards, std::vector<double> rewards_after, int change_at,
                            bool random_start) {
  const size_t n = maze_.objects.size();
  if (rewards.size() != n || (!rewards_after.empty() && rewards_after.size() != n))
    throw InputError("one reward per object of maze '" + maze_.name + "' (" + std::to_string(n) + "), got " +
                     std::to_string(rewards.size()) +
                     (rewards_after.empty() ? "" : " (and " + std::to_string(rewards_after.size()) + " in object_rewards_after)"));
  object_rewards_ = std::move(rewards);
  object_rewards_after_ = std::move(rewards_after);
  rewards_change_at_ = object_rewards_after_.empty() ? -1 : change_at;
  random_start_ = random_start;
}

const std::vector<double>& GridWorld::object_rewards() const {
  return rewards_change_at_ >= 0 && total_steps_ >= rewards_change_at_ ? object_rewards_after_ : object_rewards_;
}

int GridWorld::object_at(int state) const {
  for (size_t k = 0; k < maze_.objects.size(); ++k)
    if (state_of(maze_.objects[k]) == state) return int(k);
  return -1;
}

std::vector<double> GridWorld::get_state() const {
  // The 64-bit reset seed as two exact 32-bit halves (a double holds 53 bits).
  return {double(agent_.row), double(agent_.col), double(episode_step_), double(total_steps_),
          double(reset_seed_ >> 32), double(reset_seed_ & 0xffffffffu)};
}

void GridWorld::set_state(const std::vector<double>& s) {
  if (s.size() != 6) throw std::invalid_argument("GridWorld::set_state: expected 6 values");
  // Checked before any is applied (envs/state_check.h): a cell outside the grid was a crash.
  const std::string env = name();
  const Cell agent{int(state_integer(s, 0, env, "agent row", 0, maze_.rows - 1)),
                   int(state_integer(s, 1, env, "agent column", 0, maze_.cols - 1))};
  const int episode_step = int(state_integer(s, 2, env, "episode step", 0, max_steps_));
  const int64_t total_steps = state_integer(s, 3, env, "total steps", 0, int64_t(1) << 53);
  const uint64_t seed_high = uint64_t(state_integer(s, 4, env, "reset seed, high 32 bits", 0, 0xffffffffLL));
  const uint64_t seed_low = uint64_t(state_integer(s, 5, env, "reset seed, low 32 bits", 0, 0xffffffffLL));
  agent_ = agent;
  episode_step_ = episode_step;
  total_steps_ = total_steps;
  reset_seed_ = (seed_high << 32) | seed_low;
}

bool GridWorld::set_observation(const Vec& obs) {
  if (obs.size() != 1 || obs[0] < 0 || obs[0] >= maze_.rows * maze_.cols || obs[0] != std::floor(obs[0])) return false;
  const Cell c = cell_of(int(obs[0]));
  if (is_wall(c.row, c.col)) return false;
  agent_ = c;
  episode_step_ = 0;
  return true;
}

std::optional<Vec2> GridWorld::obs_position(const Vec& obs) const {
  const int s = static_cast<int>(obs[0]);
  if (s < 0 || s >= maze_.rows * maze_.cols) return std::nullopt;
  const Cell c = cell_of(s);
  return Vec2{c.col + 0.5, maze_.rows - c.row - 0.5};
}

void GridWorld::draw(Canvas& canvas) const {
  const double H = maze_.rows;
  for (int r = 0; r < maze_.rows; ++r)
    for (int c = 0; c < maze_.cols; ++c) {
      const Vec2 lo{double(c), H - r - 1}, hi{c + 1.0, H - r};
      canvas.rect(lo, hi, is_wall(r, c) ? palette::wall : palette::floor, palette::grid_line);
    }
  auto centre = [&](Cell c) { return Vec2{c.col + 0.5, H - c.row - 0.5}; };
  const Vec2 s = centre(maze_.start), g = centre(goal());
  if (!random_start_)
    canvas.rect({s.x - 0.5, s.y - 0.5}, {s.x + 0.5, s.y + 0.5}, palette::start.with_alpha(0.35f), palette::none);
  if (maze_.has_goal())
    canvas.rect({g.x - 0.5, g.y - 0.5}, {g.x + 0.5, g.y + 0.5}, palette::goal.with_alpha(0.45f), palette::none);
  if (!random_start_) canvas.text(s, "S", palette::text, 1.2f);  // random starts: 'S' means nothing
  if (maze_.has_goal()) canvas.text(g, "G", palette::text, 1.2f);
  const auto& rewards = object_rewards();
  for (size_t k = 0; k < maze_.objects.size(); ++k) {  // the letter, and the reward it pays now
    const Vec2 o = centre(maze_.objects[k]);
    const double w = k < rewards.size() ? rewards[k] : 0.0;
    const Color fill = w > 0 ? palette::goal : w < 0 ? palette::danger : palette::body;
    canvas.rect({o.x - 0.5, o.y - 0.5}, {o.x + 0.5, o.y + 0.5}, fill.with_alpha(0.25f + 0.35f * float(std::min(1.0, std::abs(w)))), palette::none);
    canvas.text({o.x, o.y + 0.18}, std::string(1, char('a' + k)), palette::text, 1.1f);
    canvas.text({o.x, o.y - 0.22}, (w > 0 ? "+" : "") + format_number(w), palette::text, 0.8f);
  }
  canvas.circle(centre(agent_), 0.3, palette::agent, palette::body_outline);
}

bool GridWorld::toggle_wall(Cell c) {
  if (c.row < 0 || c.row >= maze_.rows || c.col < 0 || c.col >= maze_.cols) return false;
  if (c == maze_.start || c == goal() || c == agent_ || object_at(state_of(c)) >= 0) return false;
  const size_t i = c.row * maze_.cols + c.col;
  auto& walls = changed() && maze_.changed_walls ? *maze_.changed_walls : maze_.walls;
  walls[i] = !walls[i];
  return true;
}

bool GridWorld::move_start(Cell c) {
  if (c.row < 0 || c.row >= maze_.rows || c.col < 0 || c.col >= maze_.cols || is_wall(c.row, c.col) ||
      c == goal() || object_at(state_of(c)) >= 0)
    return false;
  maze_.start = c;
  return true;
}

bool GridWorld::move_goal(Cell c) {
  if (c.row < 0 || c.row >= maze_.rows || c.col < 0 || c.col >= maze_.cols || is_wall(c.row, c.col) ||
      c == maze_.start || object_at(state_of(c)) >= 0)
    return false;
  (changed() && maze_.changed_goal ? *maze_.changed_goal : maze_.goal) = c;
  return true;
}

std::optional<GridLayout> GridWorld::grid_layout() const {
  GridLayout g{maze_.rows, maze_.cols, changed() && maze_.changed_walls ? *maze_.changed_walls : maze_.walls,
               maze_.start, goal(), agent_, maze_.objects};
  return g;
}

bool GridWorld::edit_cell(CellEdit edit, Cell c) {
  switch (edit) {
    case CellEdit::toggle_wall: return toggle_wall(c);
    case CellEdit::move_start: return move_start(c);
    case CellEdit::move_goal: return move_goal(c);
  }
  return false;
}

std::unique_ptr<Env> make_grid_world(ConfigNode& node) {
  GridWorldConfig cfg;
  cfg.visit(node);
  Maze maze;
  try {
    maze = load_maze(cfg.maze);
  } catch (const InputError& e) {
    throw InputError(node.where("maze") + ": " + e.what());
  }
  if (cfg.change_at >= 0) {
    if (!maze.changed_walls) node.fail("change_at", "-1: maze '" + cfg.maze + "' has no wall change");
    maze.change_at = cfg.change_at;
  }
  if (cfg.rewards_change_at >= 0 && cfg.object_rewards_after.empty())
    node.fail("rewards_change_at", "-1: no object_rewards_after to change to");
  auto world = std::make_unique<GridWorld>(std::move(maze), cfg.max_episode_steps, cfg.slip);
  try {
    world->set_objects(cfg.object_rewards, cfg.object_rewards_after, cfg.rewards_change_at, cfg.random_start);
  } catch (const InputError& e) {
    node.fail("object_rewards", e.what());
  }
  return world;
}

}  // namespace dynalab
