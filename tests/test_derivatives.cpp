// The derivatives seam of issue 18 (core/gradients/): the true env's Jacobians (exact for the
// point mass, finite differences through Env::set_observation otherwise), a learned model's
// Jacobians through its input Jacobians, and the reward's derivatives.

#include <doctest/doctest.h>

#include <cmath>

#include "core/gradients/env_dynamics.h"
#include "core/gradients/model_dynamics.h"
#include "core/models/ensemble.h"
#include "core/rng.h"
#include "envs/mountain_car.h"
#include "envs/pendulum.h"
#include "envs/point_mass.h"
#include "envs/reacher.h"

namespace test_derivatives {

using namespace dynalab;

namespace {

double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).norm() / std::max(1e-12, b.norm());
}

}  // namespace

TEST_CASE("point mass: finite differences through the env agree with its exact Jacobian to 1e-7") {
  PointMass env;
  const EnvDynamics f(env);
  REQUIRE(f.exact());
  for (double a : {-0.7, 0.0, 0.4}) {
    Vec x(2), u(1);
    x << 0.3, -0.2;
    u << a;
    Eigen::MatrixXd A, B, Afd, Bfd;
    f.jacobians(x, u, A, B);
    finite_difference_jacobians(f, x, u, 1e-5, Afd, Bfd);
    CHECK(relative_error(Afd, A) < 1e-7);
    CHECK(relative_error(Bfd, B) < 1e-7);
  }
}

TEST_CASE("the env's dynamics at an observation are the env's own step from that state") {
  Pendulum env;
  env.set_pole(0.4, -1.5);
  Vec obs(3);
  obs << std::cos(0.4), std::sin(0.4), -1.5;
  Vec u(1);
  u << 0.8;
  const EnvDynamics f(env);
  CHECK_FALSE(f.exact());
  const Vec predicted = f.step(obs, u);
  const Vec real = env.step(u).obs;
  CHECK((predicted - real).norm() < 1e-6);
}

TEST_CASE("pendulum at rest upright: the finite-difference Jacobian is the linearised physics") {
  // theta'' = 3 g / (2 l) sin(theta) + 3 u / (m l^2) for a rod on a pivot (I = m l^2 / 3); at
  // theta = 0 one control period of dt changes theta_dot by dt * 3 g / (2 l) per radian and by
  // dt * 3 / (m l^2) per N m (to first order in dt: Box2D's sub-steps add O(dt^2)).
  PendulumConfig cfg;
  Pendulum env(cfg);
  const EnvDynamics f(env);
  Vec x(3), u(1);
  x << 1, 0, 0;
  u << 0;
  Eigen::MatrixXd A, B;
  f.jacobians(x, u, A, B);
  const double dt = cfg.physics.control_dt, a = 1.5 * cfg.gravity / cfg.length;
  // Row 2 is d theta_dot'; the angle enters through sin(theta) (column 1) at theta = 0.
  CHECK(A(2, 1) == doctest::Approx(dt * a).epsilon(0.05));
  CHECK(A(2, 2) == doctest::Approx(1).epsilon(0.02));
  CHECK(B(2, 0) == doctest::Approx(dt * 3 / (cfg.mass * cfg.length * cfg.length)).epsilon(0.05));
}

TEST_CASE("EnvDynamics needs an env that can be put at an observation") {
  // The mountain car's observation is its state too, but it does not implement
  // set_observation (yet): the error says what is missing instead of differentiating garbage.
  MountainCar car;
  CHECK_THROWS_WITH_AS(EnvDynamics{car}, doctest::Contains("set_observation"),
                       std::invalid_argument);
  Reacher reacher;
  CHECK_NOTHROW(EnvDynamics{reacher});
}

TEST_CASE("reward derivatives by finite differences match the point mass's closed form") {
  PointMass env;  // r = -(pos'^2 + 0.1 vel'^2 + 0.01 a^2)
  const EnvReward r(env);
  Vec s(2), a(1), n(2);
  s << 0.5, 0.1;
  a << 0.3;
  n << -0.4, 0.7;
  const RewardGradient g = r.gradient(s, a, n);
  CHECK(g.r == doctest::Approx(-(0.16 + 0.1 * 0.49 + 0.01 * 0.09)));
  CHECK(g.rs.norm() < 1e-9);
  CHECK(g.ra[0] == doctest::Approx(-0.02 * 0.3).epsilon(1e-8));
  CHECK(g.rn[0] == doctest::Approx(0.8).epsilon(1e-8));
  CHECK(g.rn[1] == doctest::Approx(-0.14).epsilon(1e-8));
  const Eigen::MatrixXd H = r.hessian(s, a, n);  // z = [s, a, s']
  CHECK(H(2, 2) == doctest::Approx(-0.02).epsilon(1e-5));
  CHECK(H(3, 3) == doctest::Approx(-2).epsilon(1e-5));
  CHECK(H(4, 4) == doctest::Approx(-0.2).epsilon(1e-5));
  CHECK(std::abs(H(3, 4)) < 1e-5);
}

TEST_CASE("a learned model's Jacobians (members and elite mean) match finite differences") {
  ModelConfig c;
  c.prediction = "deterministic";
  c.hidden = {32, 32};
  c.ensemble_size = 3;
  c.elite_members = 2;
  Ensemble e(c, 3, 1, 5);
  Vec x(3), u(1);
  x << 0.8, 0.6, -0.3;
  u << 0.5;
  for (int member : {-1, 0, 2}) {
    CAPTURE(member);
    ModelDynamics f(e, member);
    f.fd_step = 1e-2;  // float inside: a larger step keeps round-off below truncation error
    Eigen::MatrixXd A, B, Afd, Bfd;
    f.jacobians(x, u, A, B);
    finite_difference_jacobians(f, x, u, f.fd_step, Afd, Bfd);
    CHECK(relative_error(A, Afd) < 1e-3);
    CHECK(relative_error(B, Bfd) < 1e-3);
    // The batched passes (one per member for a whole batch) give each point's own numbers.
    std::vector<Vec> xs = {x, Vec(x * 0.5), Vec(-x)}, us = {u, Vec(-u), Vec(u * 2)}, next;
    std::vector<Eigen::MatrixXd> As, Bs;
    f.step_batch(xs, us, next);
    f.jacobians_batch(xs, us, As, Bs);
    REQUIRE(next.size() == 3);
    REQUIRE(As.size() == 3);
    for (size_t i = 0; i < xs.size(); ++i) {
      CHECK((next[i] - f.step(xs[i], us[i])).norm() < 1e-6);
      f.jacobians(xs[i], us[i], A, B);
      CHECK((As[i] - A).norm() < 1e-5);
      CHECK((Bs[i] - B).norm() < 1e-5);
    }
  }
  CHECK_THROWS_AS(ModelDynamics(e, 3), std::invalid_argument);
}

}  // namespace test_derivatives
