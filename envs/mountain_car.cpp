#include "envs/mountain_car.h"

#include <box2d/box2d.h>

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace dynalab {

namespace {
constexpr int kHillVertices = 73;     // 0.025 units apart: smooth for the round skids
constexpr double kWallHeight = 0.25;  // units, length of the end bumpers
constexpr double kWindow = 0.15;  // units of ground built either side of the car (>= 0.07 + radius)
}  // namespace

MountainCar::MountainCar(MountainCarConfig cfg)
    : Box2DEnv(cfg.physics, {0, -cfg.gravity}, true), cfg_(cfg) {
  rebuild();
  reset(0);
}

double MountainCar::height(double x) { return 0.45 * std::sin(3 * x) + 0.55; }

double MountainCar::slope(double x) {
  return 1.35 * std::cos(3 * std::clamp(x, kMinPosition, kMaxPosition));
}

void MountainCar::build(b2World& world) {
  const double S = cfg_.scale;
  // Bumpers at both ends stand perpendicular to the hill, so the car meets them squarely with
  // its end face (Gymnasium stops the car there) instead of being flipped by a vertical wall.
  auto bumper_top = [&](double x) {
    const double k = slope(x), n = std::sqrt(1 + k * k);
    return b2Vec2(float((x - kWallHeight * k / n) * S), float((height(x) + kWallHeight / n) * S));
  };
  std::vector<b2Vec2> all;
  all.push_back(bumper_top(kMinPosition));
  for (int i = 0; i < kHillVertices; ++i) {
    const double x = kMinPosition + (kMaxPosition - kMinPosition) * i / (kHillVertices - 1);
    all.emplace_back(float(x * S), float(height(x) * S));
  }
  all.push_back(bumper_top(kMaxPosition));
  // Only the ground within reach of the car in one control period (it moves at most 0.07
  // units per step), with the neighbours as ghost vertices, so collisions are those of the
  // whole hill; a small world keeps the per-period rebuild cheap.
  size_t lo = 0, hi = all.size() - 1;
  if (restoring()) {
    const double cx = (*restoring())[0].x, reach = kWindow * S;
    while (lo + 1 < all.size() && all[lo + 1].x < cx - reach) ++lo;
    while (hi > lo + 1 && all[hi - 1].x > cx + reach) --hi;
  }
  std::vector<b2Vec2> pts(all.begin() + lo, all.begin() + hi + 1);
  const b2Vec2 before = lo > 0 ? all[lo - 1] : all.front() + b2Vec2(0, 1);
  const b2Vec2 after = hi + 1 < all.size() ? all[hi + 1] : all.back() + b2Vec2(0, 1);
  b2BodyDef gd;
  b2Body* ground = world.CreateBody(&gd);
  // Box2D chains are one-sided, solid to the right of their direction: right to left keeps
  // the ground solid from above.
  std::reverse(pts.begin(), pts.end());
  b2ChainShape chain;
  chain.CreateChain(pts.data(), int(pts.size()), after, before);
  ground->CreateFixture(&chain, 0);
  b2Body* car = create_car(world, car_);
  add_body(car, car_mass_, 0.5 * car_mass_ * car_.radius * car_.radius);
}

void MountainCar::place_car(double x, double v) {
  const double S = cfg_.scale;
  start_episode(
      {car_on_ground(car_, x * S, height(x) * S, slope(x), v * S / cfg_.physics.control_dt)});
}

Vec MountainCar::reset(uint64_t seed) {
  Rng rng(seed);
  place_car(rng.uniform(-0.6, -0.4), 0);
  return observe();
}

Vec MountainCar::observe() const {
  const BodyState b = body_state(0);
  Vec o(2);
  o << b.x / cfg_.scale, b.vx * cfg_.physics.control_dt / cfg_.scale;
  return o;
}

Space MountainCar::observation_space() const {
  Vec lo(2), hi(2);
  lo << kMinPosition, -cfg_.max_speed;
  hi << kMaxPosition, cfg_.max_speed;
  return Space::box(lo, hi);
}

void MountainCar::apply_action(const Vec& a) {
  push_car(body(0), a[0] * cfg_.engine_accel * car_mass_, slope(body_state(0).x / cfg_.scale));
}

void MountainCar::draw_foreground(Canvas& canvas) const {
  const BodyState b = body_state(0);
  draw_car(canvas, car_, {b.x, b.y}, slope(b.x / cfg_.scale), palette::agent);
}

void MountainCar::after_physics() {
  // Gymnasium's speed limit, on the x component as there; the direction is kept.
  b2Body* car = body(0);
  const b2Vec2 v = car->GetLinearVelocity();
  const double limit = cfg_.max_speed * cfg_.scale / cfg_.physics.control_dt;
  if (std::abs(v.x) > limit) car->SetLinearVelocity(float(limit / std::abs(v.x)) * v);
}

bool MountainCar::is_terminal(const Vec& o) const {
  return o[0] >= cfg_.goal_position && o[1] >= 0;
}

std::optional<double> MountainCar::reward(const Vec&, const Vec& a, const Vec& s_next) const {
  const double u = std::clamp(a[0], -1.0, 1.0);
  return -0.1 * u * u + (is_terminal(s_next) ? 100.0 : 0.0);
}

std::optional<Vec2> MountainCar::obs_position(const Vec& o) const {
  const double x = std::clamp(o[0], kMinPosition, kMaxPosition);
  return Vec2{x * cfg_.scale, height(x) * cfg_.scale + car_.radius};
}

Bounds MountainCar::world_bounds() const {
  const double S = cfg_.scale;
  return {{kMinPosition * S - 1, -0.5}, {kMaxPosition * S + 1, 1.1 * S + 1.5}};
}

void MountainCar::draw_background(Canvas& canvas) const {
  const double S = cfg_.scale;
  std::vector<Vec2> profile;
  for (int i = 0; i < kHillVertices; ++i) {
    const double x = kMinPosition + (kMaxPosition - kMinPosition) * i / (kHillVertices - 1);
    profile.push_back({x * S, height(x) * S});
  }
  draw_ground_fill(canvas, profile, -0.5);
  canvas.polyline(profile, palette::ground, 4.0f);  // the world holds only the ground near the car
  // The flag.
  const double gx = cfg_.goal_position * S, gy = height(cfg_.goal_position) * S;
  draw_flag(canvas, {gx, gy}, 1.6);
}

std::unique_ptr<Env> make_mountain_car(ConfigNode& node) {
  MountainCarConfig cfg;
  cfg.visit(node);
  return std::make_unique<MountainCar>(cfg);
}

}  // namespace dynalab
