#include "core/planning/ilqr.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace dynalab {

QuadraticCost::QuadraticCost(Eigen::MatrixXd Q, Eigen::MatrixXd R, Eigen::MatrixXd Qf, Vec goal)
    : Q_(std::move(Q)), R_(std::move(R)), Qf_(std::move(Qf)), goal_(std::move(goal)) {
  const auto n = goal_.size();
  if (Q_.rows() != n || Q_.cols() != n || Qf_.rows() != n || Qf_.cols() != n ||
      R_.rows() != R_.cols())
    throw std::invalid_argument("QuadraticCost: Q and Qf must be n x n (n = goal size), R m x m");
}

double QuadraticCost::running(const Vec& x, const Vec& u) const {
  const Vec d = x - goal_;
  return 0.5 * d.dot(Q_ * d) + 0.5 * u.dot(R_ * u);
}

double QuadraticCost::final(const Vec& x) const {
  const Vec d = x - goal_;
  return 0.5 * d.dot(Qf_ * d);
}

CostExpansion QuadraticCost::expand_running(const Vec& x, const Vec& u) const {
  CostExpansion e;
  e.l = running(x, u);
  e.lx = Q_ * (x - goal_);
  e.lu = R_ * u;
  e.lxx = Q_;
  e.luu = R_;
  e.lux = Eigen::MatrixXd::Zero(u.size(), x.size());
  return e;
}

CostExpansion QuadraticCost::expand_final(const Vec& x) const {
  CostExpansion e;
  e.l = final(x);
  e.lx = Qf_ * (x - goal_);
  e.lxx = Qf_;
  return e;
}

double rollout_cost(const DifferentiableDynamics& f, const IlqrCost& cost, const Vec& x0,
                    const std::vector<Vec>& U, std::vector<Vec>* X) {
  Vec x = x0;
  double total = 0;
  if (X) {
    X->resize(U.size() + 1);
    (*X)[0] = x0;
  }
  for (size_t t = 0; t < U.size(); ++t) {
    Vec next = f.step(x, U[t]);
    total += cost.transition(x, U[t], next);
    x = std::move(next);
    if (X) (*X)[t + 1] = x;
  }
  return total + cost.final(x);
}

IlqrSolver::IlqrSolver(const DifferentiableDynamics& f, const IlqrCost& cost, IlqrOptions options)
    : f_(f), cost_(cost), o_(std::move(options)) {}

void IlqrSolver::clamp(Vec& u) const {
  if (o_.u_low.size() == 0) return;
  u = u.cwiseMax(o_.u_low).cwiseMin(o_.u_high);
}

void IlqrSolver::begin(const Vec& x0, std::vector<Vec> U0) {
  if (U0.empty()) throw std::invalid_argument("ilqr: the initial action sequence is empty");
  if (x0.size() != f_.state_dim())
    throw std::invalid_argument("ilqr: x0 has " + std::to_string(x0.size()) +
                                " values, the dynamics' state has " +
                                std::to_string(f_.state_dim()));
  for (const Vec& u : U0)
    if (u.size() != f_.action_dim())
      throw std::invalid_argument("ilqr: an initial action has " + std::to_string(u.size()) +
                                  " values, the dynamics' action has " +
                                  std::to_string(f_.action_dim()));
  if (o_.u_low.size() != o_.u_high.size() ||
      (o_.u_low.size() != 0 && o_.u_low.size() != f_.action_dim()))
    throw std::invalid_argument("ilqr: the action bounds must both be empty or have " +
                                std::to_string(f_.action_dim()) + " values");
  const size_t H = U0.size();
  r_ = IlqrResult{};
  r_.U = std::move(U0);
  for (Vec& u : r_.U) clamp(u);
  r_.cost = r_.initial_cost = rollout_cost(f_, cost_, x0, r_.U, &r_.X);
  r_.K.assign(H, Eigen::MatrixXd());
  r_.k.assign(H, Vec());
  mu_ = o_.mu_init;
  delta_ = 1;
  started_ = true;
  finished_ = false;
}

