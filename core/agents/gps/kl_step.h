#pragma once
// The KL-constrained trajectory update of Levine & Abbeel ("Learning Neural Network Policies with
// Guided Policy Search under Unknown Dynamics", NIPS 2014, section 3.2), as cbfinn/gps implements
// it (python/gps/algorithm/traj_opt/traj_opt_lqr_python.py, TrajOptLQRPython with its defaults:
// one constraint on the whole trajectory, KL measured under the new distribution):
//
//   min_p E_p[sum_t l_t(x_t, u_t)]   s.t.   KL(p(tau) || p_old(tau)) <= epsilon.
//
// Its Lagrangian with multiplier eta is, divided by eta, the maximum-entropy LQR problem with the
// augmented cost
//
//   l_t(x, u) / eta - log p_old(u | x)
//
// under the fitted linear-Gaussian dynamics, whose solution is linear-Gaussian:
// u = K x + k + N(0, Quu^-1), K = -Quu^-1 Qux, k = -Quu^-1 Qu (kl_lqr_backward). Dual descent on
// eta (kl_constrained_update): a large eta keeps p close to p_old (eta -> infinity returns p_old),
// a small one follows the cost. eta is bracketed in [min_eta, max_eta] = [1e-8, 1e16] and moved
// geometrically (the bracket's geometric mean, at most a factor 10 per try) until the KL is within
// `tolerance` (10 %) of epsilon. Where Quu is not positive definite the pass is repeated with
// eta + del, del doubling from 1e-4 (cbfinn/gps's del0).
//
// Convention (cbfinn/gps's, cons_per_step = false): the caller's kl_step is per time step and the
// constraint is on the whole trajectory, epsilon = kl_step * step_mult * T (T = horizon).
// In MDGPS (Montgomery & Levine 2016) p_old is the global policy's linearisation, not the previous
// local controller; the code here does not care which.

#include <Eigen/Core>
#include <optional>

#include "core/agents/gps/linear_gaussian_controller.h"
#include "core/agents/gps/trajectory_cost.h"
#include "core/agents/gps/trajectory_distribution.h"
#include "core/planning/local_linear_fit.h"

namespace dynalab {

struct KlStepOptions {
  double min_eta = 1e-8;   ///< lower end of eta's bracket
  double max_eta = 1e16;   ///< upper end; also where the non-PD fix-up gives up
  int max_iterations = 50; ///< dual steps (cbfinn/gps DGD_MAX_ITER)
  double tolerance = 0.1;  ///< accept |KL - epsilon| < tolerance * epsilon
  double del0 = 1e-4;      ///< first increase of eta when Quu is not positive definite
};

/// The LQR backward pass with the augmented cost l_t / eta - log p_old(u | x) under `dynamics`
/// (T steps, V_T = 0): the new controller (K, k, C = Quu^-1). nullopt if Quu is not positive
/// definite at some step. eta > 0. Sizes must agree (std::invalid_argument otherwise).
std::optional<LinearGaussianController> kl_lqr_backward(const LocalLinearModel& dynamics,
                                                        const QuadraticTrajectoryCost& cost,
                                                        const LinearGaussianController& p_old, double eta);

struct KlStepResult {
  LinearGaussianController controller;  ///< the new controller (p_old if no pass succeeded)
  TrajectoryMarginals marginals;        ///< its marginals under the dynamics
  double eta = 0;                       ///< the multiplier it was solved with
  double kl = 0;                        ///< KL(p_new(tau) || p_old(tau)), nats
  double target = 0;                    ///< epsilon
  int iterations = 0;                   ///< backward passes of the dual search
  bool converged = false;               ///< |kl - target| < tolerance * target
  bool solved = true;                   ///< false: no eta <= max_eta gave a PD Quu (p_old kept)
};

/// Dual descent on eta from `eta0` until KL(p_new || p_old) is within tolerance of `kl_target`
/// (nats over the whole trajectory, > 0), the KL taken under p_new's marginals from x_0 ~
/// N(x0_mean, x0_cov). Without convergence after max_iterations the last pass is returned.
KlStepResult kl_constrained_update(const LocalLinearModel& dynamics, const QuadraticTrajectoryCost& cost,
                                   const LinearGaussianController& p_old, const Vec& x0_mean,
                                   const Eigen::MatrixXd& x0_cov, double kl_target, double eta0,
                                   const KlStepOptions& options = {});

}  // namespace dynalab
