#pragma once
// The likelihood-ratio (score-function, REINFORCE) gradient of the mean return of H-step
// rollouts of a Gaussian policy a_t = pi_theta(s_t) + std eps_t through a model f: deck 001,
// "Model-free optimization with a model" (version 2.5: policy gradient on the model's
// trajectories "does not require multiplying many Jacobians"):
//   grad = (1/N) sum_i sum_t gamma^t  d log pi(a_it | s_it) / d theta  (G_it - b_it),
//   d log pi(a | s) / d theta = (d pi_theta(s) / d theta)' (a - pi_theta(s)) / std^2
//                             = (d pi_theta(s) / d theta)' eps / std,
// with G_it = sum_{k>=t} gamma^(k-t) r_ik the return-to-go (an action does not score the rewards
// before it) and b_it the leave-one-out baseline, the mean of G_jt over the other starts j != i:
// independent of start i's own draws, so it lowers the variance without biasing the estimate.
// The model is only stepped, never differentiated: this is why the estimator stays usable where
// the pathwise one (pathwise_gradient.h) explodes (Parmas et al., "PIPPS", ICML 2018).
// Sources: Williams 1992 (REINFORCE); deck 001; PIPPS section 2.

#include <Eigen/Core>
#include <vector>

#include "core/gradients/differentiable_dynamics.h"
#include "core/gradients/pathwise_gradient.h"
#include "core/gradients/squashed_policy.h"

namespace dynalab {

struct LikelihoodRatioOptions {
  int horizon = 10;      ///< H, steps of the rollout
  double gamma = 1.0;    ///< discount
  bool baseline = true;  ///< subtract the leave-one-out mean return-to-go (needs >= 2 starts)
};

struct LikelihoodRatioResult {
  double objective = 0;      ///< J averaged over the starts (the noisy rollouts' returns)
  Eigen::VectorXd gradient;  ///< the estimate of dJ/dtheta (params() sized)
};

/// The likelihood-ratio gradient from the rollouts of each of `starts` with exploration
/// `noise` (std > 0, covering the starts and the horizon). Throws std::invalid_argument as
/// pathwise_gradient does, and if noise.std <= 0.
LikelihoodRatioResult likelihood_ratio_gradient(const DifferentiableDynamics& f,
                                                const DifferentiableReward& r,
                                                const SquashedPolicy& policy,
                                                const std::vector<Vec>& starts,
                                                const ActionNoise& noise,
                                                const LikelihoodRatioOptions& options);

}  // namespace dynalab