/// The backward pass around (X, U) with regularisation mu. Fills K, k and the expected
/// reduction's two terms (dV1 = sum k'Qu, dV2 = sum 1/2 k'Quu k: a step alpha is expected to
/// change the cost by alpha dV1 + alpha^2 dV2). False if some Quu is not positive definite.
bool IlqrSolver::backward_pass(double mu, double& dV1, double& dV2) {
  const std::vector<Vec>&X = r_.X, &U = r_.U;
  std::vector<Eigen::MatrixXd>& K = r_.K;
  std::vector<Vec>& k = r_.k;
  const int H = int(U.size()), n = f_.state_dim();
  const CostExpansion fin = cost_.expand_final(X[H]);
  Vec Vx = fin.lx;
  Eigen::MatrixXd Vxx = fin.lxx;
  Eigen::MatrixXd A, B;
  dV1 = dV2 = 0;
  for (int t = H - 1; t >= 0; --t) {
    f_.jacobians(X[t], U[t], A, B);
    const CostExpansion c = cost_.expand_transition(X[t], U[t], X[t + 1], A, B);
    const Eigen::MatrixXd Vreg = Vxx + mu * Eigen::MatrixXd::Identity(n, n);
    const Vec Qx = c.lx + A.transpose() * Vx;
    const Vec Qu = c.lu + B.transpose() * Vx;
    const Eigen::MatrixXd Qxx = c.lxx + A.transpose() * Vxx * A;
    const Eigen::MatrixXd Quu = c.luu + B.transpose() * Vxx * B;
    const Eigen::MatrixXd Qux = c.lux + B.transpose() * Vxx * A;
    // The gains come from the regularised terms (Tassa et al. eq. 10) ...
    Eigen::MatrixXd Quu_reg = c.luu + B.transpose() * Vreg * B;
    Quu_reg = 0.5 * (Quu_reg + Quu_reg.transpose());
    const Eigen::LLT<Eigen::MatrixXd> llt(Quu_reg);
    if (llt.info() != Eigen::Success) return false;
    k[t] = -llt.solve(Qu);
    K[t] = -llt.solve(c.lux + B.transpose() * Vreg * A);
    dV1 += k[t].dot(Qu);
    dV2 += 0.5 * k[t].dot(Quu * k[t]);
    // ... and the value function of the step before from the plain ones (eq. 11), in the form
    // that is right for any K and k, not only the unregularised optimum.
    Vx = Qx + K[t].transpose() * Quu * k[t] + K[t].transpose() * Qu + Qux.transpose() * k[t];
    Vxx = Qxx + K[t].transpose() * Quu * K[t] + K[t].transpose() * Qux + Qux.transpose() * K[t];
    Vxx = 0.5 * (Vxx + Vxx.transpose());
  }
  return true;
}

/// Rolls the dynamics under u_t = clamp(U_t + alpha k_t + K_t (x_t - X_t)) into Xn_, Un_;
/// returns the cost.
double IlqrSolver::forward_pass(double alpha) {
  const std::vector<Vec>&X = r_.X, &U = r_.U;
  const size_t H = U.size();
  Xn_.resize(H + 1);
  Un_.resize(H);
  Xn_[0] = X[0];
  double total = 0;
  for (size_t t = 0; t < H; ++t) {
    Un_[t] = U[t] + alpha * r_.k[t] + r_.K[t] * (Xn_[t] - X[t]);
    clamp(Un_[t]);
    Xn_[t + 1] = f_.step(Xn_[t], Un_[t]);
    total += cost_.transition(Xn_[t], Un_[t], Xn_[t + 1]);
  }
  return total + cost_.final(Xn_[H]);
}

/// Tassa et al.'s schedule up: delta grows by mu_factor at least, mu by delta (at least mu_min).
void IlqrSolver::raise_mu() {
  delta_ = std::max(o_.mu_factor, delta_ * o_.mu_factor);
  mu_ = std::max(o_.mu_min, mu_ * delta_);
}

bool IlqrSolver::iterate() {
  if (!started_) throw std::logic_error("IlqrSolver::iterate before begin()");
  if (finished_) return false;
  IlqrIteration rec;
  double dV1 = 0, dV2 = 0;
  // Backward pass; on a non-positive-definite Quu raise mu and try again.
  bool ok = false;
  while (!(ok = backward_pass(mu_, dV1, dV2))) {
    raise_mu();
    if (mu_ > o_.mu_max) break;
  }
  rec.mu = mu_;
  if (!ok) {
    rec.cost = r_.cost;
    r_.iterations.push_back(rec);
    finished_ = true;
    return false;
  }
  // Forward pass with a backtracking line search.
  for (double alpha : o_.alphas) {
    const double c = forward_pass(alpha);
    const double expected = -(alpha * dV1 + alpha * alpha * dV2);  // > 0 for a descent step
    const double actual = r_.cost - c;
    if (std::isfinite(c) && (expected > 0 ? actual / expected > o_.accept_ratio : actual >= 0)) {
      rec.alpha = alpha;
      rec.expected_reduction = expected;
      rec.actual_reduction = actual;
      const double before = r_.cost;
      std::swap(r_.X, Xn_);
      std::swap(r_.U, Un_);
      r_.cost = rec.cost = c;
      // A successful step lowers mu (Tassa et al.'s schedule).
      delta_ = std::min(1 / o_.mu_factor, delta_ / o_.mu_factor);
      mu_ = mu_ * delta_ > o_.mu_min ? mu_ * delta_ : 0;
      r_.iterations.push_back(rec);
      if (actual <= o_.tolerance * std::max(1.0, std::abs(before))) r_.converged = finished_ = true;
      return !finished_;
    }
  }
  rec.cost = r_.cost;
  r_.iterations.push_back(rec);
  // Nothing improved: either converged (the expected reduction is negligible) or mu grows.
  if (-(dV1 + dV2) <= o_.tolerance * std::max(1.0, std::abs(r_.cost))) {
    r_.converged = finished_ = true;
    return false;
  }
  raise_mu();
  if (mu_ > o_.mu_max) finished_ = true;
  return !finished_;
}

IlqrResult ilqr(const DifferentiableDynamics& f, const IlqrCost& cost, const Vec& x0, std::vector<Vec> U0,
                const IlqrOptions& o) {
  IlqrSolver solver(f, cost, o);
  solver.begin(x0, std::move(U0));
  for (int it = 0; it < o.max_iterations; ++it)
    if (!solver.iterate()) break;
  return solver.result();
}

}  // namespace dynalab
