#pragma once
// A planar two-link arm seen from above (no gravity), after Gymnasium's Reacher: links of 1 m
// and 1 kg on revolute joints, joint torques in [-1, 1] times `max_torque` N m, viscous joint
// damping. A random target within reach each episode. Observation (10-D, Gymnasium's layout):
// cos q1, cos q2, sin q1, sin q2, target x, target y, q1_dot, q2_dot, tip x - target x,
// tip y - target y. Reward -|tip - target| - 0.1 |a|^2 of the state after the step; 150 steps
// of 0.05 s, never terminates. Exact clone (no contacts; the target is part of the state).

#include "envs/box2d_env.h"

namespace dynalab {

struct ReacherConfig {
  double link_length = 1.0;    ///< m, each link
  double link_mass = 1.0;      ///< kg, each link
  double max_torque = 5.0;     ///< N m at |a| = 1
  double joint_damping = 1.0;  ///< N m s per rad/s of joint speed
  PhysicsSettings physics{0.05, 2, 8, 3, 150};

  template <class V>
  void visit(V& v) {
    v.field("link_length", link_length, Range::closed(0.2, 5), Apply::on_reset, "m");
    v.field("link_mass", link_mass, Range::closed(0.01, 100), Apply::on_reset, "kg");
    v.field("max_torque", max_torque, Range::closed(0.01, 1000), Apply::on_reset, "N m at |a| = 1");
    v.field("joint_damping", joint_damping, Range::closed(0, 100), Apply::on_reset, "N m s");
    physics.visit(v);
  }
};

class Reacher : public Box2DEnv {
 public:
  explicit Reacher(ReacherConfig cfg = {});
  std::string name() const override { return "reacher"; }
  Vec reset(uint64_t seed) override;
  Space observation_space() const override;
  Space action_space() const override { return Space::box(2, -1, 1); }
  std::unique_ptr<Env> clone() const override {
    return clone_into(std::make_unique<Reacher>(cfg_));
  }
  Bounds world_bounds() const override;
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::vector<std::string> observation_names() const override;
  std::optional<Vec2> obs_position(const Vec& obs) const override {
    return Vec2{obs[4] + obs[8], obs[5] + obs[9]};
  }
  Vec observe() const override;
  /// The arm at the observed joint angles (atan2 of their sines and cosines), joint speeds and
  /// target; the tip-minus-target entries follow from those and are not read.
  bool set_observation(const Vec& obs) override;
  /// Starts an episode with joint angles q (rad), joint speeds (rad/s) and a target (m).
  void set_arm(double q1, double q2, double q1_dot, double q2_dot, Vec2 target);
  Vec2 tip() const;

 protected:
  void build(b2World& world) override;
  void apply_action(const Vec& action) override;
  bool is_terminal(const Vec&) const override { return false; }
  std::vector<double> extra_state() const override { return {target_.x, target_.y}; }
  void set_extra_state(std::span<const double> e) override { target_ = {e[0], e[1]}; }
  int extra_state_size() const override { return 2; }
  Color body_color(int i) const override { return i == 0 ? palette::body : palette::agent; }
  void draw_background(Canvas& canvas) const override;
  void draw_foreground(Canvas& canvas) const override;

 private:
  ReacherConfig cfg_;
  Vec2 target_{1, 1};
};

std::unique_ptr<Env> make_reacher(ConfigNode& node);

}  // namespace dynalab
