#pragma once
// What goes wrong with backprop into the policy as the horizon grows (deck 001, "What's the
// problem with backprop into policy?"; Parmas et al., "PIPPS", ICML 2018): for each horizon H,
//  - log10 |dJ/dtheta|, the pathwise gradient's norm (core/gradients/pathwise_gradient.h);
//  - the cosine between the gradients of disjoint batches of start states (the mean over every
//    pair of batches): near 1 the direction means something, near 0 it is as good as random;
//  - log10 of the largest singular value of ds_H/ds_0 along the rollouts with their actions
//    held (PathwiseOptions::state_jacobian), whose growth near an unstable equilibrium the
//    physics sets (Env::unstable_equilibrium).
//  - with exploration noise (action_noise_std > 0, version 2.5's stochastic policy): the
//    variance of the pathwise (reparameterisation, RP) estimator and of the likelihood-ratio (LR)
//    one (likelihood_ratio_gradient.h), each the trace of the covariance of the batch estimates
//    over the batches; PIPPS: RP's is the smaller at short H and explodes at long H, LR's grows
//    slowly, and the curves cross.
// The growth rate is the least-squares slope of ln sigma_max against H (per step); a detached
// or truncated implementation has sigma_max = 0 and no slope. equilibrium_growth_rate gives the
// rate of a model's own linearisation at an unstable equilibrium: for the true env the physics'
// rate, for a learned model the instability it has learned.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/figure.h"

#include "core/gradients/pathwise_gradient.h"

namespace dynalab {

struct GradientVsHorizonOptions {
  std::vector<int> horizons = {5, 10, 20, 40, 80, 160};
  double gamma = 1.0;
  double clip_norm = 0;  ///< as PathwiseOptions::clip_norm
  int truncation = 0;    ///< as PathwiseOptions::truncation
  /// Std of the Gaussian exploration noise, in action units (0: the deterministic policy, and
  /// no variances). Batch b's draws at horizon H come from Rng::derive(noise_seed, {H, b}).
  double action_noise_std = 0;
  uint64_t noise_seed = 0;
};

struct GradientVsHorizonRow {
  int horizon = 0;
  double log10_gradient_norm = 0;  ///< mean over the batches of log10 |dJ/dtheta| (unclipped)
  /// Mean over pairs of batches of cos(grad_i, grad_j) (clipping rescales, so it keeps this).
  double cosine = 0;
  /// Mean over all starts of log10 sigma_max(ds_H/ds_0); -inf if a Jacobian is zero.
  double log10_state_jacobian = 0;
  double objective = 0;            ///< J at this H, mean over all starts
  /// log10 of the variance (trace of the covariance over batches) of the batch's RP and LR
  /// gradient estimates (unclipped); NaN without action noise.
  double log10_pathwise_variance = std::numeric_limits<double>::quiet_NaN();
  double log10_likelihood_ratio_variance = std::numeric_limits<double>::quiet_NaN();
};

struct GradientVsHorizon {
  std::vector<GradientVsHorizonRow> rows;
  /// Slope of ln sigma_max(ds_H/ds_0) against H, per step (NaN with fewer than 2 finite points).
  double growth_rate_per_step = 0;
  /// The analysed model's rate at the env's unstable equilibrium (equilibrium_growth_rate), per
  /// step; NaN if not computed.
  double equilibrium_rate_per_step = std::numeric_limits<double>::quiet_NaN();
};

/// ln of the spectral radius of F_s = df/ds at (obs, action): the per-step rate at which the
/// linearisation of `f` grows there. At the pendulum's upright equilibrium (zero action) the
/// true env gives the physics' rate x control_dt (to second order in dt).
double equilibrium_growth_rate(const DifferentiableDynamics& f, const Vec& obs, const Vec& action);

/// The least-squares slope of ln sigma_max(ds_H/ds_0) against H over `rows` (per step); NaN
/// with fewer than two rows of finite sigma.
double growth_rate_per_step(const std::vector<GradientVsHorizonRow>& rows);

/// The rows for every horizon of `options` from `batches` of start states (at least two,
/// each non-empty; disjoint for the cosine to mean anything). Throws std::invalid_argument with
/// fewer than two batches, and as pathwise_gradient does.
GradientVsHorizon gradient_vs_horizon(const DifferentiableDynamics& f,
                                      const DifferentiableReward& r, const SquashedPolicy& policy,
                                      const std::vector<std::vector<Vec>>& batches,
                                      const GradientVsHorizonOptions& options);

/// The analysis as two plots, appended to `figures` (empty series before the first analysis):
///  gradient_norm_vs_horizon: log10 |dJ/dtheta| and log10 sigma_max(ds_H/ds_0) against H, and,
///    if the env has an unstable equilibrium, the physics' slope (rate x control_dt / ln 10 per
///    step) drawn from sigma's first point ("physics' rate"), and the analysed model's own rate
///    at the equilibrium (if computed) drawn the same way ("model's rate"). Short names: the
///    legend shares a small plot with four lines;
///  gradient_cosine_vs_horizon: the cosine between the two batches' gradients against H;
///  gradient_variance_vs_horizon (if with_variance): log10 of the RP and LR variances.
void add_gradient_vs_horizon_figures(std::vector<Figure>& figures, const GradientVsHorizon& g,
                                     const std::optional<UnstableEquilibrium>& physics,
                                     bool with_variance = false);

}  // namespace dynalab
