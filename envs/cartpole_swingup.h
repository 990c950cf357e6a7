#pragma once
// PETS cart-pole swing-up (Chua et al. 2018) in Box2D: the pole (0.6 m) starts hanging down,
// the force on the cart is in [-3, 3] N. Observation (x, theta, x_dot, theta_dot) with PETS's
// angle convention, theta = 0 hanging down (wrapped to [-pi, pi)); the pole tip is
// (x - 0.6 sin theta, -0.6 cos theta). Reward exp(-|tip - (0, 0.6)|^2 / 0.6^2) - 0.01 a^2 of the
// state after the step; 200 steps of 0.05 s, never terminates. Exact clone (no contacts).

#include "envs/cartpole.h"

namespace dynalab {

struct CartPoleSwingupConfig {
  double cart_mass = 0.5, pole_mass = 0.1, pole_length = 0.6, gravity = 9.8;
  double max_force = 3.0;    ///< N
  double track_limit = 2.5;  ///< m, hard stops
  /// Observe the angle as (cos theta, sin theta) instead of theta: (x, cos, sin, x_dot,
  /// theta_dot). The wrapped theta jumps by 2 pi at the upright goal, which a learned delta
  /// model cannot fit (PETS feeds its models sin/cos for the same reason).
  bool cos_sin = false;
  PhysicsSettings physics{0.05, 8, 4, 2, 200};

  template <class V>
  void visit(V& v) {
    v.field("cart_mass", cart_mass, Range::closed(0.01, 100), Apply::on_reset, "kg");
    v.field("pole_mass", pole_mass, Range::closed(0.01, 100), Apply::on_reset, "kg");
    v.field("pole_length", pole_length, Range::closed(0.1, 5), Apply::on_reset, "m");
    v.field("gravity", gravity, Range::closed(0, 100), Apply::on_reset, "m/s^2");
    v.field("max_force", max_force, Range::closed(0.01, 1000), Apply::on_reset, "force bound, N");
    v.field("track_limit", track_limit, Range::closed(0.5, 20), Apply::on_reset,
            "hard stops at +-this, m");
    v.field("cos_sin", cos_sin, Apply::on_reset,
            "observe (x, cos theta, sin theta, x_dot, theta_dot) instead of wrapped theta");
    physics.visit(v);
  }
};

class CartPoleSwingup : public CartPoleEnv {
 public:
  explicit CartPoleSwingup(CartPoleSwingupConfig cfg = {});
  std::string name() const override { return "cartpole_swingup"; }
  Vec reset(uint64_t seed) override;
  Space observation_space() const override;
  Space action_space() const override { return Space::box(1, -cfg_.max_force, cfg_.max_force); }
  std::unique_ptr<Env> clone() const override {
    return clone_into(std::make_unique<CartPoleSwingup>(cfg_));
  }
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::vector<std::string> observation_names() const override {
    if (cfg_.cos_sin) return {"x", "cos_theta", "sin_theta", "x_dot", "theta_dot"};
    return {"x", "theta", "x_dot", "theta_dot"};
  }
  std::optional<Vec2> obs_position(const Vec& obs) const override;
  Vec observe() const override;

 protected:
  double force(const Vec& action) const override { return action[0]; }
  bool is_terminal(const Vec&) const override { return false; }
  void draw_background(Canvas& canvas) const override;

 private:
  CartPoleSwingupConfig cfg_;
};

std::unique_ptr<Env> make_cartpole_swingup(ConfigNode& node);

}  // namespace dynalab
