#include "envs/cartpole_swingup.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/rng.h"

namespace dynalab {

CartPoleSwingup::CartPoleSwingup(CartPoleSwingupConfig cfg)
    : CartPoleEnv(cfg.physics,
                  {cfg.gravity, cfg.cart_mass, cfg.pole_mass, cfg.pole_length, cfg.track_limit}),
      cfg_(cfg) {
  rebuild();
  reset(0);
}

Vec CartPoleSwingup::reset(uint64_t seed) {
  // PETS: hanging down, positions and velocities perturbed by N(0, 0.1).
  Rng rng(seed);
  const double x = rng.normal(0, 0.1), theta = rng.normal(0, 0.1);
  const double x_dot = rng.normal(0, 0.1), theta_dot = rng.normal(0, 0.1);
  set_pose({x, x_dot, std::numbers::pi - theta, -theta_dot});
  return observe();
}

Vec CartPoleSwingup::observe() const {
  const Pose p = pose();
  const double theta = wrap_angle(std::numbers::pi - p.phi);
  if (cfg_.cos_sin) {
    Vec o(5);
    o << p.x, std::cos(theta), std::sin(theta), p.x_dot, -p.phi_dot;
    return o;
  }
  Vec o(4);
  o << p.x, theta, p.x_dot, -p.phi_dot;
  return o;
}

Space CartPoleSwingup::observation_space() const {
  const double inf = std::numeric_limits<double>::infinity();
  // The hard stops allow Box2D's linear slop (5 mm) of overshoot.
  const double x_max = cfg_.track_limit + 0.05;
  if (cfg_.cos_sin) {
    Vec hi(5);
    hi << x_max, 1, 1, inf, inf;
    return Space::box(-hi, hi);
  }
  Vec hi(4);
  hi << x_max, std::numbers::pi, inf, inf;
  return Space::box(-hi, hi);
}

std::optional<Vec2> CartPoleSwingup::obs_position(const Vec& o) const {
  const double c = cfg_.cos_sin ? o[1] : std::cos(o[1]), s = cfg_.cos_sin ? o[2] : std::sin(o[1]);
  return Vec2{o[0] - cfg_.pole_length * s, -cfg_.pole_length * c};
}

std::optional<double> CartPoleSwingup::reward(const Vec&, const Vec& a, const Vec& s) const {
  const Vec2 tip = *obs_position(s);
  const double L = cfg_.pole_length, dy = tip.y - L;
  const double u = std::clamp(a[0], -cfg_.max_force, cfg_.max_force);
  return std::exp(-(tip.x * tip.x + dy * dy) / (L * L)) - 0.01 * u * u;
}

void CartPoleSwingup::draw_background(Canvas& canvas) const {
  CartPoleEnv::draw_background(canvas);
  // The target of the tip: upright over x = 0.
  canvas.circle({0, cfg_.pole_length}, 0.06, palette::goal.with_alpha(0.5f), palette::goal);
}

std::unique_ptr<Env> make_cartpole_swingup(ConfigNode& node) {
  CartPoleSwingupConfig cfg;
  cfg.visit(node);
  return std::make_unique<CartPoleSwingup>(cfg);
}

}  // namespace dynalab
