#include "envs/cartpole_balance.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/rng.h"

namespace dynalab {

CartPoleBalance::CartPoleBalance(CartPoleBalanceConfig cfg)
    : CartPoleEnv(cfg.physics, {9.8, 1.0, 0.1, 1.0, 2.8}), cfg_(cfg) {
  rebuild();
  reset(0);
}

Vec CartPoleBalance::reset(uint64_t seed) {
  Rng rng(seed);
  double s[4];
  for (double& v : s) v = rng.uniform(-0.05, 0.05);
  set_pose({s[0], s[1], -s[2], -s[3]});  // Gymnasium's theta is clockwise
  return observe();
}

Vec CartPoleBalance::observe() const {
  const Pose p = pose();
  Vec o(4);
  o << p.x, p.x_dot, -wrap_angle(p.phi), -p.phi_dot;
  return o;
}

Space CartPoleBalance::observation_space() const {
  // Gymnasium's bounds: twice the termination thresholds.
  const double inf = std::numeric_limits<double>::infinity();
  Vec hi(4);
  hi << 2 * cfg_.x_threshold, inf, 2 * cfg_.theta_threshold_deg * std::numbers::pi / 180, inf;
  return Space::box(-hi, hi);
}

Space CartPoleBalance::action_space() const {
  return cfg_.discrete ? Space::discrete(2) : Space::box(1, -cfg_.force_mag, cfg_.force_mag);
}

double CartPoleBalance::force(const Vec& a) const {
  if (cfg_.discrete) return a[0] >= 0.5 ? cfg_.force_mag : -cfg_.force_mag;
  return a[0];
}

bool CartPoleBalance::is_terminal(const Vec& o) const {
  return std::abs(o[0]) > cfg_.x_threshold ||
         std::abs(o[2]) > cfg_.theta_threshold_deg * std::numbers::pi / 180;
}

void CartPoleBalance::draw_background(Canvas& canvas) const {
  CartPoleEnv::draw_background(canvas);
  // The track ends where the episode terminates, and the allowed lean of the pole.
  for (double x : {-cfg_.x_threshold, cfg_.x_threshold})
    canvas.segment({x, -0.3}, {x, 0.3}, palette::danger, 2.5f);
  const double x = body_state(0).x, t = cfg_.theta_threshold_deg * std::numbers::pi / 180;
  for (double s : {-1.0, 1.0})
    canvas.segment({x, 0}, {x + s * 1.05 * std::sin(t), 1.05 * std::cos(t)},
                   palette::danger.with_alpha(0.35f), 1.5f);
}

std::unique_ptr<Env> make_cartpole_balance(ConfigNode& node) {
  CartPoleBalanceConfig cfg;
  cfg.visit(node);
  return std::make_unique<CartPoleBalance>(cfg);
}

}  // namespace dynalab
