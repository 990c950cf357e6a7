#pragma once
// Iterative LQR (Li & Todorov 2004) with the regularisation and line search of Tassa, Erez &
// Todorov 2012 ("Synthesis and stabilization of complex behaviors through online trajectory
// optimization", section II): around a nominal trajectory (X, U) the dynamics are linearised
// (A_t = df/dx, B_t = df/du) and the cost expanded to second order; a backward pass solves the
// resulting LQ problem for feedforward terms k_t and feedback gains K_t, and a forward pass rolls
// the true dynamics under u_t = U_t + alpha k_t + K_t (x_t - X_t), trying alpha = 1, 1/2, ...
// until the actual cost reduction is a fair share of the one the LQ model expected.
//
// Regularisation (Tassa et al. eq. 10): mu is added to the value function's Hessian, so
//   Quu = luu + B' (Vxx + mu I) B,  Qux = lux + B' (Vxx + mu I) A,
// which keeps the new trajectory close to the old one in state space; mu grows when Quu is not
// positive definite or no step size improves the cost, and shrinks after a successful iteration.
//
// On a linear system with a quadratic cost the LQ model is exact, so one iteration with alpha = 1
// and mu = 0 lands on the LQR optimum (tests/test_ilqr.cpp checks it against a Riccati
// recursion written independently there). Action bounds (IlqrOptions::u_low / u_high) are
// enforced by clamping in the forward pass: every action the solver rolls out and returns lies
// in the box, while the backward pass solves the unconstrained LQ problem around the clamped
// nominal (the line search absorbs the difference; see ilqr_planner.h for why clamping).
// Everything is in double: the gains of a long horizon are differences of large numbers.
//
// One iteration at a time: IlqrSolver (begin(), then iterate() until finished()); ilqr() is that
// loop run to convergence, and the MPC planner (ilqr_planner.h) runs one iteration per tick.

#include <Eigen/Core>
#include <vector>

#include "core/gradients/differentiable_dynamics.h"
#include "core/space.h"

namespace dynalab {

/// Second-order expansion of a cost term at a point: l, its gradient and Hessian.
struct CostExpansion {
  double l = 0;
  Vec lx, lu;          ///< dl/dx (state_dim), dl/du (action_dim; empty for the final cost)
  Eigen::MatrixXd lxx, luu, lux;   ///< d2l/dx2, d2l/du2, d2l/du dx (action_dim x state_dim)
};

/// The cost to minimise: sum over t < H of running(x_t, u_t) plus final(x_H).
class IlqrCost {
 public:
  virtual ~IlqrCost() = default;
  virtual double running(const Vec& x, const Vec& u) const = 0;
  virtual double final(const Vec& x) const = 0;
  /// The expansion of running(x, u) (all fields).
  virtual CostExpansion expand_running(const Vec& x, const Vec& u) const = 0;
  /// The expansion of final(x) (l, lx, lxx).
  virtual CostExpansion expand_final(const Vec& x) const = 0;

  /// running(x, u) when the solver already knows x_next = f(x, u): what the solver calls. A cost
  /// that depends on the next state (-r(x, u, f(x, u)), IlqrRewardCost) overrides it to save the
  /// step; the default ignores x_next.
  virtual double transition(const Vec& x, const Vec& u, const Vec& x_next) const {
    (void)x_next;
    return running(x, u);
  }
  /// expand_running(x, u) when the solver already has x_next = f(x, u) and the Jacobians
  /// A = df/dx, B = df/du there: what the backward pass calls (the default ignores them).
  virtual CostExpansion expand_transition(const Vec& x, const Vec& u, const Vec& x_next,
                                          const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const {
    (void)x_next, (void)A, (void)B;
    return expand_running(x, u);
  }
};

/// 1/2 (x - goal)' Q (x - goal) + 1/2 u' R u per step and 1/2 (x - goal)' Qf (x - goal) at the end.
/// Q, Qf symmetric positive semi-definite, R symmetric positive definite.
class QuadraticCost : public IlqrCost {
 public:
  QuadraticCost(Eigen::MatrixXd Q, Eigen::MatrixXd R, Eigen::MatrixXd Qf, Vec goal);
  double running(const Vec& x, const Vec& u) const override;
  double final(const Vec& x) const override;
  CostExpansion expand_running(const Vec& x, const Vec& u) const override;
  CostExpansion expand_final(const Vec& x) const override;

