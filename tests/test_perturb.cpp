// The mouse perturbation of Box2D envs (Env::perturb): a grabbed body is pulled toward the
// target, a non-grab does nothing, and clear_perturbation() restores the normal dynamics.

#include <doctest/doctest.h>

#include <cmath>

#include "envs/cartpole_balance.h"
#include "envs/pendulum.h"
#include "envs/point_obstacles.h"

namespace test_perturb {

using namespace dynalab;

namespace {
// Max absolute difference of two state vectors.
double state_gap(const Env& a, const Env& b) {
  const auto sa = a.get_state(), sb = b.get_state();
  REQUIRE(sa.size() == sb.size());
  double d = 0;
  for (size_t i = 0; i < sa.size(); ++i) d = std::max(d, std::abs(sa[i] - sb[i]));
  return d;
}
// The Box2D view of a clone (clone() returns the Env interface).
const Box2DEnv& box(const Env& e) { return dynamic_cast<const Box2DEnv&>(e); }
}  // namespace

TEST_CASE("dragging the pendulum's rod pulls it toward the mouse; releasing restores dynamics") {
  Pendulum p;
  p.set_pole(0.3, 0);
  auto plain = p.clone();
  const BodyState rod = p.body_state(0);
  // Nothing under a point far from the rod: no grab.
  CHECK_FALSE(p.perturb({rod.x + 5, rod.y + 5}, {0, 0}));
  CHECK_FALSE(p.perturbation_anchor().has_value());
  // Grab the rod's centre and pull it 1 m to the right.
  const Vec2 target{rod.x + 1.0, rod.y};
  REQUIRE(p.perturb({rod.x, rod.y}, target));
  REQUIRE(p.perturbation_anchor().has_value());
  CHECK(std::abs(p.perturbation_anchor()->x - rod.x) < 1e-5);
  const Vec zero = Vec::Zero(1);
  for (int t = 0; t < 10; ++t) p.step(zero), plain->step(zero);
  // The grabbed point moved toward the target, more than the free pendulum's did.
  const double free_x = plain->get_state()[1];  // body 0 x
  const Vec2 anchor = *p.perturbation_anchor();
  CHECK(anchor.x > free_x + 0.2);
  CHECK(std::abs(anchor.x - target.x) < std::abs(rod.x - target.x));
  // Release: from the same state, the released env and an untouched clone of it agree exactly.
  p.clear_perturbation();
  CHECK_FALSE(p.perturbation_anchor().has_value());
  auto copy = p.clone();
  for (int t = 0; t < 20; ++t) p.step(zero), copy->step(zero);
  CHECK(state_gap(p, *copy) == 0.0);
}

TEST_CASE("perturbing the cartpole's cart moves it; later calls only move the target") {
  CartPoleBalance c;
  c.reset(3);
  auto plain = c.clone();
  const BodyState cart = c.body_state(0);
  REQUIRE(c.perturb({cart.x, cart.y}, {cart.x - 1.0, cart.y}));
  // A second call keeps the grabbed point and moves only the target.
  REQUIRE(c.perturb({100, 100}, {cart.x - 1.0, cart.y}));
  const Vec zero = Vec::Zero(1);
  for (int t = 0; t < 10; ++t) c.step(zero), plain->step(zero);
  CHECK(c.body_state(0).x < box(*plain).body_state(0).x - 0.2);
  // clone() copies the grab, so a snapshot can draw the drag line.
  CHECK(c.clone()->perturbation_anchor().has_value());
}

TEST_CASE("the grab survives the per-step world rebuild of contact envs") {
  PointObstacles e;
  e.reset(1);
  auto plain = e.clone();
  const BodyState b = e.body_state(0);
  REQUIRE(e.perturb({b.x, b.y}, {b.x, b.y + 1.0}));
  const Vec zero = Vec::Zero(e.action_space().dim());
  for (int t = 0; t < 10; ++t) e.step(zero), plain->step(zero);
  CHECK(e.body_state(0).y > box(*plain).body_state(0).y + 0.2);
}

}  // namespace test_perturb
