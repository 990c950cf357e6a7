#include "envs/point_obstacles.h"

#include <box2d/box2d.h>

#include <cmath>
#include <limits>

#include "core/rng.h"

namespace dynalab {

const std::array<PointObstacles::Obstacle, 5>& PointObstacles::obstacles() {
  // Laid across the diagonal from start to goal, so the straight line is blocked.
  static const std::array<Obstacle, 5> obs{{{{3.0, 3.0}, {0.6, 1.5}},
                                            {{5.5, 5.5}, {1.5, 0.5}},
                                            {{7.5, 3.0}, {0.5, 1.5}},
                                            {{2.5, 7.5}, {1.2, 0.5}},
                                            {{7.0, 8.0}, {0.5, 1.0}}}};
  return obs;
}

PointObstacles::PointObstacles(PointObstaclesConfig cfg)
    : Box2DEnv(cfg.physics, {0, 0}, true), cfg_(cfg) {
  rebuild();
  reset(0);
}

void PointObstacles::build(b2World& world) {
  b2BodyDef gd;
  b2Body* ground = world.CreateBody(&gd);
  const float S = float(kSize);
  // Clockwise: Box2D chains are solid to the right of their direction, here the inside.
  const b2Vec2 corners[4] = {{0, 0}, {0, S}, {S, S}, {S, 0}};
  b2ChainShape walls;
  walls.CreateLoop(corners, 4);
  ground->CreateFixture(&walls, 0);
  for (const Obstacle& o : obstacles()) {
    b2PolygonShape box;
    box.SetAsBox(float(o.half.x), float(o.half.y), b2Vec2(float(o.centre.x), float(o.centre.y)), 0);
    ground->CreateFixture(&box, 0);
  }
  b2BodyDef def;
  def.type = b2_dynamicBody;
  def.linearDamping = float(cfg_.damping);
  def.fixedRotation = true;  // a puck sliding on the floor; rotation plays no part
  b2Body* disc = world.CreateBody(&def);
  b2CircleShape c;
  c.m_radius = float(kRadius);
  b2FixtureDef fd;
  fd.shape = &c;
  fd.density = 1;
  fd.friction = 0;
  fd.restitution = 0;
  disc->CreateFixture(&fd);
  add_body(disc, 1.0, 0.5 * kRadius * kRadius);
}

void PointObstacles::place_disc(Vec2 p, Vec2 v) { start_episode({{p.x, p.y, 0, v.x, v.y, 0}}); }

Vec PointObstacles::reset(uint64_t seed) {
  Rng rng(seed);
  place_disc({kStart.x + rng.uniform(-0.1, 0.1), kStart.y + rng.uniform(-0.1, 0.1)}, {0, 0});
  return observe();
}

Vec PointObstacles::observe() const {
  const BodyState b = body_state(0);
  Vec o(4);
  o << b.x, b.y, b.vx, b.vy;
  return o;
}

Space PointObstacles::observation_space() const {
  const double inf = std::numeric_limits<double>::infinity();
  Vec lo(4), hi(4);
  lo << 0, 0, -inf, -inf;
  hi << kSize, kSize, inf, inf;
  return Space::box(lo, hi);
}

void PointObstacles::apply_action(const Vec& a) {
  body(0)->ApplyForceToCenter(b2Vec2(float(a[0] * cfg_.max_force), float(a[1] * cfg_.max_force)),
                              true);
}

bool PointObstacles::touches_obstacle(double x, double y) {
  for (const Obstacle& o : obstacles()) {
    const double dx = std::max(std::abs(x - o.centre.x) - o.half.x, 0.0);
    const double dy = std::max(std::abs(y - o.centre.y) - o.half.y, 0.0);
    if (dx * dx + dy * dy <= (kRadius + 0.01) * (kRadius + 0.01)) return true;
  }
  return false;
}

bool PointObstacles::is_terminal(const Vec& o) const {
  return std::hypot(o[0] - kGoal.x, o[1] - kGoal.y) < cfg_.goal_radius;
}

std::optional<double> PointObstacles::reward(const Vec&, const Vec&, const Vec& s) const {
  return -std::hypot(s[0] - kGoal.x, s[1] - kGoal.y) -
         (touches_obstacle(s[0], s[1]) ? cfg_.contact_penalty : 0.0);
}

void PointObstacles::draw_background(Canvas& canvas) const {
  canvas.rect({0, 0}, {kSize, kSize}, palette::floor, palette::none);
  for (int i = 1; i < int(kSize); ++i) {  // a 1 m grid, for judging distances
    canvas.segment({double(i), 0}, {double(i), kSize}, palette::grid_line, 1.0f);
    canvas.segment({0, double(i)}, {kSize, double(i)}, palette::grid_line, 1.0f);
  }
  canvas.circle(kGoal, cfg_.goal_radius, palette::goal.with_alpha(0.45f), palette::goal);
  canvas.text(kGoal, "G", palette::text, 1.2f);
  canvas.circle(kStart, 0.15, palette::start.with_alpha(0.5f), palette::none);
}

void PointObstacles::draw_foreground(Canvas& canvas) const {
  // The applied force, from the disc's centre (1 m at full force).
  if (last_action_.size() != 2 || last_action_.norm() < 1e-6) return;
  const BodyState b = body_state(0);
  canvas.arrow({b.x, b.y}, {b.x + last_action_[0], b.y + last_action_[1]}, palette::plan, 3.0f);
}

std::unique_ptr<Env> make_point_obstacles(ConfigNode& node) {
  PointObstaclesConfig cfg;
  cfg.visit(node);
  return std::make_unique<PointObstacles>(cfg);
}

}  // namespace dynalab
