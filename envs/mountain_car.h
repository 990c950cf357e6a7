#pragma once
// Gymnasium MountainCarContinuous as a Box2D world: a car (a sliding disc, see car.h) on a hill
// shaped like Gymnasium's 0.45 sin(3x) + 0.55 (a chain shape), walls at both ends, gravity 9.8. The
// world is `scale` metres per Gymnasium unit (10 by default, so the valley's swing period is close
// to Gymnasium's ~70 steps). Observation in Gymnasium units: position x in [-1.2, 0.6] and
// velocity = x displacement per step, limited to [-0.07, 0.07] as in Gymnasium. Engine force in
// [-1, 1] times `engine_accel` m/s^2 (times the car's mass), too weak to climb directly.
// Reward -0.1 a^2 per step, +100 on reaching the flag (x >= 0.45 with velocity >= 0, which
// terminates); truncated after 999 steps.
// clone/set_state: exact; the car touches the terrain, so the world is rebuilt from the state
// at every control period (box2d_env.h) and contacts depend on the state alone.

#include "envs/box2d_env.h"
#include "envs/car.h"

namespace dynalab {

struct MountainCarConfig {
  double scale = 10.0;          ///< metres per Gymnasium unit
  double gravity = 9.8;         ///< m/s^2
  double engine_accel = 4.5;    ///< m/s^2 at full throttle
  double max_speed = 0.07;      ///< Gymnasium units per step
  double goal_position = 0.45;  ///< Gymnasium units
  PhysicsSettings physics{0.05, 3, 8, 3, 999};

  template <class V>
  void visit(V& v) {
    v.field("scale", scale, Range::closed(1, 100), Apply::on_reset, "metres per Gymnasium unit");
    v.field("gravity", gravity, Range::closed(0.1, 100), Apply::on_reset, "m/s^2");
    v.field("engine_accel", engine_accel, Range::closed(0, 100), Apply::on_reset,
            "full-throttle acceleration, m/s^2");
    v.field("max_speed", max_speed, Range::closed(0.001, 1), Apply::on_reset,
            "speed limit, units per step");
    v.field("goal_position", goal_position, Range::closed(-1.1, 0.55), Apply::on_reset,
            "flag position, units");
    physics.visit(v);
  }
};

class MountainCar : public Box2DEnv {
 public:
  static constexpr double kMinPosition = -1.2, kMaxPosition = 0.6;
  explicit MountainCar(MountainCarConfig cfg = {});
  std::string name() const override { return "mountain_car"; }
  Vec reset(uint64_t seed) override;
  Space observation_space() const override;
  Space action_space() const override { return Space::box(1, -1, 1); }
  std::unique_ptr<Env> clone() const override {
    return clone_into(std::make_unique<MountainCar>(cfg_));
  }
  Bounds world_bounds() const override;
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::vector<std::string> observation_names() const override { return {"position", "velocity"}; }
  std::optional<Vec2> obs_position(const Vec& obs) const override;
  FutureLayout future_layout() const override { return {FutureLayout::time_up, {}}; }
  Vec observe() const override;
  /// Height of the hill (Gymnasium units) at position x (units).
  static double height(double x);
  /// Slope dh/dx of the hill at position x (units; the same in metres).
  static double slope(double x);
  /// Starts an episode with the car resting at position x (units) with velocity v (units/step).
  void place_car(double x, double v);

 protected:
  void build(b2World& world) override;
  void apply_action(const Vec& action) override;
  void after_physics() override;
  bool is_terminal(const Vec& obs) const override;
  Color body_color(int) const override { return palette::agent.with_alpha(0.2f); }
  void draw_foreground(Canvas& canvas) const override;
  void draw_background(Canvas& canvas) const override;

 private:
  MountainCarConfig cfg_;
  CarShape car_;
  double car_mass_ = 1.0;
};

std::unique_ptr<Env> make_mountain_car(ConfigNode& node);

}  // namespace dynalab
