#include "envs/reacher.h"

#include <box2d/box2d.h>

#include <cmath>
#include <limits>

#include "core/rng.h"

namespace dynalab {

Reacher::Reacher(ReacherConfig cfg) : Box2DEnv(cfg.physics, {0, 0}, false), cfg_(cfg) {
  rebuild();
  reset(0);
}

void Reacher::build(b2World& world) {
  b2BodyDef gd;
  b2Body* base = world.CreateBody(&gd);
  const float half = float(cfg_.link_length / 2);
  const double I = cfg_.link_mass * cfg_.link_length * cfg_.link_length / 12;
  b2BodyDef def;
  def.type = b2_dynamicBody;
  b2PolygonShape box;
  box.SetAsBox(half, 0.06f);
  b2FixtureDef fd;
  fd.shape = &box;
  fd.density = 1;
  fd.filter.maskBits = 0;  // seen from above: the links pass over each other
  b2Body* prev = base;
  for (int i = 0; i < 2; ++i) {
    def.position.Set((2 * i + 1) * half, 0);
    b2Body* link = world.CreateBody(&def);
    link->CreateFixture(&fd);
    add_body(link, cfg_.link_mass, I);
    b2RevoluteJointDef jd;
    jd.bodyA = prev;
    jd.bodyB = link;
    jd.localAnchorA.Set(i == 0 ? 0 : half, 0);
    jd.localAnchorB.Set(-half, 0);
    world.CreateJoint(&jd);
    prev = link;
  }
}

void Reacher::set_arm(double q1, double q2, double w1, double w2, Vec2 target) {
  target_ = {double(float(target.x)), double(float(target.y))};  // as get_state() will report it
  const double h = cfg_.link_length / 2, a2 = q1 + q2, w12 = w1 + w2;
  const double c1 = std::cos(q1), s1 = std::sin(q1), c2 = std::cos(a2), s2 = std::sin(a2);
  // Link centres and their velocities (omega x r, chained through the elbow).
  const double ex = 2 * h * c1, ey = 2 * h * s1, evx = -w1 * 2 * h * s1, evy = w1 * 2 * h * c1;
  start_episode({{h * c1, h * s1, q1, -w1 * h * s1, w1 * h * c1, w1},
                 {ex + h * c2, ey + h * s2, a2, evx - w12 * h * s2, evy + w12 * h * c2, w12}});
}

bool Reacher::set_observation(const Vec& o) {
  if (o.size() != 10) return false;
  set_arm(std::atan2(o[2], o[0]), std::atan2(o[3], o[1]), o[6], o[7], {o[4], o[5]});
  return true;
}

Vec Reacher::reset(uint64_t seed) {
  Rng rng(seed);
  const double q1 = rng.uniform(-0.1, 0.1), q2 = rng.uniform(-0.1, 0.1);
  const double w1 = rng.uniform(-0.005, 0.005), w2 = rng.uniform(-0.005, 0.005);
  // Gymnasium: a target uniform in a square, kept if within reach (scaled to our links).
  const double reach = 2 * cfg_.link_length * 0.95;
  Vec2 t;
  do {
    t = {rng.uniform(-reach, reach), rng.uniform(-reach, reach)};
  } while (t.x * t.x + t.y * t.y > reach * reach);
  set_arm(q1, q2, w1, w2, t);
  return observe();
}

Vec2 Reacher::tip() const {
  const BodyState b = body_state(1);
  const double h = cfg_.link_length / 2;
  return {b.x + h * std::cos(b.angle), b.y + h * std::sin(b.angle)};
}

Vec Reacher::observe() const {
  const BodyState l1 = body_state(0), l2 = body_state(1);
  const double q1 = l1.angle, q2 = l2.angle - l1.angle;
  const Vec2 p = tip();
  Vec o(10);
  o << std::cos(q1), std::cos(q2), std::sin(q1), std::sin(q2), target_.x, target_.y, l1.w,
      l2.w - l1.w, p.x - target_.x, p.y - target_.y;
  return o;
}

std::vector<std::string> Reacher::observation_names() const {
  return {"cos_q1",   "cos_q2", "sin_q1", "sin_q2", "target_x",
          "target_y", "q1_dot", "q2_dot", "dx",     "dy"};
}

Space Reacher::observation_space() const {
  const double inf = std::numeric_limits<double>::infinity(), r = 2 * cfg_.link_length,
               d = 2 * r + 0.1;
  Vec hi(10);
  hi << 1, 1, 1, 1, r, r, inf, inf, d, d;
  return Space::box(-hi, hi);
}

void Reacher::apply_action(const Vec& a) {
  b2Body* l1 = body(0);
  b2Body* l2 = body(1);
  const double w1 = l1->GetAngularVelocity(), w2 = l2->GetAngularVelocity() - w1;
  const double t1 = a[0] * cfg_.max_torque - cfg_.joint_damping * w1;
  const double t2 = a[1] * cfg_.max_torque - cfg_.joint_damping * w2;
  // Joint 1 acts between base and link 1; joint 2 between the links (equal and opposite).
  l1->ApplyTorque(float(t1 - t2), true);
  l2->ApplyTorque(float(t2), true);
}

std::optional<double> Reacher::reward(const Vec&, const Vec& a, const Vec& s) const {
  const double ax = std::clamp(a[0], -1.0, 1.0), ay = std::clamp(a[1], -1.0, 1.0);
  return -std::hypot(s[8], s[9]) - 0.1 * (ax * ax + ay * ay);
}

Bounds Reacher::world_bounds() const {
  const double r = 2 * cfg_.link_length + 0.3;
  return {{-r, -r}, {r, r}};
}

void Reacher::draw_background(Canvas& canvas) const {
  const double r = 2 * cfg_.link_length;
  canvas.circle({0, 0}, r, palette::floor, palette::grid_line);  // the reachable disc
  canvas.circle({target_.x, target_.y}, 0.12, palette::goal, palette::body_outline);
  canvas.segment({target_.x - 0.2, target_.y}, {target_.x + 0.2, target_.y}, palette::goal, 1.5f);
  canvas.segment({target_.x, target_.y - 0.2}, {target_.x, target_.y + 0.2}, palette::goal, 1.5f);
}

void Reacher::draw_foreground(Canvas& canvas) const {
  const Vec2 p = tip();  // the fingertip that should reach the target
  canvas.circle(p, 0.07, palette::text, palette::none);
}

std::unique_ptr<Env> make_reacher(ConfigNode& node) {
  ReacherConfig cfg;
  cfg.visit(node);
  return std::make_unique<Reacher>(cfg);
}

}  // namespace dynalab
