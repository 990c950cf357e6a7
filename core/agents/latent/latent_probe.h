#pragma once
// What the latent space learned, measured on held-out frames (issue 20's bars):
//   - a linear probe: ridge regression from z = g(o) to the env's true state (the pendulum's
//     cos, sin of the angle and angular velocity), fitted on one half of the held-out frames and
//     scored by R^2 on the other half; a collapsed or untrained encoder scores near 0;
//   - the k-step open-loop image prediction error: from o_t, z is rolled k steps through the
//     latent dynamics under the actions really taken and decoded, against the real newest frame
//     at t + k, per pixel; the baseline "repeat the last frame" predicts frame t for every k;
//   - the first two principal components of z, for the latent map.
// The held-out set is collected once per run by rollouts of a uniformly random policy from the
// env's own random starts on a copy of the real env (never in the replay).

#include <Eigen/Core>
#include <vector>

#include "core/agents/latent/latent_model.h"
#include "core/env.h"
#include "core/rng.h"

namespace dynalab {

/// Held-out rollouts: per rollout T+1 observations, T actions (scaled to [-1, 1]) and the true
/// states (the pixels env's inner observation) of each observation.
struct HeldOutFrames {
  std::vector<LatentModel::Mat> obs;      ///< per rollout: (T+1) x obs_dim
  std::vector<LatentModel::Mat> actions;  ///< per rollout: T x action_dim
  std::vector<Eigen::MatrixXd> truth;     ///< per rollout: (T+1) x true state dim
  std::vector<Eigen::VectorXd> rewards;   ///< per rollout: T rewards
  /// All observations and true states, rollout after rollout.
  LatentModel::Mat all_obs() const;
  Eigen::MatrixXd all_truth() const;
};

/// `rollouts` random-policy rollouts of `steps` steps on a copy of `pixels_env` (an env with a
/// pixel_layout(); std::invalid_argument otherwise), reset from Rng `rng`'s draws.
HeldOutFrames collect_held_out(const Env& pixels_env, int rollouts, int steps, Rng& rng);

/// R^2 (mean over the target columns) of a ridge regression (penalty `ridge` per row, with a
/// bias) from the rows of X, each column standardised, to Y, fitted on the even rows and scored
/// on the odd rows. Invariant to the scale of each column of X.
double linear_probe_r2(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y, double ridge = 1e-3);
/// The same probe's R^2 per target column of Y.
Eigen::VectorXd linear_probe_r2_per_target(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y, double ridge = 1e-3);

/// R^2 of the reward head's one-step prediction r(g(o_t), a_t) (unscaled by reward_shift +
/// reward_scale * r^) against the held-out rewards; NaN without any.
double reward_r2(const LatentModel& model, const HeldOutFrames& held_out, double reward_shift, double reward_scale);

/// Per-pixel mean squared error of the k-step open-loop prediction, k = 1..K (index k-1), from
/// every start with K further steps; `repeat` gets the repeat-the-last-frame baseline's. NaN if
/// no held-out rollout has K steps.
void k_step_errors(const LatentModel& model, const HeldOutFrames& held_out, int K, std::vector<double>& model_error,
                   std::vector<double>& repeat);

/// The rows of X projected on its first two principal components (n x 2), centred.
Eigen::MatrixXd principal_plane(const Eigen::MatrixXd& X);

}  // namespace dynalab
