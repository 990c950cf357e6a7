#pragma once
// The grid domain of value iteration networks (Tamar et al. 2016): a new random obstacle map per
// episode, 8-connected moves, a random start that can reach the goal. The maps follow
// kentsommer/pytorch-value-iteration-networks (generators/obstacle_gen.py,
// dataset/make_training_data.py), itself a port of the authors' MATLAB generator (avivt/VIN): a
// random goal, `max_obstacles` attempts to drop a rectangle of 1..max_obstacle_size cells per
// side at a random cell (an attempt that would cover the goal is dropped), a border of obstacles
// all round; a map where no attempt succeeded is redrawn. The reference draws the goal anywhere
// and discards maps whose goal lies on the border: drawing it among the interior cells gives the
// same distribution of accepted maps.
//
// Actions N, S, E, W, NE, NW, SE, SW (core/grid_moves.h); a move into an obstacle leaves
// the agent in place; a diagonal may pass between two obstacles. Reward -1 per straight move and
// -sqrt 2 per diagonal one (the reference's transition costs); reaching the goal terminates. An
// episode is cut after rollout_budget(n) = 2 n + 1 moves, n the expert's moves from the start
// (test.py's rollout budget: twice the optimal path's cells), unless max_episode_steps sets a
// fixed limit. A map is a GridLayout: its walls are the obstacles.
// Observation: the agent's cell index row * size + col. Everything an episode draws comes from
// Rng(reset seed): the map is a function of the seed, so a state is (cell, step, seed).

#include "core/config.h"
#include "core/env.h"
#include "core/grid_layout.h"

namespace dynalab {

class Rng;

/// The generator's parameters (kentsommer's make_training_data.py defaults: 50 attempts, 2 cells).
struct ObstacleMapConfig {
  int size = 8;               ///< cells per side, border included
  int max_obstacles = 50;     ///< rectangle placement attempts
  int max_obstacle_size = 2;  ///< a rectangle's sides are 1..max_obstacle_size cells
  int max_episode_steps = 0;  ///< 0: 2 n + 1 moves, n the expert's

  template <class V>
  void visit(V& v) {
    v.field("size", size, Range::closed(4, 64), Apply::on_reset, "cells per side of a map, border included");
    v.field("max_obstacles", max_obstacles, Range::closed(1, 10000), Apply::on_reset,
            "rectangle placement attempts per map (kentsommer: max_obs = 50)");
    v.field("max_obstacle_size", max_obstacle_size, Range::closed(1, 32), Apply::on_reset,
            "largest side of a rectangle, cells (kentsommer: max_obs_size = 2)");
    v.field("max_episode_steps", max_episode_steps, Range::closed(0, 1e7), Apply::on_reset,
            "moves per episode (0: twice the expert's path, as kentsommer's test.py)");
  }
};

/// A random map (see the file comment): a size x size layout with its walls and goal (start
/// and agent left at {0, 0}). `cfg.size` >= 4.
GridLayout generate_obstacle_map(const ObstacleMapConfig& cfg, Rng& rng);

class ObstacleMapEnv : public Env {
 public:
  explicit ObstacleMapEnv(const ObstacleMapConfig& cfg);

  std::string name() const override { return "obstacle_map"; }
  Vec reset(uint64_t seed) override;
  StepResult step(const Vec& action) override;
  Space observation_space() const override { return Space::discrete(map_.rows * map_.cols); }
  Space action_space() const override { return Space::discrete(8); }
  std::unique_ptr<Env> clone() const override { return std::make_unique<ObstacleMapEnv>(*this); }
  std::vector<double> get_state() const override;
  void set_state(const std::vector<double>& state) override;
  void draw(Canvas& canvas) const override;
  Bounds world_bounds() const override { return {{0, 0}, {double(map_.cols), double(map_.rows)}}; }
  int max_episode_steps() const override { return limit_; }
  int episode_step() const override { return episode_step_; }
  std::optional<Vec2> obs_position(const Vec& obs) const override;
  /// -1 per straight move, -sqrt 2 per diagonal one (whether or not an obstacle stopped it).
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  /// True on entering the goal cell.
  std::optional<bool> terminated(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::optional<GridLayout> grid_layout() const override;

  /// The map: walls and goal (start and agent: see grid_layout()).
  const GridLayout& map() const { return map_; }
  int start() const { return start_; }
  /// The expert's moves from the start to the goal (the budget is rollout_budget(n) = 2 n + 1).
  int expert_moves() const { return expert_moves_; }

 private:
  void generate(uint64_t seed);

  ObstacleMapConfig cfg_;
  GridLayout map_;
  uint64_t seed_ = 0;
  int start_ = 0, agent_ = 0, episode_step_ = 0, expert_moves_ = 0, limit_ = 1;
};

/// Builds the env from its config section.
std::unique_ptr<Env> make_obstacle_map_env(ConfigNode& node);

}  // namespace dynalab
