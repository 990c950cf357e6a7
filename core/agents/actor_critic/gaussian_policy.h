#pragma once
// The Gaussian policy of PPO and A2C (Stable-Baselines3 ActorCriticPolicy with
// DiagGaussianDistribution, or with gSDE: StateDependentNoiseDistribution, full_std, no expln,
// learn_features off). The mean network maps obs [n, obs_dim] to the mean action [n, action_dim]
// in the env's units (not squashed; the agent clips to the bounds before stepping, as SB3).
// The spread is a free parameter log_std:
//   diagonal: log_std [action_dim], sigma_i = exp(log_std_i), the same in every state;
//   gSDE (Raffin et al., "Smooth Exploration for Robotic RL", CoRL 2021): log_std [k, action_dim]
//     (column-major) over the k features phi(s) of the mean network's last hidden layer (held
//     fixed: no gradient reaches the network through phi), sigma_i(s)^2 = sum_j phi_j(s)^2
//     exp(2 log_std_ji) + 1e-6, and exploration noise phi(s) E with E ~ N(0, exp(log_std))
//     drawn every sde_sample_freq steps, so consecutive actions vary smoothly.
// log pi(a|s) = sum_i [ -(a_i - mu_i)^2 / (2 sigma_i^2) - log sigma_i - log(2 pi) / 2 ],
// entropy    = sum_i [ 1/2 + log(2 pi) / 2 + log sigma_i ].
// Templated on the scalar: the learner runs float, the gradient tests double.

#include <cmath>

#include "core/models/mlp.h"

namespace dynalab {

/// gSDE's variance floor (SB3 StateDependentNoiseDistribution.epsilon).
constexpr double kSdeEpsilon = 1e-6;

/// One forward pass of the policy on a batch and what the backward pass needs. [n, action_dim]
/// unless noted.
template <class T>
struct GaussianPass {
  using Mat = typename MlpT<T>::Mat;
  typename MlpT<T>::Cache cache;  ///< the mean network's forward pass
  Mat mean, var;                  ///< mu and sigma^2
  Mat features;                   ///< gSDE's phi(s) [n, k] (empty for the diagonal policy)
  Mat dmean;                      ///< backward's buffer
};

/// The mean network's last hidden layer for obs (the input itself without hidden layers).
template <class T>
const typename MlpT<T>::Mat& last_hidden(const typename MlpT<T>::Cache& c,
                                         const typename MlpT<T>::Mat& obs) {
  return c.h.empty() ? obs : c.h.back();
}

/// Fills p.mean and p.var for obs [n, obs_dim]. log_std has action_dim entries (diagonal) or
/// k * action_dim (gSDE, k = the last hidden width). gSDE's phi(s) is a stop-gradient:
/// `fixed_features` [n, k], if given, replaces the pass's own phi (the gradient tests hold it
/// fixed to get the function whose gradient gaussian_backward returns).
template <class T>
void gaussian_forward(const MlpT<T>& mean_net, const typename MlpT<T>::Vec& log_std, bool sde,
                      const typename MlpT<T>::Mat& obs, GaussianPass<T>& p,
                      const typename MlpT<T>::Mat* fixed_features = nullptr) {
  using Mat = typename MlpT<T>::Mat;
  mean_net.forward(obs, p.cache);
  p.mean = p.cache.out;
  const Eigen::Index n = obs.rows(), a = p.mean.cols();
  if (!sde) {
    p.features.resize(0, 0);
    p.var = (T(2) * log_std.transpose().array()).exp().replicate(n, 1).matrix();
    return;
  }
  p.features = fixed_features ? *fixed_features : last_hidden<T>(p.cache, obs);
  const Eigen::Index k = p.features.cols();
  const Mat std2 = (T(2) * log_std.array()).exp().matrix().reshaped(k, a);
  p.var = (p.features.array().square().matrix() * std2).array() + T(kSdeEpsilon);
}

/// log pi(actions | obs) per row [n, 1] for a pass p.
template <class T>
typename MlpT<T>::Mat gaussian_log_prob(const GaussianPass<T>& p,
                                        const typename MlpT<T>::Mat& actions) {
  const T half_log_2pi = T(0.5 * std::log(2.0 * M_PI));
  return (-(actions - p.mean).array().square() / (T(2) * p.var.array()) -
          T(0.5) * p.var.array().log() - half_log_2pi)
      .rowwise()
      .sum()
      .matrix();
}

/// Entropy per row [n, 1] for a pass p.
template <class T>
typename MlpT<T>::Mat gaussian_entropy(const GaussianPass<T>& p) {
  const T c = T(0.5 + 0.5 * std::log(2.0 * M_PI));
  return (T(0.5) * p.var.array().log() + c).rowwise().sum().matrix();
}

/// Backprop of dL/dlog_prob [n, 1] and dL/dentropy [n, 1] through the pass p: ADDS dL/d(mean
/// network params) to grad_net and dL/dlog_std to grad_log_std.
template <class T>
void gaussian_backward(const MlpT<T>& mean_net, const typename MlpT<T>::Vec& log_std, bool sde,
                       const typename MlpT<T>::Mat& obs, const typename MlpT<T>::Mat& actions,
                       const typename MlpT<T>::Mat& d_log_prob,
                       const typename MlpT<T>::Mat& d_entropy, GaussianPass<T>& p,
                       typename MlpT<T>::Vec& grad_net, typename MlpT<T>::Vec& grad_log_std) {
  using Mat = typename MlpT<T>::Mat;
  const Eigen::Index a = p.mean.cols();
  const auto diff = (actions - p.mean).array();
  const auto dlp = d_log_prob.col(0).array().replicate(1, a);
  const auto dent = d_entropy.col(0).array().replicate(1, a);
  p.dmean = (dlp * diff / p.var.array()).matrix();
  // dL/dsigma^2 from log_prob and entropy.
  const Mat dvar = ((dlp * (diff.square() / p.var.array() - T(1)) + dent) /
                    (T(2) * p.var.array()))
                       .matrix();
  if (!sde) {
    // sigma^2 = exp(2 log_std): dsigma^2/dlog_std = 2 sigma^2.
    grad_log_std += (dvar.array() * T(2) * p.var.array()).colwise().sum().transpose().matrix();
  } else {
    const Eigen::Index k = p.features.cols();
    const Mat std2 = (T(2) * log_std.array()).exp().matrix().reshaped(k, a);
    // sigma_i^2 = sum_j phi_j^2 std2_ji: dsigma_i^2/dlog_std_ji = 2 phi_j^2 std2_ji.
    const Mat g = (p.features.array().square().matrix().transpose() * dvar).cwiseProduct(std2) * T(2);
    grad_log_std += g.reshaped();
  }
  mean_net.backward(obs, p.dmean, p.cache, grad_net, nullptr);
}

}  // namespace dynalab
