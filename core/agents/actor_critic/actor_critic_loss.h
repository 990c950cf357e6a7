#pragma once
// The losses of one PPO or A2C minibatch step and their gradients (Stable-Baselines3 ppo/ppo.py
// and a2c/a2c.py train(); one optimiser over all parameters, so one total loss):
//   loss = policy_loss + ent_coef * (-mean H[pi(.|s)]) + vf_coef * mean (R - V(s))^2
//   PPO (Schulman et al. 2017), rho = pi(a|s) / pi_old(a|s) = exp(log_prob - old_log_prob):
//     policy_loss = -mean min(rho A, clip(rho, 1 - eps, 1 + eps) A)
//     Its gradient is zero where the clipped branch is the minimum (A > 0 with rho > 1 + eps,
//     A < 0 with rho < 1 - eps): the step cannot push the ratio further out.
//   A2C (Mnih et al. 2016, synchronous): policy_loss = -mean A log pi(a|s).
// Templated on the scalar: the learner runs float, the gradient tests double.

#include <algorithm>
#include <cmath>

#include "core/agents/actor_critic/gaussian_policy.h"

namespace dynalab {

enum class PolicyGradientLoss { ppo_clip, a2c };

/// The terms of one step's loss (means over the minibatch).
struct ActorCriticLosses {
  double total = 0, policy = 0, value = 0, entropy = 0;
  double clip_fraction = 0;  ///< PPO: share of samples with |rho - 1| > eps (SB3's clip_fraction)
};

/// True where PPO's clipped surrogate passes a gradient to log pi (see above).
inline bool ppo_gradient_active(double ratio, double advantage, double clip_range) {
  return !((advantage > 0 && ratio > 1 + clip_range) || (advantage < 0 && ratio < 1 - clip_range));
}

/// One minibatch [n rows]: obs [n, obs_dim], actions [n, action_dim] (env units, unclipped, as
/// sampled), old_log_prob, advantages, returns [n, 1]. Fills the losses and ADDS the gradients
/// of the total loss to g_net (mean network), g_log_std and g_value (value network).
/// fixed_features: see gaussian_forward.
template <class T>
ActorCriticLosses actor_critic_loss(const MlpT<T>& mean_net, const typename MlpT<T>::Vec& log_std,
                                    bool sde, const MlpT<T>& value_net,
                                    const typename MlpT<T>::Mat& obs,
                                    const typename MlpT<T>::Mat& actions,
                                    const typename MlpT<T>::Mat& old_log_prob,
                                    const typename MlpT<T>::Mat& advantages,
                                    const typename MlpT<T>::Mat& returns, PolicyGradientLoss kind,
                                    double clip_range, double ent_coef, double vf_coef,
                                    GaussianPass<T>& pass, typename MlpT<T>::Cache& value_cache,
                                    typename MlpT<T>::Vec& g_net, typename MlpT<T>::Vec& g_log_std,
                                    typename MlpT<T>::Vec& g_value,
                                    const typename MlpT<T>::Mat* fixed_features = nullptr) {
  using Mat = typename MlpT<T>::Mat;
  const Eigen::Index n = obs.rows();
  const T inv_n = T(1) / T(n);
  ActorCriticLosses out;

  gaussian_forward(mean_net, log_std, sde, obs, pass, fixed_features);
  const Mat log_prob = gaussian_log_prob(pass, actions);
  const Mat entropy = gaussian_entropy(pass);
  Mat d_log_prob(n, 1);
  int clipped = 0;
  for (Eigen::Index r = 0; r < n; ++r) {
    const double A = double(advantages(r, 0));
    if (kind == PolicyGradientLoss::a2c) {
      out.policy -= A * double(log_prob(r, 0));
      d_log_prob(r, 0) = T(-A) * inv_n;
      continue;
    }
    const double ratio = std::exp(double(log_prob(r, 0) - old_log_prob(r, 0)));
    const double clipped_ratio = std::clamp(ratio, 1 - clip_range, 1 + clip_range);
    out.policy -= std::min(ratio * A, clipped_ratio * A);
    clipped += std::abs(ratio - 1) > clip_range;
    // d(-rho A)/dlog_prob = -rho A where the unclipped branch is active.
    d_log_prob(r, 0) = ppo_gradient_active(ratio, A, clip_range) ? T(-ratio * A) * inv_n : T(0);
  }
  out.policy /= double(n);
  out.clip_fraction = double(clipped) / double(n);
  out.entropy = double(entropy.mean());
  const Mat d_entropy = Mat::Constant(n, 1, T(-ent_coef) * inv_n);
  gaussian_backward(mean_net, log_std, sde, obs, actions, d_log_prob, d_entropy, pass, g_net,
                    g_log_std);

  value_net.forward(obs, value_cache);
  const Mat err = value_cache.out - returns;
  out.value = double(err.squaredNorm()) / double(n);
  const Mat d_value = T(2 * vf_coef) * inv_n * err;
  value_net.backward(obs, d_value, value_cache, g_value, nullptr);

  out.total = out.policy - ent_coef * out.entropy + vf_coef * out.value;
  return out;
}

}  // namespace dynalab
