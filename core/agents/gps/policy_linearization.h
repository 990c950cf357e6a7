#pragma once
// The global policy's linearisation around one condition's samples, the p_old of MDGPS's C-step
// (Montgomery & Levine, NIPS 2016, section 4: the local controller is updated under a KL bound to
// the global policy's local linear-Gaussian approximation). As cbfinn/gps does
// (python/gps/algorithm/policy/policy_prior.py, PolicyPrior.fit; algorithm_mdgps.py,
// _update_policy_fit): per step t, fit_linear_gaussian of the N points [x_t; mu_theta(x_t)] with
// a weak constant prior (mean 0, Phi = strength * blockdiag(I, 1e-5 I), m = 0, n0 = strength;
// strength 1e-4) and 1e-8 on the state block at t = 0, which gives the least-squares gains where
// the samples spread and none where they do not; the covariance is the fit's residual covariance
// plus the policy's own variance.

#include <vector>

#include "core/agents/gps/linear_gaussian_controller.h"
#include "core/space.h"

namespace dynalab {

/// pi_theta's linearisation from N >= 1 rollouts X[i] (at least T states; t < T used), the
/// policy's mean actions there (policy_mean[i][t], action_dim) and its variance (action_dim, > 0).
/// Throws std::invalid_argument on ragged or mis-sized input.
LinearGaussianController linearize_policy(const std::vector<std::vector<Vec>>& X,
                                          const std::vector<std::vector<Vec>>& policy_mean, const Vec& variance,
                                          int T, double strength = 1e-4);

/// pi_theta's linearisation from its derivatives instead: per step t the gain is the mean of the
/// policy's Jacobians at the N sample states, the offset makes the linear map exact on average
/// (k_t = mean of mu(x_i) - K_t x_i) and the covariance is the policy's variance plus the spread
/// of the residuals mu(x_i) - K_t x_i - k_t (the policy's curvature over the samples). Unlike the
/// regression, every state direction gets the policy's own gain, also those the N samples do not
/// spread in. policy_jacobian[i][t] is action_dim x state_dim.
LinearGaussianController linearize_policy_jacobian(const std::vector<std::vector<Vec>>& X,
                                                   const std::vector<std::vector<Vec>>& policy_mean,
                                                   const std::vector<std::vector<Eigen::MatrixXd>>& policy_jacobian,
                                                   const Vec& variance, int T);

}  // namespace dynalab