 private:
  Eigen::MatrixXd Q_, R_, Qf_;
  Vec goal_;
};

struct IlqrOptions {
  int max_iterations = 100;
  /// Stop once an accepted iteration lowers the cost by less than this fraction of it.
  double tolerance = 1e-10;
  /// Initial mu and its schedule (Tassa et al.: mu_min 1e-6, factor 2); mu below mu_min is 0.
  double mu_init = 0;
  double mu_min = 1e-6;
  double mu_max = 1e10;
  double mu_factor = 2;
  /// Step sizes tried in the forward pass, largest first (alpha_t = 1.1^(-t^2) in the paper;
  /// halving is the common simplification).
  std::vector<double> alphas = {1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125};
  /// Accept a step when actual / expected reduction exceeds this (Tassa et al.: 0 < c1 < 1).
  double accept_ratio = 0.1;
  /// Per-dimension action bounds (action_dim each), or both empty: unbounded. The initial
  /// actions and every forward pass are clamped into them.
  Vec u_low, u_high;
};

/// One iteration's record, for the "predicted vs actual cost change" plot.
struct IlqrIteration {
  double cost = 0;                ///< the cost after this iteration
  double expected_reduction = 0;  ///< what the LQ model predicted for the accepted alpha
  double actual_reduction = 0;    ///< cost before minus cost after (0 if rejected)
  double alpha = 0;               ///< the accepted step size (0: none accepted)
  double mu = 0;                  ///< regularisation used in the backward pass
};

struct IlqrResult {
  std::vector<Vec> X;     ///< H + 1 states of the final trajectory (X[0] = x0)
  std::vector<Vec> U;     ///< H actions
  std::vector<Eigen::MatrixXd> K;     ///< H feedback gains (action_dim x state_dim) of the last backward pass
  std::vector<Vec> k;     ///< H feedforward terms of the last backward pass
  double cost = 0;         ///< cost of (X, U)
  double initial_cost = 0; ///< cost of the initial rollout
  bool converged = false;  ///< the relative improvement fell below the tolerance
  std::vector<IlqrIteration> iterations;
};

/// Total cost of rolling `U` (H actions) from x0 through f; fills X (H + 1 states) if not null.
double rollout_cost(const DifferentiableDynamics& f, const IlqrCost& cost, const Vec& x0,
                    const std::vector<Vec>& U, std::vector<Vec>* X = nullptr);

/// iLQR one iteration at a time. begin() rolls out the initial actions; each iterate() is one
/// backward pass (raising mu until every Quu is positive definite) and one forward pass with the
/// backtracking line search, and appends one IlqrIteration to result().iterations (also when no
/// step size was accepted: then the cost is unchanged and mu has grown). Not thread-safe; f and
/// cost must outlive the solver.
class IlqrSolver {
 public:
  IlqrSolver(const DifferentiableDynamics& f, const IlqrCost& cost, IlqrOptions options = {});
  /// Starts from state x0 (state_dim) and the actions U0 (H = U0.size(), each action_dim,
  /// clamped into the bounds), with mu = options.mu_init. Throws std::invalid_argument if U0 is
  /// empty, a dimension does not match f's, or the bounds are not both empty or action_dim long.
  void begin(const Vec& x0, std::vector<Vec> U0);
  /// One iteration. Returns false once the solver has finished (this iteration converged, or mu
  /// passed mu_max); further calls then do nothing and return false. Throws std::logic_error
  /// before begin().
  bool iterate();
  /// True once converged or stuck (mu > mu_max).
  bool finished() const { return finished_; }
  /// The current trajectory (X, U, cost), the last gains and every iteration's record.
  const IlqrResult& result() const { return r_; }
  /// The regularisation the next backward pass starts from.
  double mu() const { return mu_; }
  const IlqrOptions& options() const { return o_; }

 private:
  bool backward_pass(double mu, double& dV1, double& dV2);
  double forward_pass(double alpha);
  void clamp(Vec& u) const;
  void raise_mu();

  const DifferentiableDynamics& f_;
  const IlqrCost& cost_;
  IlqrOptions o_;
  IlqrResult r_;
  std::vector<Vec> Xn_, Un_;  // the forward pass's trial trajectory
  double mu_ = 0, delta_ = 1;
  bool started_ = false, finished_ = false;
};

/// Minimises `cost` over H = U0.size() actions from x0, starting from the actions U0: an
/// IlqrSolver run for at most options.max_iterations iterations.
/// Throws std::invalid_argument if U0 is empty or a dimension does not match f's.
IlqrResult ilqr(const DifferentiableDynamics& f, const IlqrCost& cost, const Vec& x0,
                std::vector<Vec> U0, const IlqrOptions& options = {});

}  // namespace dynalab
