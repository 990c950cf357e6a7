#pragma once
// Gymnasium CartPole-v1 in Box2D: cart 1 kg, pole 0.1 kg and 1 m (half-length 0.5), gravity 9.8,
// force 10 N, control period 0.02 s. Discrete variant (default): action 0 pushes left, 1 right;
// continuous variant (`discrete: false`): force in [-10, 10] N. Starts upright with every state
// variable uniform in [-0.05, 0.05]. Observation (x, x_dot, theta, theta_dot), theta clockwise
// positive as in Gymnasium. Reward +1 per step; terminates past 12 degrees or |x| > 2.4
// (the track's hard stops are further out, at 2.8); truncated after 500 steps.
// Exact clone (no contacts).

#include "envs/cartpole.h"

namespace dynalab {

struct CartPoleBalanceConfig {
  bool discrete = true;
  double force_mag = 10.0;            ///< N
  double theta_threshold_deg = 12.0;  ///< degrees
  double x_threshold = 2.4;           ///< m
  PhysicsSettings physics{0.02, 2, 8, 3, 500};

  template <class V>
  void visit(V& v) {
    v.field("discrete", discrete, Apply::on_reset,
            "left/right actions (true) or a force in N (false)");
    v.field("force_mag", force_mag, Range::closed(0.01, 1000), Apply::on_reset, "N");
    v.field("theta_threshold_deg", theta_threshold_deg, Range::closed(1, 90), Apply::on_reset,
            "pole falls past this");
    v.field("x_threshold", x_threshold, Range::closed(0.5, 2.7), Apply::on_reset, "track end, m");
    physics.visit(v);
  }
};

class CartPoleBalance : public CartPoleEnv {
 public:
  explicit CartPoleBalance(CartPoleBalanceConfig cfg = {});
  std::string name() const override { return "cartpole_balance"; }
  Vec reset(uint64_t seed) override;
  Space observation_space() const override;
  Space action_space() const override;
  std::unique_ptr<Env> clone() const override {
    return clone_into(std::make_unique<CartPoleBalance>(cfg_));
  }
  std::optional<double> reward(const Vec&, const Vec&, const Vec&) const override { return 1.0; }
  std::vector<std::string> observation_names() const override {
    return {"x", "x_dot", "theta", "theta_dot"};
  }
  std::optional<Vec2> obs_position(const Vec& obs) const override { return Vec2{obs[0], 0}; }
  FutureLayout future_layout() const override { return {FutureLayout::time_up, {}}; }
  Vec observe() const override;
  /// Every terminal state is a failure here: the pole fell or the cart left the track.
  bool failure(const Vec& obs) const override { return obs.size() >= 3 && is_terminal(obs); }
  std::string failure_name() const override { return "pole falls / cart leaves the track"; }

 protected:
  double force(const Vec& action) const override;
  bool is_terminal(const Vec& obs) const override;
  void draw_background(Canvas& canvas) const override;

 private:
  CartPoleBalanceConfig cfg_;
};

std::unique_ptr<Env> make_cartpole_balance(ConfigNode& node);

}  // namespace dynalab
