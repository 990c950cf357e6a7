#include "envs/box2d_env.h"

#include <box2d/box2d.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "envs/state_check.h"

namespace dynalab {

namespace {
constexpr int kBodyValues = 6;  // x, y, angle, vx, vy, w

Vec2 to_vec2(const b2Vec2& v) { return {v.x, v.y}; }
}  // namespace

double wrap_angle(double a) {
  const double two_pi = 2 * std::numbers::pi;
  a = std::fmod(a + std::numbers::pi, two_pi);
  if (a < 0) a += two_pi;
  return a - std::numbers::pi;
}

void draw_ground_fill(Canvas& canvas, std::span<const Vec2> profile, double bottom) {
  const Color fill = palette::ground.with_alpha(0.35f);
  for (size_t i = 0; i + 1 < profile.size(); ++i) {
    const Vec2 a = profile[i], b = profile[i + 1];
    if (a.x == b.x) continue;  // vertical walls have no area
    const Vec2 quad[4] = {{a.x, bottom}, {b.x, bottom}, b, a};
    canvas.polygon(quad, fill, palette::none);
  }
}

Box2DEnv::Box2DEnv(PhysicsSettings physics, Vec2 gravity, bool rebuild_each_step)
    : physics_(physics), gravity_(gravity), rebuild_each_step_(rebuild_each_step) {}

Box2DEnv::~Box2DEnv() = default;

std::unique_ptr<Env> Box2DEnv::clone_into(std::unique_ptr<Box2DEnv> fresh) const {
  fresh->set_state(get_state());
  fresh->last_action_ = last_action_;
  fresh->grab_body_ = grab_body_;
  fresh->grab_local_ = grab_local_;
  fresh->grab_target_ = grab_target_;
  return fresh;
}

void Box2DEnv::rebuild() {
  world_ = std::make_unique<b2World>(b2Vec2(float(gravity_.x), float(gravity_.y)));
  // No caches that outlive a sub-step, so the saved state is the whole state (see header).
  world_->SetWarmStarting(false);
  world_->SetContinuousPhysics(false);
  world_->SetSubStepping(false);
  world_->SetAllowSleeping(false);
  world_->SetAutoClearForces(true);
  bodies_.clear();
  build(*world_);
}

b2Body* Box2DEnv::add_body(b2Body* body, double mass, double inertia) {
  b2MassData md;
  md.mass = float(mass);
  md.center.SetZero();
  md.I = float(inertia);
  body->SetMassData(&md);
  body->SetSleepingAllowed(false);
  body->GetUserData().pointer = bodies_.size() + 1;  // 1-based index, 0 = not a state body
  bodies_.push_back(body);
  return body;
}

BodyState Box2DEnv::body_state(int i) const {
  const b2Body* b = bodies_.at(i);
  const b2Vec2 p = b->GetPosition(), v = b->GetLinearVelocity();
  return {p.x, p.y, b->GetAngle(), v.x, v.y, b->GetAngularVelocity()};
}

void Box2DEnv::restore_bodies(const std::vector<BodyState>& states) {
  if (rebuild_each_step_) {
    restoring_ = &states;
    rebuild();
    restoring_ = nullptr;
  }
  if (states.size() != bodies_.size())
    throw std::invalid_argument("Box2DEnv: wrong number of body states");
  for (size_t i = 0; i < states.size(); ++i) {
    const BodyState& s = states[i];
    b2Body* b = bodies_[i];
    // Values came from floats (get_state), so the casts are exact.
    b->SetTransform(b2Vec2(float(s.x), float(s.y)), float(s.angle));
    b->SetLinearVelocity(b2Vec2(float(s.vx), float(s.vy)));
    b->SetAngularVelocity(float(s.w));
  }
}

void Box2DEnv::start_episode(const std::vector<BodyState>& states) {
  // Round to float first so the state is exactly what get_state() will report.
  std::vector<BodyState> f = states;
  for (auto& s : f)
    s = {double(float(s.x)),  double(float(s.y)),  double(float(s.angle)),
         double(float(s.vx)), double(float(s.vy)), double(float(s.w))};
  if (!rebuild_each_step_) rebuild();  // a fresh world per episode; contact envs rebuild anyway
  restore_bodies(f);
  step_ = 0;
  last_action_ = Vec::Zero(action_space().dim());
}

StepResult Box2DEnv::step(const Vec& action) {
  const Vec a = action_space().clip(action);
  const Vec s = observe();
  if (rebuild_each_step_) {
    // Canonical world at every control period: contacts and tree depend on the state only.
    std::vector<BodyState> states(bodies_.size());
    for (size_t i = 0; i < bodies_.size(); ++i) states[i] = body_state(int(i));
    restore_bodies(states);
  }
  const float dt = float(physics_.control_dt / physics_.substeps);
  for (int k = 0; k < physics_.substeps; ++k) {
    apply_action(a);
    apply_perturbation();
    world_->Step(dt, physics_.velocity_iterations, physics_.position_iterations);
  }
  after_physics();
  ++step_;
  last_action_ = a;
  StepResult r;
  r.obs = observe();
  r.reward = *reward(s, a, r.obs);
  r.terminated = is_terminal(r.obs);
  r.truncated = !r.terminated && step_ >= physics_.max_episode_steps;
  return r;
}

std::vector<double> Box2DEnv::get_state() const {
  std::vector<double> out;
  out.reserve(1 + kBodyValues * bodies_.size() + extra_state_size());
  out.push_back(step_);
  for (int i = 0; i < body_count(); ++i) {
    const BodyState s = body_state(i);
    out.insert(out.end(), {s.x, s.y, s.angle, s.vx, s.vy, s.w});
  }
  const auto extra = extra_state();
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

void Box2DEnv::set_state(const std::vector<double>& state) {
  const size_t n = bodies_.size();
  if (state.size() != 1 + kBodyValues * n + extra_state_size())
    throw std::invalid_argument(name() + ": set_state: expected " +
                                std::to_string(1 + kBodyValues * n + extra_state_size()) +
                                " values");
  // Every value is checked before any is applied (envs/state_check.h): an edited session's
  // counter of 1e15 or pose of 1e308 is an error here, not a run that never ends or NaN physics.
  const std::string env = name();
  const int step = int(state_integer(state, 0, env, "step counter", 0, physics_.max_episode_steps));
  static constexpr const char* kNames[kBodyValues] = {"body x, m",   "body y, m",    "body angle, rad",
                                                      "body vx, m/s", "body vy, m/s", "body w, rad/s"};
  std::vector<BodyState> states(n);
  for (size_t i = 0; i < n; ++i) {
    double v[kBodyValues];
    for (int k = 0; k < kBodyValues; ++k) v[k] = state_number(state, 1 + kBodyValues * i + size_t(k), env, kNames[k]);
    states[i] = {v[0], v[1], v[2], v[3], v[4], v[5]};
  }
  for (size_t at = 1 + kBodyValues * n; at < state.size(); ++at) state_number(state, at, env, "extra state");
  step_ = step;
  // Extra state first: it may change what build() creates (e.g. a target marker).
  set_extra_state(std::span<const double>(state).subspan(1 + kBodyValues * n));
  restore_bodies(states);
}

bool Box2DEnv::perturb(Vec2 at, Vec2 target) {
  grab_target_ = target;
  if (grab_body_ >= 0) return true;
  const b2Vec2 p(float(at.x), float(at.y));
  for (int i = 0; i < body_count(); ++i)
    for (const b2Fixture* f = bodies_[i]->GetFixtureList(); f; f = f->GetNext())
      if (f->TestPoint(p)) {
        grab_body_ = i;
        grab_local_ = to_vec2(bodies_[i]->GetLocalPoint(p));
        return true;
      }
  return false;
}

std::optional<Vec2> Box2DEnv::perturbation_anchor() const {
  if (grab_body_ < 0 || grab_body_ >= body_count()) return std::nullopt;
  return to_vec2(
      bodies_[grab_body_]->GetWorldPoint(b2Vec2(float(grab_local_.x), float(grab_local_.y))));
}

void Box2DEnv::apply_perturbation() {
  if (grab_body_ < 0 || grab_body_ >= body_count()) return;
  // Spring-damper toward the target, 2 Hz with damping ratio 0.7 (the testbed uses 5 Hz with a
  // solver joint; an explicit force needs a softer spring to stay stable at 4 sub-steps).
  constexpr double kOmega = 2 * std::numbers::pi * 2.0, kZeta = 0.7;
  b2Body* b = bodies_[grab_body_];
  const b2Vec2 anchor = b->GetWorldPoint(b2Vec2(float(grab_local_.x), float(grab_local_.y)));
  const b2Vec2 v = b->GetLinearVelocityFromWorldPoint(anchor);
  const double m = b->GetMass();
  double fx = m * (kOmega * kOmega * (grab_target_.x - anchor.x) - 2 * kZeta * kOmega * v.x);
  double fy = m * (kOmega * kOmega * (grab_target_.y - anchor.y) - 2 * kZeta * kOmega * v.y);
  // Bounded like the testbed's maxForce (1000 m), so a far drag cannot explode the solver.
  const double limit = 1000 * m, norm = std::hypot(fx, fy);
  if (norm > limit) fx *= limit / norm, fy *= limit / norm;
  b->ApplyForce(b2Vec2(float(fx), float(fy)), anchor, true);
}

Color Box2DEnv::body_color(int) const { return palette::body; }

void Box2DEnv::draw(Canvas& canvas) const {
  draw_background(canvas);
  // Static bodies first (terrain, walls), then dynamic bodies in creation order, then joints.
  auto draw_body = [&](const b2Body* b, Color fill) {
    const b2Transform& xf = b->GetTransform();
    for (const b2Fixture* f = b->GetFixtureList(); f; f = f->GetNext()) {
      const b2Shape* shape = f->GetShape();
      switch (shape->GetType()) {
        case b2Shape::e_polygon: {
          const auto* poly = static_cast<const b2PolygonShape*>(shape);
          Vec2 pts[b2_maxPolygonVertices];
          for (int i = 0; i < poly->m_count; ++i) pts[i] = to_vec2(b2Mul(xf, poly->m_vertices[i]));
          canvas.polygon(std::span<const Vec2>(pts, poly->m_count), fill, palette::body_outline);
          break;
        }
        case b2Shape::e_circle: {
          const auto* c = static_cast<const b2CircleShape*>(shape);
          const b2Vec2 centre = b2Mul(xf, c->m_p);
          canvas.circle(to_vec2(centre), c->m_radius, fill, palette::body_outline);
          // A spoke, so rotation is visible.
          const b2Vec2 rim = centre + c->m_radius * b2Mul(xf.q, b2Vec2(1, 0));
          canvas.segment(to_vec2(centre), to_vec2(rim), palette::body_outline, 2.0f);
          break;
        }
        case b2Shape::e_edge: {
          const auto* e = static_cast<const b2EdgeShape*>(shape);
          canvas.segment(to_vec2(b2Mul(xf, e->m_vertex1)), to_vec2(b2Mul(xf, e->m_vertex2)),
                         palette::ground, 4.0f);
          break;
        }
        case b2Shape::e_chain: {
          const auto* ch = static_cast<const b2ChainShape*>(shape);
          std::vector<Vec2> pts(ch->m_count);
          for (int i = 0; i < ch->m_count; ++i) pts[i] = to_vec2(b2Mul(xf, ch->m_vertices[i]));
          canvas.polyline(pts, palette::ground, 4.0f);
          break;
        }
        default:
          break;
      }
    }
  };
  for (const b2Body* b = world_->GetBodyList(); b; b = b->GetNext())
    if (b->GetType() == b2_staticBody) draw_body(b, palette::ground);
  for (int i = 0; i < body_count(); ++i) draw_body(bodies_[i], body_color(i));
  for (b2Joint* j = world_->GetJointList(); j; j = j->GetNext()) {
    const Vec2 a = to_vec2(j->GetAnchorA());
    if (j->GetType() == b2JointType::e_prismaticJoint) {
      auto* pj = static_cast<b2PrismaticJoint*>(j);
      const b2Vec2 axis = pj->GetBodyA()->GetWorldVector(pj->GetLocalAxisA());
      const float lo = pj->IsLimitEnabled() ? pj->GetLowerLimit() : -1.0f;
      const float hi = pj->IsLimitEnabled() ? pj->GetUpperLimit() : 1.0f;
      const b2Vec2 origin = pj->GetBodyA()->GetWorldPoint(pj->GetLocalAnchorA());
      const Vec2 p0 = to_vec2(origin + lo * axis), p1 = to_vec2(origin + hi * axis);
      canvas.segment(p0, p1, palette::joint.with_alpha(0.6f), 2.0f);
      // End stops of the track.
      const b2Vec2 n(-axis.y, axis.x);
      for (const b2Vec2& e : {origin + lo * axis, origin + hi * axis})
        canvas.segment(to_vec2(e - 0.08f * n), to_vec2(e + 0.08f * n), palette::joint, 3.0f);
    } else {
      canvas.circle(a, 0.045, palette::joint, palette::body_outline);
    }
  }
  draw_foreground(canvas);
}

void draw_flag(Canvas& canvas, Vec2 base, double h) {
  const Vec2 top{base.x, base.y + h};
  canvas.segment(base, top, palette::text, 2.5f);
  const Vec2 flag[3] = {top, {base.x + 0.55 * h, base.y + 0.84 * h}, {base.x, base.y + 0.69 * h}};
  canvas.polygon(flag, palette::goal, palette::body_outline);
}

}  // namespace dynalab
