#include "envs/cliff_hill.h"

#include <box2d/box2d.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/rng.h"

namespace dynalab {

namespace {
constexpr int kSlopeVertices = 33;
// dh/dx of the hill: the half cosine of ground_height() on the slope, 0 on the flats.
double slope_at(const CliffHillConfig& c, double x) {
  if (x <= 0 || x >= c.slope_length) return 0;
  const double L = c.slope_length;
  return c.summit_height * 0.5 * std::numbers::pi / L * std::sin(std::numbers::pi * x / L);
}
}  // namespace

CliffHill::CliffHill(CliffHillConfig cfg) : Box2DEnv(cfg.physics, {0, -kGravity}, true), cfg_(cfg) {
  rebuild();
  reset(0);
}

double CliffHill::ground_height(double x) const {
  if (x <= 0) return 0;
  if (x <= cfg_.slope_length)
    return cfg_.summit_height * 0.5 * (1 - std::cos(std::numbers::pi * x / cfg_.slope_length));
  if (x <= cliff_x()) return cfg_.summit_height;
  return -cfg_.pit_depth;
}

std::vector<Vec2> CliffHill::profile() const {
  const double H = cfg_.summit_height, wall = H + 2;
  std::vector<Vec2> p{{kLeft, wall}, {kLeft, 0}, {0, 0}};
  for (int i = 1; i < kSlopeVertices; ++i) {
    const double x = cfg_.slope_length * i / (kSlopeVertices - 1);
    p.push_back({x, ground_height(x)});
  }
  const double c = cliff_x();
  p.push_back({c, H});
  p.push_back({c, -cfg_.pit_depth});
  p.push_back({c + kPitWidth, -cfg_.pit_depth});
  p.push_back({c + kPitWidth, wall});
  return p;
}

void CliffHill::build(b2World& world) {
  std::vector<b2Vec2> pts;
  for (const Vec2& v : profile()) pts.emplace_back(float(v.x), float(v.y));
  b2BodyDef gd;
  b2Body* ground = world.CreateBody(&gd);
  // Box2D chains are one-sided, solid to the right of their direction: right to left keeps
  // the ground solid from above.
  std::reverse(pts.begin(), pts.end());
  b2ChainShape chain;
  chain.CreateChain(pts.data(), int(pts.size()), pts.front() + b2Vec2(0, 1),
                    pts.back() + b2Vec2(0, 1));
  ground->CreateFixture(&chain, 0);
  b2Body* car = create_car(world, car_);
  add_body(car, car_mass_, 0.5 * car_mass_ * car_.radius * car_.radius);
}

void CliffHill::place_car(double x, double v) {
  start_episode({car_on_ground(car_, x, ground_height(x), ground_slope(x), v)});
}

Vec CliffHill::reset(uint64_t seed) {
  Rng rng(seed);
  // Starts stay left of the cliff edge whatever the config says.
  const double x = rng.uniform(cfg_.start_x - cfg_.start_spread, cfg_.start_x + cfg_.start_spread);
  place_car(std::min(x, cliff_x() - 0.5), 0);
  return observe();
}

Vec CliffHill::observe() const {
  const BodyState b = body_state(0);
  Vec o(2);
  o << b.x, b.vx;
  return o;
}

Space CliffHill::observation_space() const {
  const double inf = std::numeric_limits<double>::infinity();
  Vec lo(2), hi(2);
  lo << kLeft, -inf;
  hi << cliff_x() + kPitWidth, inf;
  return Space::box(lo, hi);
}

bool CliffHill::on_ground(const BodyState& b) const {
  // The disc's centre rides `radius` above the ground along the normal, so radius * sqrt(1 + s^2)
  // above the ground straight below it on a slope s (a steep hill of a student's config too).
  // Off the cliff edge, until it lands, the car is metres higher than that.
  const double s = ground_slope(b.x);
  return b.y - ground_height(b.x) < car_.radius * std::sqrt(1 + s * s) + 0.1;
}

void CliffHill::apply_action(const Vec& a) {
  // Engine and rolling resistance act through the wheels, so only on the ground: a car that
  // drives off the cliff falls freely (Box2D's linear damping would slow the fall as well).
  const BodyState b = body_state(0);
  if (!on_ground(b)) return;
  const double slope = ground_slope(b.x);
  const double speed = (b.vx + slope * b.vy) / std::sqrt(1 + slope * slope);  // along the ground
  push_car(body(0), (a[0] * cfg_.engine_accel - cfg_.damping * speed) * car_mass_, slope);
}

double CliffHill::ground_slope(double x) const { return slope_at(cfg_, x); }

std::optional<ParametricDynamics> CliffHill::parametric_dynamics() const {
  // Newton along the ground for the frictionless disc of car.h, written from apply_action():
  // on ground of slope s (n = sqrt(1 + s^2)) the engine pushes k u along the tangent, rolling
  // resistance c brakes the speed along it (v n for a horizontal velocity v), gravity pulls g s / n
  // down it; the horizontal part of the tangential acceleration is
  //     a_x = k u / n - c v - g s / n^2.
  // Box2D applies it at each of N sub-steps of h = dt / N (semi-implicit Euler), so over one
  // control step the velocity relaxes geometrically, rho = (1 - h c)^N:
  //     dv = (1 - rho) / (c dt) * dt (k u / n - c v - g s / n^2) = dt (t1 u / n - t2 v - t3 s / n^2),
  // linear in theta = beta (k, c, g), beta = (1 - rho) / (c dt) (1 when c = 0): least squares
  // finds theta, physical() maps it back. The position follows the sub-steps' velocities,
  //     dx = dt v + dt dv (N + 1) / (2 N),
  // exact without damping and within h c of it with (the velocity's decay inside the step).
  // The structure knows the map (the hill's shape and where the summit is flat) but not the
  // cliff: over the edge the car falls freely, which these equations do not describe.
  ParametricDynamics p;
  p.obs_dim = 2;
  p.action_dim = 1;
  p.coefficients = 3;
  p.names = {"engine_accel", "damping", "gravity"};
  p.units = {"m/s^2", "1/s", "m/s^2"};
  p.true_values = {cfg_.engine_accel, cfg_.damping, kGravity};
  p.equations = {"dv = dt (k u / n - c v - g s / n^2)   (s = slope at x, n = sqrt(1 + s^2))",
                 "dx = dt v + dt dv (N + 1) / (2 N)   (N Box2D sub-steps)"};
  const CliffHillConfig cfg = cfg_;
  const double dt = cfg_.physics.control_dt;
  const int N = cfg_.physics.substeps;
  const double lag = (N + 1.0) / (2.0 * N);
  p.regressors = [cfg, dt, lag](const double* s, const double* a, double* f0, double* F) {
    const double slope = slope_at(cfg, s[0]), n2 = 1 + slope * slope, n = std::sqrt(n2);
    const double u = std::clamp(a[0], -1.0, 1.0);  // the env clips the action
    const double fv[3] = {dt * u / n, -dt * s[1], -dt * slope / n2};
    f0[0] = dt * s[1];
    f0[1] = 0;
    for (int j = 0; j < 3; ++j) {
      F[j] = dt * lag * fv[j];  // row 0: dx
      F[3 + j] = fv[j];         // row 1: dv
    }
  };
  // Transitions against the left wall (a collision) or past the cliff edge (a fall) follow
  // other laws: the fit leaves them out.
  const double wall = kLeft + car_.radius + 0.05, edge = cliff_x();
  p.describes = [wall, edge](const double* s, const double*, const double* s2) {
    return std::min(s[0], s2[0]) > wall && std::max(s[0], s2[0]) < edge;
  };
  const double h = dt / N;
  // beta(c) = (1 - (1 - h c)^N) / (c dt): the sub-steps' share of one step's relaxation.
  auto beta = [h, dt, N](double c) {
    return std::abs(c) < 1e-9 ? 1.0 : (1 - std::pow(1 - h * c, N)) / (c * dt);
  };
  p.physical = [h, dt, N](const Eigen::VectorXd& t) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // t2 = beta c = (1 - rho) / dt  =>  rho = 1 - t2 dt, c = (1 - rho^(1/N)) / h.
    const double rho = 1 - t[1] * dt;
    if (!(rho > 0)) return std::vector<double>{nan, nan, nan};
    const double c = (1 - std::pow(rho, 1.0 / N)) / h;
    const double b = std::abs(t[1]) < 1e-12 ? 1.0 : t[1] / c;
    return std::vector<double>{t[0] / b, c, t[2] / b};
  };
  p.coefficients_of = [beta](const std::vector<double>& q) {
    const double b = beta(q[1]);
    Eigen::VectorXd t(3);
    t << b * q[0], b * q[1], b * q[2];
    return t;
  };
  return p;
}

