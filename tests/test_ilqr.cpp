// iLQR and local linear models (core/planning/ilqr.h, local_linear_fit.h), issue 18's exactness
// checks: iLQR on a linear point mass with a quadratic cost lands on the LQR optimum computed
// here by an independent Riccati recursion; finite-difference Jacobians agree with exact ones;
// the per-step linear fit of noise-free rollouts of a linear system recovers A, B and c.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/planning/ilqr.h"
#include "core/planning/local_linear_fit.h"
#include "core/rng.h"

namespace test_ilqr {

using namespace dynalab;

namespace {

constexpr double kDt = 0.1;

/// The 1-D point mass as a double integrator: x = [position, velocity], u = force (unit mass).
LinearDynamics point_mass() {
  Eigen::MatrixXd A(2, 2), B(2, 1);
  A << 1, kDt, 0, 1;
  B << 0.5 * kDt * kDt, kDt;
  return LinearDynamics(A, B, Vec::Zero(2));
}

double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).norm() / std::max(1e-300, b.norm());
}

Eigen::MatrixXd normal_matrix(int rows, int cols, Rng& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m(r, c) = rng.normal(0, 1);
  return m;
}

/// The point mass through the default (finite-difference) Jacobians.
class FiniteDifferencePointMass : public DifferentiableDynamics {
 public:
  int state_dim() const override { return 2; }
  int action_dim() const override { return 1; }
  Vec step(const Vec& x, const Vec& u) const override { return exact_.step(x, u); }

 private:
  LinearDynamics exact_ = point_mass();
};

/// A frictionless pendulum, semi-implicit Euler: x = [theta (0 upright), omega], u = torque.
/// omega' = omega + dt (g/l sin theta + u / (m l^2)), theta' = theta + dt omega'.
class Pendulum : public DifferentiableDynamics {
 public:
  static constexpr double g_over_l = 10, inv_inertia = 1, dt = 0.05;
  int state_dim() const override { return 2; }
  int action_dim() const override { return 1; }
  Vec step(const Vec& x, const Vec& u) const override {
    const double w = x[1] + dt * (g_over_l * std::sin(x[0]) + inv_inertia * u[0]);
    return Vec{{x[0] + dt * w, w}};
  }
  void exact_jacobians(const Vec& x, Eigen::MatrixXd& A, Eigen::MatrixXd& B) const {
    const double dw_dtheta = dt * g_over_l * std::cos(x[0]), dw_du = dt * inv_inertia;
    A.resize(2, 2);
    B.resize(2, 1);
    A << 1 + dt * dw_dtheta, dt, dw_dtheta, 1;
    B << dt * dw_du, dw_du;
  }
};

}  // namespace

TEST_CASE("iLQR on the linear point mass with a quadratic cost is the LQR optimum (Riccati)") {
  const LinearDynamics f = point_mass();
  Eigen::MatrixXd Q(2, 2), R(1, 1), Qf(2, 2);
  Q << 1, 0, 0, 0.1;
  R << 0.01;
  Qf << 10, 0, 0, 1;
  const QuadraticCost cost(Q, R, Qf, Vec::Zero(2));
  const Vec x0{{1.0, -0.5}};
  const int H = 50;

  // The discrete-time Riccati recursion, written out here independently of ilqr.cpp:
  // P_H = Qf; K_t = -(R + B'P B)^-1 B'P A; P_t = Q + A'P A + A'P B K_t; cost* = 1/2 x0'P_0 x0.
  Eigen::MatrixXd A(2, 2), B(2, 1);
  f.jacobians(x0, Vec::Zero(1), A, B);
  std::vector<Eigen::MatrixXd> K_lqr(H);
  Eigen::MatrixXd P = Qf;
  for (int t = H - 1; t >= 0; --t) {
    K_lqr[t] = -(R + B.transpose() * P * B).inverse() * B.transpose() * P * A;
    P = Q + A.transpose() * P * A + A.transpose() * P * B * K_lqr[t];
  }
  const double optimal_cost = 0.5 * x0.dot(P * x0);
  std::vector<Vec> U_lqr(H);
  Vec x = x0;
  for (int t = 0; t < H; ++t) {
    U_lqr[t] = K_lqr[t] * x;
    x = f.step(x, U_lqr[t]);
  }

  const IlqrResult r = ilqr(f, cost, x0, std::vector<Vec>(H, Vec::Zero(1)));
  CHECK(r.converged);
  REQUIRE(!r.iterations.empty());
  // The LQ model is exact: the first iteration takes the full step and gets what it expected.
  CHECK(r.iterations[0].alpha == 1.0);
  CHECK(r.iterations[0].actual_reduction ==
        doctest::Approx(r.iterations[0].expected_reduction).epsilon(1e-9));
  CHECK(std::abs(r.cost - optimal_cost) / optimal_cost < 1e-9);
  Vec u_ilqr(H), u_lqr(H);  // the action sequences, one value per step
  for (int t = 0; t < H; ++t) {
    u_ilqr[t] = r.U[t][0];
    u_lqr[t] = U_lqr[t][0];
    CHECK(relative_error(r.K[t], K_lqr[t]) < 1e-9);
  }
  CHECK(relative_error(u_ilqr, u_lqr) < 1e-9);
  MESSAGE("LQR cost " << optimal_cost << ", iLQR " << r.cost << " after " << r.iterations.size()
                      << " iterations");
}

