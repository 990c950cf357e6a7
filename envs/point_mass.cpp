#include "envs/point_mass.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/rng.h"
#include "envs/state_check.h"

namespace dynalab {

Vec PointMass::reset(uint64_t seed) {
  Rng rng(seed);
  pos_ = cfg_.random_start ? rng.uniform(-cfg_.init_pos, cfg_.init_pos) : cfg_.init_pos;
  vel_ = 0;
  step_ = 0;
  return Eigen::Vector2d(pos_, vel_);
}

Space PointMass::observation_space() const {
  const double inf = std::numeric_limits<double>::infinity();
  return Space::box(Vec::Constant(2, -inf), Vec::Constant(2, inf));
}

StepResult PointMass::step(const Vec& action) {
  const double a = std::isfinite(action[0]) ? std::clamp(action[0], -1.0, 1.0) : 0.0;
  vel_ += a * cfg_.dt;
  pos_ += vel_ * cfg_.dt;
  ++step_;
  StepResult r;
  r.obs = Eigen::Vector2d(pos_, vel_);
  r.reward = reward_at(pos_, vel_, a);
  r.truncated = step_ >= cfg_.max_episode_steps;
  return r;
}

bool PointMass::set_observation(const Vec& obs) {
  if (obs.size() != 2) return false;
  pos_ = obs[0];
  vel_ = obs[1];
  step_ = 0;
  return true;
}

bool PointMass::dynamics_jacobians(const Vec&, const Vec& action, Eigen::MatrixXd& A,
                                   Eigen::MatrixXd& B) const {
  const double dt = cfg_.dt;
  A.resize(2, 2);
  A << 1, dt, 0, 1;
  const bool clipped = !std::isfinite(action[0]) || std::abs(action[0]) > 1;
  B.resize(2, 1);
  B << (clipped ? 0 : dt * dt), (clipped ? 0 : dt);
  return true;
}

std::optional<double> PointMass::reward(const Vec&, const Vec& a, const Vec& s_next) const {
  const double u = std::clamp(a[0], -1.0, 1.0);
  return reward_at(s_next[0], s_next[1], u);
}

void PointMass::set_state(const std::vector<double>& s) {
  if (s.size() != 3) throw std::invalid_argument("PointMass::set_state: expected 3 values");
  // Checked before any is applied (envs/state_check.h): a counter of 1e15 never truncated.
  const std::string env = name();
  const double pos = state_number(s, 0, env, "position"), vel = state_number(s, 1, env, "velocity");
  step_ = int(state_integer(s, 2, env, "step counter", 0, cfg_.max_episode_steps));
  pos_ = pos;
  vel_ = vel;
}

Bounds PointMass::world_bounds() const {
  const double w = std::max(2.0 * cfg_.init_pos, 2.0);
  return {{-w, -0.25 * w}, {w, 0.25 * w}};
}

void PointMass::draw(Canvas& c) const {
  const Bounds b = world_bounds();
  const double w = b.hi.x;
  c.segment({-w, 0}, {w, 0}, palette::ground, 2.0f);
  for (int x = int(-std::floor(w)); x <= int(std::floor(w)); ++x)
    c.segment({double(x), -0.05 * w}, {double(x), 0.0}, palette::grid_line, 1.0f);
  c.circle({0, 0}, 0.06 * w, palette::goal.with_alpha(0.4f), palette::goal);  // the target
  c.text({0, -0.12 * w}, "0", palette::text);
  const double r = 0.04 * w;
  c.circle({pos_, 0}, r, palette::agent, palette::body_outline);
  if (std::abs(vel_) > 1e-9)  // the velocity, one time step ahead
    c.arrow({pos_, 0.1 * w}, {pos_ + vel_ * cfg_.dt, 0.1 * w}, palette::plan, 2.0f);
}

std::unique_ptr<Env> make_point_mass(ConfigNode& node) {
  PointMassConfig cfg;
  cfg.visit(node);
  return std::make_unique<PointMass>(cfg);
}

}  // namespace dynalab
