// Per-env physics checks with fixed seeds: the Box2D worlds behave like the systems they model.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "envs/cartpole_balance.h"
#include "envs/cartpole_swingup.h"
#include "envs/cliff_hill.h"
#include "envs/discretized_env.h"
#include "envs/mountain_car.h"
#include "envs/pendulum.h"
#include "envs/point_obstacles.h"
#include "envs/reacher.h"
#include "envs/registry.h"

namespace test_physics {

using namespace dynalab;

namespace {
Vec scalar(double x) { return Vec::Constant(1, x); }
Vec pair(double x, double y) {
  Vec v(2);
  v << x, y;
  return v;
}
}  // namespace

TEST_CASE("pendulum released horizontally swings down and keeps its energy") {
  Pendulum p;
  p.set_pole(std::numbers::pi / 2, 0);       // horizontal, at rest: energy 0 (pivot level)
  const double I = 1.0 / 3, mgh = 10 * 0.5;  // pivot inertia of a 1 kg, 1 m rod; m g l/2
  double max_speed = 0, max_err = 0, lowest = 0;
  for (int t = 0; t < 40; ++t) {  // 2 s: down, up the other side and back
    const StepResult r = p.step(scalar(0));
    const double theta = std::atan2(r.obs[1], r.obs[0]);
    const double energy = 0.5 * I * r.obs[2] * r.obs[2] + mgh * std::cos(theta);
    max_err = std::max(max_err, std::abs(energy));
    max_speed = std::max(max_speed, std::abs(r.obs[2]));
    lowest = std::max(lowest, std::abs(theta));
  }
  CHECK(lowest > 2.9);     // passed (near) the bottom, theta = pi
  CHECK(max_speed > 5.0);  // sqrt(2 m g l/2 / I) = 5.48 rad/s at the bottom
  CHECK(max_speed <= 8.0);
  CHECK(max_err < 0.05 * 2 * mgh);  // within 5% of the swing's energy range
}

TEST_CASE("pendulum torque turns the pole the right way and the reward is Gymnasium's") {
  Pendulum p;
  p.set_pole(0, 0);  // upright: unstable but balanced
  const StepResult r = p.step(scalar(2.0));
  CHECK(r.obs[2] > 0);  // positive torque: counter-clockwise
  CHECK(r.reward == doctest::Approx(-0.001 * 4).epsilon(1e-9));  // theta = 0, theta_dot = 0 before
  CHECK(p.step(scalar(50)).obs.size() == 3);                     // clipped, no blow-up
}

TEST_CASE("mountain_car: full throttle from the bottom fails, energy pumping reaches the flag") {
  MountainCar mc;
  const double bottom = -std::numbers::pi / 6;
  mc.place_car(bottom, 0);
  double max_x = -2;
  for (int t = 0; t < 999; ++t) {
    const StepResult r = mc.step(scalar(1));
    CHECK_FALSE(r.terminated);
    max_x = std::max(max_x, r.obs[0]);
    if (r.truncated) break;
  }
  CHECK(max_x < 0.0);
  for (double start : {-0.6, -0.5, -0.4}) {
    CAPTURE(start);
    mc.place_car(start, 0);
    Vec o = mc.observe();
    double ret = 0;
    int t = 0;
    bool reached = false;
    for (; t < 999; ++t) {
      const StepResult r = mc.step(scalar(o[1] >= 0 ? 1 : -1));  // push along the motion
      ret += r.reward;
      o = r.obs;
      if (r.terminated) {
        reached = true;
        break;
      }
    }
    CHECK(reached);
    CHECK(t < 400);
    CHECK(o[0] >= 0.45);
    CHECK(ret > 100 - 0.1 * 400);
  }
}

TEST_CASE("cliff_hill: full force right falls into the pit, stopping at the summit is best") {
  CliffHill hill;
  hill.reset(0);
  double ret_right = 0;
  int t = 0;
  StepResult r;
  for (; t < 200; ++t) {
    r = hill.step(scalar(1));
    ret_right += r.reward;
    if (r.terminated || r.truncated) break;
  }
  CHECK(r.terminated);
  CHECK(t < 60);
  CHECK(r.obs[0] > hill.cliff_x());
  CHECK(r.reward == -CliffHillConfig{}.pit_depth);

  // Drive up, then brake to stop on the plateau (a target speed that shrinks to 0 there).
  hill.reset(0);
  const double stop_x = hill.cliff_x() - 0.75;
  double ret_stop = 0;
  Vec o = hill.observe();
  bool fell = false;
  for (t = 0; t < 200; ++t) {
    const double target_v = std::sqrt(2 * 2.0 * std::max(stop_x - o[0], 0.0));
    r = hill.step(scalar(std::clamp(2 * (target_v - o[1]), -1.0, 1.0)));
    ret_stop += r.reward;
    o = r.obs;
    if (r.terminated) fell = true;
    if (r.terminated || r.truncated) break;
  }
  CHECK_FALSE(fell);
  CHECK(r.truncated);
  CHECK(std::abs(o[0] - stop_x) < 1.0);
  CHECK(ret_stop > 5 * ret_right);
}

TEST_CASE("cliff_hill: the engine and the rolling resistance act on the ground, not in the air") {
  // On a steep hill (slope up to 2.4) the engine still drives the car: full throttle up the hill
  // and full throttle down it end in different places.
  CliffHillConfig steep;
  steep.summit_height = 6;
  steep.slope_length = 4;
  steep.engine_accel = 30;
  CliffHill up(steep), down(steep);
  up.place_car(2.0, 0);
  down.place_car(2.0, 0);
  for (int t = 0; t < 5; ++t) {
    up.step(scalar(1));
    down.step(scalar(-1));
  }
  CHECK(up.observe()[0] > down.observe()[0] + 0.5);

  // Off the cliff edge the car falls freely: with strong rolling resistance (it would slow a
  // fall through Box2D's linear damping to 9.8 / 3 m/s) it reaches the pit floor, 6 m below
  // the plateau, in about the free-fall time sqrt(2 * 6 / 9.8) = 1.1 s.
  CliffHillConfig lesson;
  lesson.damping = 3;
  lesson.pit_terminates = false;
  CliffHill hill(lesson);
  hill.place_car(hill.cliff_x() - 0.1, 2.0);
  int t = 0;
  for (; t < 30 && hill.body_state(0).y > -lesson.pit_depth + 1.0; ++t) hill.step(scalar(0));
  CHECK(t <= 15);
}

TEST_CASE("cartpole_balance: the pole falls without force, within the step limit") {
  CartPoleBalanceConfig cfg;
  cfg.discrete = false;
  CartPoleBalance cp(cfg);
  for (uint64_t seed : {1, 2, 3}) {
    cp.reset(seed);
    StepResult r;
    int t = 0;
    do {
      r = cp.step(scalar(0));
      ++t;
    } while (!r.terminated && !r.truncated);
    CHECK(r.terminated);
    CHECK(t < 500);
    CHECK(std::abs(r.obs[2]) > 12 * std::numbers::pi / 180);
  }
  // Discrete variant: always pushing right drives the cart off the track or drops the pole.
  CartPoleBalance d;
  d.reset(4);
  StepResult r;
  int t = 0;
  do {
    r = d.step(scalar(1));
    ++t;
  } while (!r.terminated && !r.truncated);
  CHECK(r.terminated);
  CHECK(t < 100);
  CHECK(r.reward == 1.0);
}

TEST_CASE("cartpole_swingup: hanging down earns little, upright at the centre earns ~1") {
  CartPoleSwingup cp;
  Vec o = cp.reset(0);
  CHECK(std::abs(o[1]) < 0.5);  // starts hanging down (PETS angle 0)
  double ret = 0;
  for (int t = 0; t < 50; ++t) ret += cp.step(scalar(0)).reward;
  CHECK(ret / 50 < 0.1);
  cp.set_pose({0, 0, 1e-4, 0});  // upright
  const StepResult r = cp.step(scalar(0));
  CHECK(r.reward > 0.95);
  CHECK(std::abs(std::abs(r.obs[1]) - std::numbers::pi) < 0.05);
  // The force moves the cart.
  cp.reset(0);
  for (int t = 0; t < 10; ++t) o = cp.step(scalar(3)).obs;
  CHECK(o[2] > 0.5);
}

TEST_CASE("reacher: torques move the joints, the reward measures the tip's distance") {
  Reacher arm;
  arm.set_arm(0, 0, 0, 0, {0, 2});
  Vec o = arm.observe();
  CHECK(o[8] == doctest::Approx(2.0).epsilon(1e-5));  // tip at (2, 0), target at (0, 2)
  CHECK(o[9] == doctest::Approx(-2.0).epsilon(1e-5));
  // No torque, no gravity: the arm stays put.
  for (int t = 0; t < 20; ++t) o = arm.step(pair(0, 0)).obs;
  CHECK(std::abs(o[2]) < 1e-4);
  // Positive torque on the shoulder turns the arm counter-clockwise, towards the target.
  double first = 0, last = 0;
  for (int t = 0; t < 8; ++t) {
    const StepResult r = arm.step(pair(1, 0));
    if (t == 0) first = r.reward;
    last = r.reward;
  }
  CHECK(std::atan2(arm.observe()[2], arm.observe()[0]) > 0.15);  // q1 grew
  CHECK(last > first);
  // Tip on the target: reward is just the control cost.
  arm.set_arm(0.3, 0.4, 0, 0, {0, 0});
  const Vec2 tip = arm.tip();
  arm.set_arm(0.3, 0.4, 0, 0, tip);
  CHECK(arm.step(pair(0, 0)).reward > -1e-3);
}

TEST_CASE("point_obstacles: obstacles block the diagonal, going around reaches the goal") {
  PointObstacles env;
  env.reset(0);
  double contact_steps = 0;
  StepResult r;
  for (int t = 0; t < 100; ++t) {
    r = env.step(pair(1, 1));  // straight at the goal: into the first obstacle
    if (PointObstacles::touches_obstacle(r.obs[0], r.obs[1])) ++contact_steps;
    // The disc never enters an obstacle.
    for (const auto& ob : PointObstacles::obstacles()) {
      const bool inside = std::abs(r.obs[0] - ob.centre.x) < ob.half.x &&
                          std::abs(r.obs[1] - ob.centre.y) < ob.half.y;
      CHECK_FALSE(inside);
    }
    if (r.terminated || r.truncated) break;
  }
  CHECK(contact_steps > 10);
  CHECK_FALSE(r.terminated);
  // Along the bottom wall, then up the right wall: clear of all obstacles.
  env.reset(0);
  Vec o = env.observe();
  int t = 0;
  for (; t < 100; ++t) {
    r = env.step(o[0] < 9.0 ? pair(1, -0.2) : pair(std::clamp(2 * (9.0 - o[0]), -1.0, 1.0), 1));
    o = r.obs;
    if (r.terminated || r.truncated) break;
  }
  CHECK(r.terminated);
  CHECK(r.reward > -PointObstaclesConfig{}.goal_radius - 1e-9);
}

TEST_CASE("discretized: cells, actions and the inner dynamics") {
  Json j = {{"name", "discretized"},
            {"inner", {{"name", "mountain_car"}}},
            {"bins", {4, 5}},
            {"actions", {-1, 1}}};
  ConfigNode node(j, "test");
  auto env = env_registry().make(node);
  auto* d = dynamic_cast<DiscretizedEnv*>(env.get());
  REQUIRE(d);
  CHECK(env->observation_space().n == 20);
  CHECK(env->action_space().n == 2);
  // Lowest cell, highest cell, and row-major order over dims.
  CHECK(d->cell_of(pair(-1.2, -0.07)) == 0);
  CHECK(d->cell_of(pair(0.6, 0.07)) == 19);
  CHECK(d->cell_of(pair(-1.2, 0.07)) == 4);
  CHECK(d->cell_of(d->cell_centre(13)) == 13);
  // Same seed and actions: the same cells as binning the inner env by hand.
  MountainCar mc;
  const Vec o = mc.reset(3);
  CHECK(env->reset(3)[0] == d->cell_of(o));
  for (int t = 0; t < 50; ++t) {
    const int a = (t / 10) % 2;
    const StepResult inner = mc.step(scalar(a ? 1 : -1));
    CHECK(env->step(scalar(a)).obs[0] == d->cell_of(inner.obs));
  }
  // Bad configs name the key.
  Json bad = {{"name", "discretized"}, {"bins", {4}}};
  ConfigNode bad_node(bad, "test.json");
  CHECK_THROWS_WITH_AS(env_registry().make(bad_node), doctest::Contains("bins"), InputError);
  Json unbounded = {{"name", "discretized"},
                    {"inner", {{"name", "reacher"}}},
                    {"dims", {6}},
                    {"bins", {4}},
                    {"actions", {0, 0}}};
  ConfigNode ub_node(unbounded, "test.json");
  CHECK_THROWS_WITH_AS(env_registry().make(ub_node), doctest::Contains("low"), InputError);
  // 64 dims of 2 bins: 2^64 cells, which a plain product overflows to 0 (below the limit).
  Json dims = Json::array(), bins = Json::array();
  for (int i = 0; i < 64; ++i) dims.push_back(i), bins.push_back(2);
  Json many = {{"name", "discretized"}, {"inner", {{"name", "pixels"}, {"size", 8}, {"frames", 1}}}, {"dims", dims},
               {"bins", bins}};
  ConfigNode many_node(many, "test.json");
  CHECK_THROWS_WITH_AS(env_registry().make(many_node), doctest::Contains("bins: expected at most 10,000,000 cells"),
                       InputError);
}

}  // namespace test_physics
