#pragma once
// The pathwise (reparameterisation, "backprop through the model") gradient of a closed-loop
// rollout's return with respect to the policy's parameters: deck 001, "Backpropagate directly
// into the policy?" (version 2.0) and its formula, evaluated backwards (adjoint / BPTT).
//
// Rollout from each start s_0 (a batch of real states): a_t = pi_theta(s_t), s_{t+1} = f(s_t, a_t),
// r_t = r(s_t, a_t, s_{t+1}), J = sum_{t<H} gamma^t r_t, averaged over the starts.
// Reverse mode (REFERENCES.md section 3), with lambda_t = dJ_t/ds_t the total derivative of the
// return-to-go J_t = sum_{k>=t} gamma^(k-t) r_k, lambda_H = 0:
//   mu_{t+1} = dr_t/ds' + gamma lambda_{t+1}             (J_t through s_{t+1})
//   g_t      = dr_t/da + F_a' mu_{t+1}                   (the return's sensitivity to a_t)
//   lambda_t = dr_t/ds + F_s' mu_{t+1} + P_s' g_t        (P_s = d pi / ds)
//   grad     = sum_t gamma^t (d a_t / d theta)' g_t
// Each step is one Jacobian of the dynamics (F_s, F_a) and one backward pass of the policy (it
// gives both (d a_t / d theta)' g_t and P_s' g_t). Options: truncation (the state is detached
// every T steps: lambda_t = 0 where t is a multiple of T, so no gradient crosses more than T
// steps) and clipping of the gradient's global norm.
// A stochastic policy a_t = pi_theta(s_t) + std eps_t is differentiated the same way with its
// standard normal draws eps held fixed (ActionNoise): the reparameterisation (RP) gradient that
// PIPPS compares with the likelihood-ratio one (likelihood_ratio_gradient.h).
// Sources: Parmas, Rasmussen, Peters & Doya, "PIPPS", ICML 2018 (the gradient's explosion and
// its random direction at long H); deck 001, "What's the problem with backprop into policy?".

#include <Eigen/Core>
#include <vector>

#include "core/gradients/differentiable_dynamics.h"
#include "core/gradients/squashed_policy.h"

namespace dynalab {

class Rng;

/// Gaussian exploration around the policy's action: a_t = pi_theta(s_t) + std * eps_t, with the
/// standard normal draws eps fixed in advance (the reparameterisation trick).
struct ActionNoise {
  double std = 0;                     ///< in action units
  std::vector<std::vector<Vec>> eps;  ///< per start, per step: action_dim standard normals
  /// starts x horizon x action_dim draws from `rng`.
  static ActionNoise draw(int starts, int horizon, int action_dim, double std, Rng& rng);
};

/// The standard normal draws of a stochastic model's reparameterised steps
/// (DifferentiableDynamics::sample_batch): per start, per step, state_dim values.
struct StateNoise {
  std::vector<std::vector<Vec>> eps;
  /// starts x horizon x state_dim draws from `rng`.
  static StateNoise draw(int starts, int horizon, int state_dim, Rng& rng);
};

struct PathwiseOptions {
  int horizon = 10;    ///< H, steps of the rollout
  double gamma = 1.0;  ///< discount
  /// Stop gradients through the state every `truncation` steps (0: full backprop).
  int truncation = 0;
  /// Rescale the gradient to this global norm if it is longer (0: no clipping).
  double clip_norm = 0;
  /// Also compute the state Jacobian ds_H/ds_0 = prod_t F_s along each rollout with its actions
  /// held (open loop): the dynamics' own growth, which near an unstable equilibrium the physics
  /// sets (Env::unstable_equilibrium). The policy's feedback (F_a P_s) is left out so that a
  /// balancing policy does not hide it; the gradient itself (above) includes it.
  bool state_jacobian = false;
  /// Exploration noise added to every action (null: the deterministic policy). Must cover the
  /// starts and the horizon.
  const ActionNoise* action_noise = nullptr;
  /// Draws of the model's own spread (null: its mean): each start is then one particle of a
  /// stochastic model, s_{t+1} = mean + sd o eps_t, differentiated with eps fixed (MC-PILCO).
  /// Must cover the starts and the horizon.
  const StateNoise* state_noise = nullptr;
};

struct PathwiseResult {
  double objective = 0;       ///< J averaged over the starts
  Eigen::VectorXd gradient;   ///< dJ/dtheta (params() sized), after clipping
  double gradient_norm = 0;   ///< the norm before clipping
  bool clipped = false;
  /// Per start: the H + 1 states and H actions of the rollout.
  std::vector<std::vector<Vec>> states, actions;
  /// Per start, per step: |g_t| = |dJ_t / da_t|, the return's sensitivity to that action.
  std::vector<std::vector<double>> action_sensitivity;
  /// Per start (if options.state_jacobian): ds_H/ds_0 with actions held (state_dim x state_dim).
  std::vector<Eigen::MatrixXd> state_jacobian;
};

/// The pathwise gradient of the mean return of H-step rollouts of `policy` through `f` and `r`
/// from each of `starts` (each of f.state_dim() = policy.obs_dim()). Throws
/// std::invalid_argument if `starts` is empty, a dimension does not match, or horizon < 1.
PathwiseResult pathwise_gradient(const DifferentiableDynamics& f, const DifferentiableReward& r,
                                 const SquashedPolicy& policy, const std::vector<Vec>& starts,
                                 const PathwiseOptions& options);

/// J (the mean return) alone, by the same rollout: the finite-difference side of gradient checks.
double rollout_return(const DifferentiableDynamics& f, const DifferentiableReward& r,
                      const SquashedPolicy& policy, const std::vector<Vec>& starts, int horizon,
                      double gamma = 1.0, const ActionNoise* action_noise = nullptr,
                      const StateNoise* state_noise = nullptr);

/// Throws std::invalid_argument if `starts` is empty, a dimension does not match, horizon < 1,
/// or `noise` or `state_noise` (if not null) does not cover the starts and the horizon. `who`
/// names the caller.
void check_rollout_inputs(const char* who, const DifferentiableDynamics& f,
                          const SquashedPolicy& policy, const std::vector<Vec>& starts, int horizon,
                          const ActionNoise* noise, const StateNoise* state_noise = nullptr);

}  // namespace dynalab
