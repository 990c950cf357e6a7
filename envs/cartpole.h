#pragma once
// The cart-pole bodies shared by cartpole_swingup and cartpole_balance: a cart on a prismatic
// joint along x with hard stops, a uniform pole on a revolute joint at the cart's centre, the
// force applied horizontally to the cart. Box2D angle phi of the pole: 0 upright, CCW positive.
// clone/set_state: exact (no contacts; the bodies collide with nothing).

#include "envs/box2d_env.h"

namespace dynalab {

/// Masses (kg), lengths (m) and gravity (m/s^2) of a cart-pole.
struct CartPoleBodies {
  double gravity = 9.8, cart_mass = 1.0, pole_mass = 0.1, pole_length = 1.0;
  double track_limit = 2.8;  ///< hard stops of the cart at +-track_limit (m)
};

class CartPoleEnv : public Box2DEnv {
 public:
  /// Cart position (m), cart velocity (m/s), pole angle phi (rad, 0 up, CCW) and its rate.
  struct Pose {
    double x, x_dot, phi, phi_dot;
  };
  Pose pose() const;
  /// Starts an episode from a pose (velocities of the pole centre follow from the joint).
  void set_pose(const Pose& p);
  Bounds world_bounds() const override;

 protected:
  CartPoleEnv(PhysicsSettings physics, CartPoleBodies bodies);
  void build(b2World& world) override;
  /// Horizontal force on the cart in N for an action.
  virtual double force(const Vec& action) const = 0;
  void apply_action(const Vec& action) override;
  Color body_color(int i) const override { return i == 0 ? palette::body : palette::agent; }
  void draw_background(Canvas& canvas) const override;
  void draw_foreground(Canvas& canvas) const override;

  CartPoleBodies bodies_;
};

}  // namespace dynalab
