#include "envs/cartpole.h"

#include <box2d/box2d.h>

#include <cmath>

namespace dynalab {

namespace {
constexpr float kCartHalfWidth = 0.25f, kCartHalfHeight = 0.12f;
}

CartPoleEnv::CartPoleEnv(PhysicsSettings physics, CartPoleBodies bodies)
    : Box2DEnv(physics, {0, -bodies.gravity}, false), bodies_(bodies) {}

void CartPoleEnv::build(b2World& world) {
  b2BodyDef ground_def;
  b2Body* ground = world.CreateBody(&ground_def);

  b2BodyDef def;
  def.type = b2_dynamicBody;
  b2Body* cart = world.CreateBody(&def);
  b2PolygonShape box;
  box.SetAsBox(kCartHalfWidth, kCartHalfHeight);
  b2FixtureDef fd;
  fd.shape = &box;
  fd.density = 1;
  fd.filter.maskBits = 0;  // the track is a joint, not a contact
  cart->CreateFixture(&fd);
  const double wc = 2 * kCartHalfWidth, hc = 2 * kCartHalfHeight;
  add_body(cart, bodies_.cart_mass, bodies_.cart_mass * (wc * wc + hc * hc) / 12);

  const float half = float(bodies_.pole_length / 2);
  def.position.Set(0, half);
  b2Body* pole = world.CreateBody(&def);
  b2PolygonShape rod;
  rod.SetAsBox(0.03f, half);
  fd.shape = &rod;
  pole->CreateFixture(&fd);
  // A thin uniform rod (Gymnasium's 4/3 factor): I = m l^2 / 12 about the centre.
  add_body(pole, bodies_.pole_mass,
           bodies_.pole_mass * bodies_.pole_length * bodies_.pole_length / 12);

  b2PrismaticJointDef pj;
  pj.Initialize(ground, cart, b2Vec2(0, 0), b2Vec2(1, 0));
  pj.enableLimit = true;
  pj.lowerTranslation = float(-bodies_.track_limit);
  pj.upperTranslation = float(bodies_.track_limit);
  world.CreateJoint(&pj);

  b2RevoluteJointDef rj;
  rj.bodyA = cart;
  rj.bodyB = pole;
  rj.localAnchorA.Set(0, 0);
  rj.localAnchorB.Set(0, -half);
  world.CreateJoint(&rj);
}

CartPoleEnv::Pose CartPoleEnv::pose() const {
  const BodyState c = body_state(0), p = body_state(1);
  return {c.x, c.vx, p.angle, p.w};
}

void CartPoleEnv::set_pose(const Pose& q) {
  const double h = bodies_.pole_length / 2, s = std::sin(q.phi), c = std::cos(q.phi);
  // Pole centre = pivot + R(phi) (0, h); its velocity = cart velocity + phi_dot x r.
  start_episode(
      {{q.x, 0, 0, q.x_dot, 0, 0},
       {q.x - h * s, h * c, q.phi, q.x_dot - q.phi_dot * h * c, -q.phi_dot * h * s, q.phi_dot}});
}

void CartPoleEnv::apply_action(const Vec& action) {
  body(0)->ApplyForceToCenter(b2Vec2(float(force(action)), 0), true);
}

Bounds CartPoleEnv::world_bounds() const {
  const double w = bodies_.track_limit + 0.5, L = bodies_.pole_length;
  return {{-w, -L - 0.4}, {w, L + 0.4}};
}

void CartPoleEnv::draw_background(Canvas& canvas) const {
  const double w = bodies_.track_limit + kCartHalfWidth;
  // The rail the cart runs on, and wheels under the cart.
  canvas.rect({-w, -kCartHalfHeight - 0.1}, {w, -kCartHalfHeight - 0.06}, palette::ground,
              palette::none);
  const double x = body_state(0).x;
  for (double dx : {-0.15, 0.15})
    canvas.circle({x + dx, -kCartHalfHeight - 0.02}, 0.05, palette::wall, palette::none);
}

void CartPoleEnv::draw_foreground(Canvas& canvas) const {
  if (last_action_.size() == 0) return;
  const double f = force(last_action_);
  if (std::abs(f) < 1e-9) return;
  const double x = body_state(0).x, dir = f > 0 ? 1 : -1;
  // The push, from the side of the cart.
  const Vec2 from{x - dir * (kCartHalfWidth + 0.45), 0}, to{x - dir * (kCartHalfWidth + 0.05), 0};
  canvas.arrow(from, to, palette::plan, 3.0f);
}

}  // namespace dynalab
