#pragma once
// The trajectory distribution of a linear-Gaussian controller under linear-Gaussian dynamics
// (Levine & Abbeel, NIPS 2014, section 3): x_0 ~ N(mu_0, S_0), u_t | x_t ~ p(u | x) and
// x_{t+1} = A_t x_t + B_t u_t + c_t + noise (LocalLinearModel's noise_cov) keep every marginal
// Gaussian, so a forward pass gives the state-action means and covariances exactly. On them rest
// the KL divergence between two controllers' trajectory distributions (the constraint of the
// KL step) and the "Laplace" estimate of a controller's expected cost (cbfinn/gps
// traj_opt_lqr_python.py: forward, estimate_cost; traj_opt_utils.py: traj_distr_kl_alt).

#include <Eigen/Core>
#include <vector>

#include "core/agents/gps/linear_gaussian_controller.h"
#include "core/agents/gps/trajectory_cost.h"
#include "core/planning/local_linear_fit.h"
#include "core/space.h"

namespace dynalab {

struct TrajectoryMarginals {
  std::vector<Vec> mean;             ///< T means of [x_t; u_t] (state_dim + action_dim)
  std::vector<Eigen::MatrixXd> cov;  ///< T covariances of [x_t; u_t]
  Vec final_mean;                    ///< mean of x_T (state_dim)
  Eigen::MatrixXd final_cov;         ///< covariance of x_T
  /// T.
  int horizon() const { return int(mean.size()); }
  /// The mean state at step t <= T (the nominal trajectory's state).
  Vec state_mean(int t) const;
};

/// The marginals of `controller` under `dynamics` (same horizon T and sizes) from x_0 ~ N(x0_mean,
/// x0_cov). Throws std::invalid_argument on a horizon or size mismatch.
TrajectoryMarginals forward_pass(const LinearGaussianController& controller, const LocalLinearModel& dynamics,
                                 const Vec& x0_mean, const Eigen::MatrixXd& x0_cov);

/// Per step t < T: E_{x_t ~ p_new} KL(p_new(u_t | x_t) || p_old(u_t | x_t)) in nats, over the state
/// marginals `m` of p_new (forward_pass of p_new). Both controllers share dynamics and the start
/// distribution, so the sum over t is KL(p_new(tau) || p_old(tau)) of the two trajectory
/// distributions (the chain rule of KL). Clamped at 0 against round-off, as cbfinn/gps does.
std::vector<double> kl_per_step(const TrajectoryMarginals& m, const LinearGaussianController& p_new,
                                const LinearGaussianController& p_old);
/// The sum of kl_per_step: KL(p_new(tau) || p_old(tau)) in nats.
double trajectory_kl(const TrajectoryMarginals& m, const LinearGaussianController& p_new,
                     const LinearGaussianController& p_old);

/// The expected cost sum_t E[l_t(y_t)] under the marginals (exact for the quadratic model:
/// cc + cv' mu + 1/2 mu' Cm mu + 1/2 tr(Cm S)), cbfinn/gps's Laplace estimate.
double expected_cost(const QuadraticTrajectoryCost& cost, const TrajectoryMarginals& m);

}  // namespace dynalab
