#pragma once
// Gymnasium Pendulum-v1 as a Box2D world: a 1 kg, 1 m uniform pole on a revolute joint at its
// end, gravity 10, a torque in [-2, 2] N m on the pole. theta = 0 is upright, counter-clockwise
// positive. Observation (cos theta, sin theta, theta_dot); angular speed limited to 8 rad/s as
// in Gymnasium. Reward -(theta^2 + 0.1 theta_dot^2 + 0.001 u^2) of the state before the step;
// never terminates, truncated after 200 steps of 0.05 s.
// Box2D's joint solver dissipates a little energy (about 2% of mgl per second at the default
// 10 sub-steps). clone/set_state: exact (no contacts; the pole collides with nothing).

#include "envs/box2d_env.h"

namespace dynalab {

struct PendulumConfig {
  double gravity = 10.0;    ///< m/s^2
  double mass = 1.0;        ///< kg
  double length = 1.0;      ///< m
  double max_torque = 2.0;  ///< N m
  double max_speed = 8.0;   ///< rad/s
  /// Episode starts: theta ~ start_center + U(-start_angle, start_angle), theta_dot ~
  /// U(-start_speed, start_speed); Gymnasium's are 0, pi and 1. Small spreads around 0 start
  /// near upright ("learn to balance from nearby starts", the v2.0 lesson); around pi, hanging
  /// down with a small spread as in PILCO's swing-up (pilco-matlab settings_pendulum.m: mu0 =
  /// hanging, S0 = 0.01 I, i.e. a std of 0.1, which U(-0.17, 0.17) matches).
  double start_center = 0;                 ///< rad, 0 upright, pi hanging
  double start_angle = 3.141592653589793;  ///< rad
  double start_speed = 1.0;                ///< rad/s
  PhysicsSettings physics{0.05, 10, 4, 2, 200};

  template <class V>
  void visit(V& v) {
    v.field("gravity", gravity, Range::closed(0, 100), Apply::on_reset, "m/s^2");
    v.field("mass", mass, Range::closed(0.01, 100), Apply::on_reset, "pole mass, kg");
    v.field("length", length, Range::closed(0.1, 10), Apply::on_reset, "pole length, m");
    v.field("max_torque", max_torque, Range::closed(0.01, 100), Apply::on_reset,
            "torque bound, N m");
    v.field("max_speed", max_speed, Range::closed(0.1, 100), Apply::on_reset,
            "angular speed limit, rad/s");
    v.field("start_center", start_center, Range::closed(-3.141592653589793, 3.141592653589793),
            Apply::on_reset, "angle the episode starts are spread around, rad (0 upright, pi hanging)");
    v.field("start_angle", start_angle, Range::closed(0, 3.141592653589793), Apply::on_reset,
            "largest |angle - start_center| of an episode's start, rad");
    v.field("start_speed", start_speed, Range::closed(0, 100), Apply::on_reset,
            "largest |angular speed| of an episode's start, rad/s");
    physics.visit(v);
  }
};

class Pendulum : public Box2DEnv {
 public:
  explicit Pendulum(PendulumConfig cfg = {});
  std::string name() const override { return "pendulum"; }
  Vec reset(uint64_t seed) override;
  Space observation_space() const override;
  Space action_space() const override { return Space::box(1, -cfg_.max_torque, cfg_.max_torque); }
  std::unique_ptr<Env> clone() const override {
    return clone_into(std::make_unique<Pendulum>(cfg_));
  }
  Bounds world_bounds() const override;
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::vector<std::string> observation_names() const override {
    return {"cos_theta", "sin_theta", "theta_dot"};
  }
  std::optional<Vec2> obs_position(const Vec& obs) const override;
  /// Angle (rad, 0 upright) x angular velocity (rad/s) over [-pi, pi] x [-max_speed, max_speed].
  std::optional<StatePlane> state_plane() const override;
  FutureLayout future_layout() const override { return {FutureLayout::radial, {}}; }
  Vec observe() const override;
  /// Upright at rest. A rod on a pivot, I = m l^2 / 3, torque m g (l / 2) sin(theta):
  /// theta'' = 3 g / (2 l) sin(theta), so near theta = 0 deviations grow like
  /// exp(sqrt(3 g / (2 l)) t) (3.87 / s with g = 10, l = 1).
  std::optional<UnstableEquilibrium> unstable_equilibrium() const override;
  /// The pole at angle atan2(sin, cos) with the observed angular velocity.
  bool set_observation(const Vec& obs) override;
  /// Puts the pole at angle theta (rad, 0 upright) with angular velocity omega (rad/s).
  void set_pole(double theta, double omega);

 protected:
  void build(b2World& world) override;
  void apply_action(const Vec& action) override;
  void after_physics() override;
  bool is_terminal(const Vec&) const override { return false; }
  void draw_foreground(Canvas& canvas) const override;

 private:
  PendulumConfig cfg_;
};

std::unique_ptr<Env> make_pendulum(ConfigNode& node);

}  // namespace dynalab
