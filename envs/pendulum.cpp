#include "envs/pendulum.h"

#include <box2d/box2d.h>

#include <cstdio>
#include <cmath>
#include <numbers>

#include "core/rng.h"

namespace dynalab {

Pendulum::Pendulum(PendulumConfig cfg)
    : Box2DEnv(cfg.physics, {0, -cfg.gravity}, false), cfg_(cfg) {
  rebuild();
  reset(0);
}

void Pendulum::build(b2World& world) {
  b2BodyDef ground_def;
  b2Body* ground = world.CreateBody(&ground_def);
  b2BodyDef def;
  def.type = b2_dynamicBody;
  def.position.Set(0, float(cfg_.length / 2));
  b2Body* pole = world.CreateBody(&def);
  b2PolygonShape box;
  box.SetAsBox(0.05f, float(cfg_.length / 2));
  b2FixtureDef fd;
  fd.shape = &box;
  fd.density = 1;
  fd.filter.maskBits = 0;  // collides with nothing
  pole->CreateFixture(&fd);
  // A thin uniform rod, as in Gymnasium's equations: I = m l^2 / 12 about the centre.
  add_body(pole, cfg_.mass, cfg_.mass * cfg_.length * cfg_.length / 12);
  b2RevoluteJointDef jd;
  jd.bodyA = ground;
  jd.bodyB = pole;
  jd.localAnchorA.Set(0, 0);
  jd.localAnchorB.Set(0, float(-cfg_.length / 2));
  jd.collideConnected = false;
  world.CreateJoint(&jd);
}

void Pendulum::set_pole(double theta, double omega) {
  const double h = cfg_.length / 2;
  // Centre at pivot + R(theta) (0, h); its velocity is omega x r.
  const double s = std::sin(theta), c = std::cos(theta);
  start_episode({{-h * s, h * c, theta, -omega * h * c, -omega * h * s, omega}});
}

Vec Pendulum::reset(uint64_t seed) {
  Rng rng(seed);
  const double theta = cfg_.start_center + rng.uniform(-cfg_.start_angle, cfg_.start_angle);
  const double omega = rng.uniform(-cfg_.start_speed, cfg_.start_speed);
  set_pole(theta, omega);
  return observe();
}

std::optional<UnstableEquilibrium> Pendulum::unstable_equilibrium() const {
  UnstableEquilibrium e;
  e.obs = Vec(3);
  e.obs << 1, 0, 0;
  e.rate = std::sqrt(1.5 * cfg_.gravity / cfg_.length);
  e.control_dt = cfg_.physics.control_dt;
  char text[96];
  std::snprintf(text, sizeof text, "sqrt(3 g / (2 l)) = %.3g / s (%.3g per step)", e.rate,
                e.rate * e.control_dt);
  e.formula = text;
  return e;
}

bool Pendulum::set_observation(const Vec& obs) {
  if (obs.size() != 3) return false;
  set_pole(std::atan2(obs[1], obs[0]), obs[2]);
  return true;
}

Vec Pendulum::observe() const {
  const BodyState b = body_state(0);
  Vec o(3);
  o << std::cos(b.angle), std::sin(b.angle), b.w;
  return o;
}

Space Pendulum::observation_space() const {
  Vec hi(3);
  hi << 1, 1, cfg_.max_speed;
  return Space::box(-hi, hi);
}

void Pendulum::apply_action(const Vec& a) { body(0)->ApplyTorque(float(a[0]), true); }

void Pendulum::after_physics() {
  // Gymnasium clips the angular speed; scaling both velocities keeps the pole on its pivot.
  b2Body* pole = body(0);
  const float w = pole->GetAngularVelocity();
  if (std::abs(w) > cfg_.max_speed) {
    const float k = float(cfg_.max_speed) / std::abs(w);
    pole->SetAngularVelocity(w * k);
    pole->SetLinearVelocity(k * pole->GetLinearVelocity());
  }
}

std::optional<double> Pendulum::reward(const Vec& s, const Vec& a, const Vec&) const {
  const double theta = std::atan2(s[1], s[0]);  // already in [-pi, pi]
  const double u = std::clamp(a[0], -cfg_.max_torque, cfg_.max_torque);
  return -(theta * theta + 0.1 * s[2] * s[2] + 0.001 * u * u);
}

std::optional<Vec2> Pendulum::obs_position(const Vec& obs) const {
  // The tip of the pole.
  return Vec2{-cfg_.length * obs[1], cfg_.length * obs[0]};
}

std::optional<StatePlane> Pendulum::state_plane() const {
  StatePlane p;
  p.x_label = "angle (rad, 0 up)";
  p.y_label = "omega (rad/s)";
  p.x_lo = -std::numbers::pi, p.x_hi = std::numbers::pi;
  p.y_lo = -cfg_.max_speed, p.y_hi = cfg_.max_speed;
  p.obs = [](double theta, double omega) {
    Vec o(3);
    o << std::cos(theta), std::sin(theta), omega;
    return o;
  };
  p.coords = [](const Vec& o) { return Vec2{std::atan2(o[1], o[0]), o[2]}; };
  return p;
}

Bounds Pendulum::world_bounds() const {
  const double r = cfg_.length * 1.3;
  return {{-r, -r}, {r, r}};
}

void Pendulum::draw_foreground(Canvas& canvas) const {
  // The applied torque as an arc around the pivot, its sweep proportional to the torque.
  const double u = last_action_.size() ? last_action_[0] / cfg_.max_torque : 0.0;
  if (std::abs(u) < 1e-3) return;
  const double r = 0.22 * cfg_.length, start = std::numbers::pi / 2,
               sweep = u * 0.8 * std::numbers::pi;
  std::vector<Vec2> arc;
  for (int i = 0; i <= 16; ++i) {
    const double t = start + sweep * i / 16.0;
    arc.push_back({r * std::cos(t), r * std::sin(t)});
  }
  canvas.polyline(arc, palette::agent, 3.0f);
  canvas.arrow(arc[14], arc[16], palette::agent, 3.0f);
}

std::unique_ptr<Env> make_pendulum(ConfigNode& node) {
  PendulumConfig cfg;
  cfg.visit(node);
  return std::make_unique<Pendulum>(cfg);
}

}  // namespace dynalab
