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
    total += cost.running(x, U[t]);
    x = f.step(x, U[t]);
    if (X) (*X)[t + 1] = x;
  }
  return total + cost.final(x);
}

namespace {

/// The backward pass around (X, U) with regularisation mu. Fills K, k and the expected
/// reduction's two terms (dV1 = sum k'Qu, dV2 = sum 1/2 k'Quu k: a step alpha is expected to
/// change the cost by alpha dV1 + alpha^2 dV2). False if some Quu is not positive definite.
bool backward_pass(const DifferentiableDynamics& f, const IlqrCost& cost, const std::vector<Vec>& X,
                   const std::vector<Vec>& U, double mu, std::vector<Eigen::MatrixXd>& K,
                   std::vector<Vec>& k, double& dV1, double& dV2) {
  const int H = int(U.size()), n = f.state_dim();
  const CostExpansion fin = cost.expand_final(X[H]);
  Vec Vx = fin.lx;
  Eigen::MatrixXd Vxx = fin.lxx;
  Eigen::MatrixXd A, B;
  dV1 = dV2 = 0;
  for (int t = H - 1; t >= 0; --t) {
    f.jacobians(X[t], U[t], A, B);
    const CostExpansion c = cost.expand_running(X[t], U[t]);
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

/// Rolls the true dynamics under u_t = U_t + alpha k_t + K_t (x_t - X_t); returns the cost.
double forward_pass(const DifferentiableDynamics& f, const IlqrCost& cost, const std::vector<Vec>& X,
                    const std::vector<Vec>& U, const std::vector<Eigen::MatrixXd>& K,
                    const std::vector<Vec>& k, double alpha, std::vector<Vec>& Xn,
                    std::vector<Vec>& Un) {
  const size_t H = U.size();
  Xn.resize(H + 1);
  Un.resize(H);
  Xn[0] = X[0];
  double total = 0;
  for (size_t t = 0; t < H; ++t) {
    Un[t] = U[t] + alpha * k[t] + K[t] * (Xn[t] - X[t]);
    total += cost.running(Xn[t], Un[t]);
    Xn[t + 1] = f.step(Xn[t], Un[t]);
  }
  return total + cost.final(Xn[H]);
}

}  // namespace

IlqrResult ilqr(const DifferentiableDynamics& f, const IlqrCost& cost, const Vec& x0, std::vector<Vec> U0,
                const IlqrOptions& o) {
  if (U0.empty()) throw std::invalid_argument("ilqr: the initial action sequence is empty");
  if (x0.size() != f.state_dim())
    throw std::invalid_argument("ilqr: x0 has " + std::to_string(x0.size()) +
                                " values, the dynamics' state has " +
                                std::to_string(f.state_dim()));
  for (const Vec& u : U0)
    if (u.size() != f.action_dim())
      throw std::invalid_argument("ilqr: an initial action has " + std::to_string(u.size()) +
                                  " values, the dynamics' action has " +
                                  std::to_string(f.action_dim()));
  const size_t H = U0.size();
  IlqrResult r;
  r.U = std::move(U0);
  r.cost = r.initial_cost = rollout_cost(f, cost, x0, r.U, &r.X);
  r.K.assign(H, Eigen::MatrixXd());
  r.k.assign(H, Vec());
  double mu = o.mu_init, delta = 1;
  std::vector<Vec> Xn, Un;
  for (int it = 0; it < o.max_iterations; ++it) {
    IlqrIteration rec;
    double dV1 = 0, dV2 = 0;
    // Backward pass; on a non-positive-definite Quu raise mu and try again.
    bool ok = false;
    while (!(ok = backward_pass(f, cost, r.X, r.U, mu, r.K, r.k, dV1, dV2))) {
      delta = std::max(o.mu_factor, delta * o.mu_factor);
      mu = std::max(o.mu_min, mu * delta);
      if (mu > o.mu_max) break;
    }
    rec.mu = mu;
    if (!ok) {
      r.iterations.push_back(rec);
      break;
    }
    // Forward pass with a backtracking line search.
    bool accepted = false;
    for (double alpha : o.alphas) {
      const double c = forward_pass(f, cost, r.X, r.U, r.K, r.k, alpha, Xn, Un);
      const double expected = -(alpha * dV1 + alpha * alpha * dV2);  // > 0 for a descent step
      const double actual = r.cost - c;
      if (std::isfinite(c) && (expected > 0 ? actual / expected > o.accept_ratio : actual >= 0)) {
        rec.alpha = alpha;
        rec.expected_reduction = expected;
        rec.actual_reduction = actual;
        accepted = true;
        const double before = r.cost;
        std::swap(r.X, Xn);
        std::swap(r.U, Un);
        r.cost = c;
        rec.cost = c;
        // A successful step lowers mu (Tassa et al.'s schedule).
        delta = std::min(1 / o.mu_factor, delta / o.mu_factor);
        mu = mu * delta > o.mu_min ? mu * delta : 0;
        r.iterations.push_back(rec);
        if (actual <= o.tolerance * std::max(1.0, std::abs(before))) r.converged = true;
        break;
      }
    }
    if (!accepted) {
      rec.cost = r.cost;
      r.iterations.push_back(rec);
      // Nothing improved: either converged (the expected reduction is negligible) or mu grows.
      if (-(dV1 + dV2) <= o.tolerance * std::max(1.0, std::abs(r.cost))) {
        r.converged = true;
        break;
      }
      delta = std::max(o.mu_factor, delta * o.mu_factor);
      mu = std::max(o.mu_min, mu * delta);
      if (mu > o.mu_max) break;
    }
    if (r.converged) break;
  }
  return r;
}

}  // namespace dynalab
