#pragma once
// A disc pushed by a 2D force on a damped floor (seen from above, no gravity) in a walled
// 10 m x 10 m arena among 5 rectangular obstacles, to a fixed goal, as in the CS285 obstacles
// task. Force in [-1, 1]^2 times `max_force` N. Observation (x, y, vx, vy) in m and m/s.
// Reward -|position - goal| - contact_penalty when the disc touches an obstacle (both from the
// state after the step). Terminates within goal_radius of the goal; 100 steps of 0.1 s.
// clone/set_state: exact; the disc touches walls and obstacles, so the world is rebuilt from
// the state at every control period (box2d_env.h).

#include <array>

#include "envs/box2d_env.h"

namespace dynalab {

struct PointObstaclesConfig {
  double max_force = 5.0;        ///< N at |a| = 1
  double damping = 1.5;          ///< floor friction as linear damping, 1/s
  double contact_penalty = 1.0;  ///< per step touching an obstacle
  double goal_radius = 0.5;      ///< m
  PhysicsSettings physics{0.1, 4, 8, 3, 100};

  template <class V>
  void visit(V& v) {
    v.field("max_force", max_force, Range::closed(0.01, 1000), Apply::on_reset, "N at |a| = 1");
    v.field("damping", damping, Range::closed(0, 100), Apply::on_reset,
            "linear damping of the floor, 1/s");
    v.field("contact_penalty", contact_penalty, Range::closed(0, 1000), Apply::on_reset,
            "per step in contact");
    v.field("goal_radius", goal_radius, Range::closed(0.05, 5), Apply::on_reset, "m");
    physics.visit(v);
  }
};

class PointObstacles : public Box2DEnv {
 public:
  static constexpr double kSize = 10.0, kRadius = 0.3;
  static constexpr Vec2 kStart{1.0, 1.0}, kGoal{9.0, 9.0};
  struct Obstacle {
    Vec2 centre, half;
  };
  static const std::array<Obstacle, 5>& obstacles();

  explicit PointObstacles(PointObstaclesConfig cfg = {});
  std::string name() const override { return "point_obstacles"; }
  Vec reset(uint64_t seed) override;
  Space observation_space() const override;
  Space action_space() const override { return Space::box(2, -1, 1); }
  std::unique_ptr<Env> clone() const override {
    return clone_into(std::make_unique<PointObstacles>(cfg_));
  }
  Bounds world_bounds() const override { return {{-0.3, -0.3}, {kSize + 0.3, kSize + 0.3}}; }
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::vector<std::string> observation_names() const override { return {"x", "y", "vx", "vy"}; }
  std::optional<Vec2> obs_position(const Vec& obs) const override { return Vec2{obs[0], obs[1]}; }
  Vec observe() const override;
  /// True if a disc centred at (x, y) touches an obstacle (within 1 cm).
  static bool touches_obstacle(double x, double y);
  /// Starts an episode with the disc at p (m) with velocity v (m/s).
  void place_disc(Vec2 p, Vec2 v);

 protected:
  void build(b2World& world) override;
  void apply_action(const Vec& action) override;
  bool is_terminal(const Vec& obs) const override;
  void draw_background(Canvas& canvas) const override;
  void draw_foreground(Canvas& canvas) const override;
  Color body_color(int) const override { return palette::agent; }

 private:
  PointObstaclesConfig cfg_;
};

std::unique_ptr<Env> make_point_obstacles(ConfigNode& node);

}  // namespace dynalab