TEST_CASE("finite-difference Jacobians agree with exact ones") {
  const FiniteDifferencePointMass fd;
  Eigen::MatrixXd A, B, A_exact, B_exact;
  const Vec x{{0.3, -1.2}}, u{{0.7}};
  fd.jacobians(x, u, A, B);
  point_mass().jacobians(x, u, A_exact, B_exact);
  CHECK((A - A_exact).cwiseAbs().maxCoeff() < 1e-7);
  CHECK((B - B_exact).cwiseAbs().maxCoeff() < 1e-7);

  const Pendulum p;
  for (double theta : {0.0, 0.4, 2.0, 3.1}) {
    const Vec xs{{theta, 0.8}};
    p.jacobians(xs, u, A, B);
    p.exact_jacobians(xs, A_exact, B_exact);
    CAPTURE(theta);
    CHECK((A - A_exact).cwiseAbs().maxCoeff() < 1e-7);
    CHECK((B - B_exact).cwiseAbs().maxCoeff() < 1e-7);
  }
}

TEST_CASE("iLQR swings the nonlinear pendulum up, lowering the cost at every iteration") {
  const Pendulum f;
  Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(2, 2), R(1, 1), Qf(2, 2);
  R << 0.01;
  Qf << 100, 0, 0, 10;
  const QuadraticCost cost(Q, R, Qf, Vec::Zero(2));
  const Vec x0{{M_PI - 0.1, 0.0}};  // hanging, slightly off
  const IlqrResult r = ilqr(f, cost, x0, std::vector<Vec>(60, Vec::Zero(1)));
  CHECK(r.converged);
  double before = r.initial_cost;
  for (const IlqrIteration& it : r.iterations) {
    CHECK(it.cost <= before);
    before = it.cost;
  }
  CHECK(std::abs(r.X.back()[0]) < 0.05);  // upright at the end
  CHECK(std::abs(r.X.back()[1]) < 0.2);
  MESSAGE("pendulum: cost " << r.initial_cost << " -> " << r.cost << " in "
                            << r.iterations.size() << " iterations, final theta "
                            << r.X.back()[0]);
}

TEST_CASE("ilqr rejects an empty or mis-sized action sequence") {
  const LinearDynamics f = point_mass();
  const QuadraticCost cost(Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(1, 1),
                           Eigen::MatrixXd::Identity(2, 2), Vec::Zero(2));
  CHECK_THROWS_AS(ilqr(f, cost, Vec::Zero(2), {}), std::invalid_argument);
  CHECK_THROWS_AS(ilqr(f, cost, Vec::Zero(3), {Vec::Zero(1)}), std::invalid_argument);
  CHECK_THROWS_AS(ilqr(f, cost, Vec::Zero(2), {Vec::Zero(2)}), std::invalid_argument);
}

TEST_CASE("the local linear fit of noise-free rollouts of a linear system recovers A, B and c") {
  Rng rng(17);
  const int n = 3, m = 2, H = 4, N = 8;  // N >= n + m + 1 rollouts: the fit is determined
  std::vector<Eigen::MatrixXd> A(H), B(H);
  std::vector<Vec> c(H);
  for (int t = 0; t < H; ++t) {  // time-varying, as the fit allows
    A[t] = normal_matrix(n, n, rng) * 0.5;
    B[t] = normal_matrix(n, m, rng);
    c[t] = normal_matrix(n, 1, rng);
  }
  std::vector<std::vector<Vec>> X(N), U(N);
  for (int i = 0; i < N; ++i) {
    X[i].push_back(normal_matrix(n, 1, rng));
    for (int t = 0; t < H; ++t) {
      U[i].push_back(normal_matrix(m, 1, rng));
      X[i].push_back(A[t] * X[i][t] + B[t] * U[i][t] + c[t]);
    }
  }
  const LocalLinearModel fit = fit_local_linear(X, U, 0.0);
  REQUIRE(fit.horizon() == H);
  for (int t = 0; t < H; ++t) {
    CAPTURE(t);
    CHECK(relative_error(fit.A[t], A[t]) < 1e-9);
    CHECK(relative_error(fit.B[t], B[t]) < 1e-9);
    CHECK(relative_error(fit.c[t], c[t]) < 1e-9);
    CHECK(fit.noise_cov[t].norm() < 1e-18);
  }

  // Two rollouts cannot determine a 6-column fit; with the true model as the prior and a ridge,
  // data and prior agree, so the fit is the truth. Without a prior the ridge pulls toward zero.
  const std::vector<std::vector<Vec>> X2(X.begin(), X.begin() + 2), U2(U.begin(), U.begin() + 2);
  LocalLinearModel truth;
  truth.A = A;
  truth.B = B;
  truth.c = c;
  const LocalLinearModel with_prior = fit_local_linear(X2, U2, 1e-3, &truth);
  const LocalLinearModel without = fit_local_linear(X2, U2, 1e-3);
  CHECK(relative_error(with_prior.A[0], A[0]) < 1e-9);
  CHECK(relative_error(without.A[0], A[0]) > 1e-2);

  CHECK_THROWS_AS(fit_local_linear({}, {}, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(fit_local_linear(X, U, -1.0), std::invalid_argument);
}

}  // namespace test_ilqr
