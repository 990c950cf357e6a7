#pragma once
// A grid world from a text maze (Sutton & Barto, chapter 8). Four actions: up, down, left,
// right. Moving into a wall or off the edge leaves the agent in place. Reward 1 on reaching the
// goal (the episode terminates), else 0. A changing maze swaps its walls (and may move its goal)
// once the total number of env steps (over all episodes, as in the book) reaches the maze's
// change time.
// The world is drawn with unit cells: column c spans x in [c, c+1], row 0 is at the top.
// With `slip` > 0 the world is stochastic, as in Russell & Norvig's 4x3 world: with probability
// slip a move goes to one of the two perpendicular directions instead (each half as likely).
// Step t of an episode draws from Rng::derive(reset seed, {t}), so a state is (cell, counters,
// reset seed) and get_state/set_state restore it exactly.
// Objects (the maze's letters a, b, ...; successor features and GPI): entering object k collects
// its reward object_rewards[k] and ends the episode, like a goal, so the cell alone is the state
// and the features phi_k(s') = [s' is object k] are Markov. object_rewards_after, from env step
// rewards_change_at on (counted over all episodes, like the wall change), is a new task on the
// same maze. random_start begins each episode in a uniformly drawn free cell (not an object, the
// goal or a wall) instead of 'S'.

#include "core/config.h"
#include "core/env.h"
#include "envs/maze.h"

namespace dynalab {

struct GridWorldConfig {
  std::string maze = "dyna_maze";  ///< name in assets/mazes/ or a file path
  int change_at = -1;              ///< override of the maze's change time (-1: the file's)
  int max_episode_steps = 10000;   ///< truncation limit per episode
  double slip = 0;                 ///< probability that a move goes perpendicular instead
  std::vector<double> object_rewards;        ///< reward of object k (the maze's letter 'a' + k)
  std::vector<double> object_rewards_after;  ///< the rewards from env step rewards_change_at on
  int rewards_change_at = -1;                ///< env step of the reward change (-1: never)
  bool random_start = false;                 ///< start each episode in a random free cell

  template <class V>
  void visit(V& v) {
    v.field("maze", maze, Apply::on_reset, "maze name in assets/mazes/ or a .txt path");
    v.field("change_at", change_at, Range::at_least(-1), Apply::on_reset, "env step of the wall change (-1: the file's)");
    v.field("max_episode_steps", max_episode_steps, Range::closed(1, 1e7), Apply::on_reset);
    v.field("slip", slip, Range::probability(), Apply::on_reset,
            "probability that a move goes to a perpendicular direction instead (0: deterministic)");
    v.field("object_rewards", object_rewards, Range::closed(-100, 100), Apply::on_reset,
            "reward of each object a, b, ... of the maze (entering one ends the episode)");
    v.field("object_rewards_after", object_rewards_after, Range::closed(-100, 100), Apply::on_reset,
            "the objects' rewards from env step rewards_change_at on (a new task; empty: no change)");
    v.field("rewards_change_at", rewards_change_at, Range::at_least(-1), Apply::on_reset,
            "env step (over all episodes) of the change to object_rewards_after (-1: never)");
    v.field("random_start", random_start, Apply::on_reset,
            "start each episode in a uniformly drawn free cell instead of 'S'");
  }
};

class GridWorld : public Env {
 public:
  enum Action { up = 0, down = 1, left = 2, right = 3 };
  /// `slip` in [0, 1]: probability that a move goes perpendicular to the chosen direction.
  explicit GridWorld(Maze maze, int max_episode_steps = 10000, double slip = 0);

  std::string name() const override { return "grid_world"; }
  Vec reset(uint64_t seed) override;
  StepResult step(const Vec& action) override;
  Space observation_space() const override { return Space::discrete(maze_.rows * maze_.cols); }
  Space action_space() const override { return Space::discrete(4); }
  std::unique_ptr<Env> clone() const override { return std::make_unique<GridWorld>(*this); }
  std::vector<double> get_state() const override;
  void set_state(const std::vector<double>& state) override;
  void draw(Canvas& canvas) const override;
  Bounds world_bounds() const override { return {{0, 0}, {double(maze_.cols), double(maze_.rows)}}; }
  int max_episode_steps() const override { return max_steps_; }
  int episode_step() const override { return episode_step_; }
  std::optional<Vec2> obs_position(const Vec& obs) const override;
  /// 1 on entering the goal cell, object k's reward on entering object k, else 0 (obs are cell
  /// indices; the rewards in effect now).
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  /// True on entering the goal cell or an object.
  std::optional<bool> terminated(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::optional<GridLayout> grid_layout() const override;
  /// Puts the agent in the cell `obs[0]` (restarting the episode's step count; the total step
  /// count and the reset seed stay); false for a wall or a cell outside the maze.
  bool set_observation(const Vec& obs) override;
  /// A slippery maze draws after reset (its slips), so it is not a function of cell and action.
  bool deterministic() const override { return slip_ == 0; }
  bool edit_cell(CellEdit edit, Cell c) override;

  const Maze& maze() const { return maze_; }
  Cell agent() const { return agent_; }
  /// True once the maze's walls have changed.
  bool changed() const { return maze_.change_at >= 0 && total_steps_ >= maze_.change_at; }
  bool is_wall(int r, int c) const { return maze_.wall(r, c, changed()); }
  /// The goal in effect now (the maze's second layout may move it at the change).
  Cell goal() const { return maze_.goal_at(changed()); }
  double slip() const { return slip_; }
  int64_t total_steps() const { return total_steps_; }
  int state_of(Cell c) const { return c.row * maze_.cols + c.col; }
  Cell cell_of(int state) const { return {state / maze_.cols, state % maze_.cols}; }

  /// Sets the objects' rewards (one per maze object, 0 each until set; InputError otherwise), the new task's
  /// rewards from env step `change_at` on (empty and -1: none), and random starts.
  void set_objects(std::vector<double> rewards, std::vector<double> rewards_after = {}, int change_at = -1,
                   bool random_start = false);
  /// The objects' rewards in effect now (after the change once total_steps() reaches it).
  const std::vector<double>& object_rewards() const;
  /// The object at state `state`, or -1.
  int object_at(int state) const;

  /// Editing, as in REINFORCEjs: toggling a wall (not on start, goal or agent), moving start or goal.
  bool toggle_wall(Cell c);
  bool move_start(Cell c);
  bool move_goal(Cell c);

 private:
  Maze maze_;
  int max_steps_;
  double slip_;
  uint64_t reset_seed_ = 0;  // the episode's slips draw from it
  Cell agent_;
  int episode_step_ = 0;
  int64_t total_steps_ = 0;
  std::vector<double> object_rewards_, object_rewards_after_;
  int rewards_change_at_ = -1;
  bool random_start_ = false;
};

/// Builds a grid world from its config section (maze errors name the maze file and line).
std::unique_ptr<Env> make_grid_world(ConfigNode& node);

}  // namespace dynalab
