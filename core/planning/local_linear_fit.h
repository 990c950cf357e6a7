#pragma once
// Time-varying linear models fitted from a few rollouts, one per time step (Levine & Abbeel 2014,
// "Learning Neural Network Policies with Guided Policy Search under Unknown Dynamics", section
// 3.1): x_{t+1} = A_t x_t + B_t u_t + c_t + noise, by least squares over the N rollouts' step-t
// transitions. With too few rollouts (N < state_dim + action_dim + 1) the fit is underdetermined;
// a ridge term pulls it toward a prior (the global model's linearisation, Levine & Abbeel's
// point: a few samples plus a prior), or toward zero without one.

#include <Eigen/Core>
#include <vector>

#include "core/space.h"

namespace dynalab {

struct LocalLinearModel {
  std::vector<Eigen::MatrixXd> A;  ///< H matrices, state_dim x state_dim
  std::vector<Eigen::MatrixXd> B;  ///< H matrices, state_dim x action_dim
  std::vector<Vec> c;              ///< H offsets, state_dim
  /// H residual covariances (state_dim x state_dim, divided by N): the linear-Gaussian model's
  /// noise; zero for noise-free rollouts of a linear system.
  std::vector<Eigen::MatrixXd> noise_cov;
  int horizon() const { return int(A.size()); }
};

/// Fits the model per step t from rollouts X[i] (H + 1 states) and U[i] (H actions), i < N, by
///   min over W_t = [A_t B_t c_t] of  sum_i |x_{i,t+1} - W_t [x_{i,t}; u_{i,t}; 1]|^2
///                                    + ridge |W_t - W0_t|^2,
/// W0 from `prior` (same horizon and sizes) or zero. ridge = 0 is plain least squares (exact
/// on noise-free rollouts of a linear system once the inputs span their space).
/// Throws std::invalid_argument on no rollouts, ragged lengths or sizes, ridge < 0, or a prior
/// of another shape.
LocalLinearModel fit_local_linear(const std::vector<std::vector<Vec>>& X,
                                  const std::vector<std::vector<Vec>>& U, double ridge,
                                  const LocalLinearModel* prior = nullptr);

}  // namespace dynalab