void CliffHill::draw_foreground(Canvas& canvas) const {
  const BodyState b = body_state(0);
  draw_car(canvas, car_, {b.x, b.y}, ground_slope(b.x), palette::agent);
}

std::optional<double> CliffHill::reward(const Vec&, const Vec&, const Vec& s_next) const {
  return ground_height(s_next[0]);
}

std::optional<Vec2> CliffHill::obs_position(const Vec& o) const {
  const double x = std::clamp(o[0], kLeft, cliff_x() + kPitWidth);
  const double floor = ground_height(x) + car_.radius;
  if (x <= cliff_x() || o.size() < 2 || !(o[1] > 0)) return Vec2{x, floor};
  // Past the edge the car falls freely from the plateau with its horizontal speed unchanged
  // (no engine, no resistance off the ground): it is (x - edge) / v seconds into the fall, and
  // the drawn car, the executed path and the imagined paths all put it that far down, not on
  // the pit floor before it has landed.
  const double t = (x - cliff_x()) / o[1];
  const double top = cfg_.summit_height + car_.radius;
  return Vec2{x, std::max(floor, top - 0.5 * kGravity * t * t)};
}

std::optional<StatePlane> CliffHill::state_plane() const {
  StatePlane p;
  p.x_label = "x (m)";
  p.y_label = "velocity (m/s)";
  p.x_lo = kLeft, p.x_hi = cliff_x() + 1.0;
  const double v = std::clamp(cfg_.damping > 0 ? cfg_.engine_accel / cfg_.damping : 10.0, 1.0, 10.0);
  p.y_lo = -v, p.y_hi = v;
  p.obs = [](double x, double velocity) {
    Vec o(2);
    o << x, velocity;
    return o;
  };
  p.coords = [](const Vec& o) { return Vec2{o[0], o[1]}; };
  return p;
}

Bounds CliffHill::world_bounds() const {
  return {{kLeft - 0.5, -cfg_.pit_depth - 0.5},
          {cliff_x() + kPitWidth + 0.5, cfg_.summit_height + 2.5}};
}

void CliffHill::draw_background(Canvas& canvas) const {
  const auto p = profile();
  draw_ground_fill(canvas, std::span<const Vec2>(p).subspan(1, p.size() - 2),
                   -cfg_.pit_depth - 0.5);
  // The pit floor in danger colour, and a marker on the summit.
  const double c = cliff_x();
  canvas.rect({c, -cfg_.pit_depth - 0.5}, {c + kPitWidth, -cfg_.pit_depth},
              palette::danger.with_alpha(0.5f), palette::none);
  canvas.text({c + kPitWidth / 2, -cfg_.pit_depth / 2}, "pit", palette::danger, 1.4f);
  const double sx = cfg_.slope_length + cfg_.plateau / 2, sy = cfg_.summit_height;
  draw_flag(canvas, {sx, sy}, 1.2);
}

std::unique_ptr<Env> make_cliff_hill(ConfigNode& node) {
  CliffHillConfig cfg;
  cfg.visit(node);
  return std::make_unique<CliffHill>(cfg);
}

}  // namespace dynalab
