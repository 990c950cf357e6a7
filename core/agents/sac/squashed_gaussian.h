#pragma once
// The tanh-squashed Gaussian policy of SAC (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms
// and Applications", appendix C; Stable-Baselines3 sac/policies.py Actor +
// SquashedDiagGaussianDistribution). One MLP maps obs [n, obs_dim] to [n, 2 * action_dim]: the
// mean head (left columns) and the log_std head (right columns, clamped to [-20, 2] as SB3's
// LOG_STD_MIN / LOG_STD_MAX). A sample is reparameterised, u = mean + exp(log_std) * eps with
// eps ~ N(0, I), action = tanh(u) in (-1, 1) (the agent scales it to the env's bounds), and
//   log pi(action | obs) = sum_i [ -eps_i^2 / 2 - log_std_i - log(2 pi) / 2 - log(1 - tanh^2 u_i) ]
// with log(1 - tanh^2 u) = 2 (log 2 - u - softplus(-2u)), exact and finite for any u (SB3 adds
// 1e-6 inside the log instead; the exact form keeps the gradient tests exact). The deterministic
// action is tanh(mean). Templated on the scalar: the agent runs float, the tests double.

#include <cmath>

#include "core/models/losses.h"
#include "core/models/mlp.h"

namespace dynalab {

/// SB3's clamp of the log_std head (sac/policies.py LOG_STD_MIN, LOG_STD_MAX).
constexpr double kSacLogStdMin = -20.0, kSacLogStdMax = 2.0;

/// One batch of policy samples and what the backward pass needs. Shapes [n, action_dim] unless
/// noted.
template <class T>
struct SquashedGaussianSample {
  using Mat = typename MlpT<T>::Mat;
  typename MlpT<T>::Cache cache;  ///< the actor's forward pass
  Mat mean, log_std, eps, u, action;
  Mat log_std_free;  ///< 1 where the log_std head is inside the clamp (gradient passes), else 0
  Mat log_prob;      ///< [n, 1]
  Mat du, dout;      ///< backward's buffers, kept so that repeated updates do not reallocate
};

/// Samples actions for obs [n, obs_dim] with the standard normal noise eps [n, action_dim]
/// (drawn by the caller through its Rng): fills s (see SquashedGaussianSample).
template <class T>
void squashed_gaussian_sample(const MlpT<T>& actor,
                              const Eigen::Ref<const typename MlpT<T>::Mat>& obs,
                              const typename MlpT<T>::Mat& eps, SquashedGaussianSample<T>& s) {
  const Eigen::Index n = obs.rows(), a = eps.cols();
  actor.forward(obs, s.cache);
  s.mean = s.cache.out.leftCols(a);
  const auto raw = s.cache.out.rightCols(a).array();
  s.log_std = raw.max(T(kSacLogStdMin)).min(T(kSacLogStdMax)).matrix();
  s.log_std_free = (raw >= T(kSacLogStdMin) && raw <= T(kSacLogStdMax)).template cast<T>().matrix();
  s.eps = eps;
  s.u = (s.mean.array() + s.log_std.array().exp() * eps.array()).matrix();
  s.action = s.u.array().tanh().matrix();
  s.log_prob.resize(n, 1);
  const T half_log_2pi = T(0.5 * std::log(2.0 * M_PI)), log2 = T(std::log(2.0));
  for (Eigen::Index r = 0; r < n; ++r) {
    T lp = 0;
    for (Eigen::Index i = 0; i < a; ++i) {
      const T u = s.u(r, i);
      const T log_one_minus_tanh2 = T(2) * (log2 - u - softplus(T(-2) * u));
      lp += -T(0.5) * eps(r, i) * eps(r, i) - s.log_std(r, i) - half_log_2pi - log_one_minus_tanh2;
    }
    s.log_prob(r, 0) = lp;
  }
}

/// Backprop through squashed_gaussian_sample (eps held fixed, the reparameterisation trick):
/// given dL/daction [n, action_dim] and dL/dlog_prob [n, 1], ADDS dL/dactor.params() to `grad`.
template <class T>
void squashed_gaussian_backward(const MlpT<T>& actor,
                                const Eigen::Ref<const typename MlpT<T>::Mat>& obs,
                                SquashedGaussianSample<T>& s, const typename MlpT<T>::Mat& d_action,
                                const typename MlpT<T>::Mat& d_log_prob,
                                typename MlpT<T>::Vec& grad) {
  const Eigen::Index n = obs.rows(), a = s.u.cols();
  // d log_prob / du_i = 2 tanh(u_i) (from -log(1 - tanh^2 u)); d action / du = 1 - tanh^2 u.
  const auto dlp = d_log_prob.col(0).array().replicate(1, a);
  s.du = (d_action.array() * (T(1) - s.action.array().square()) + dlp * T(2) * s.action.array())
             .matrix();
  s.dout.resize(n, 2 * a);
  s.dout.leftCols(a) = s.du;
  // du / dlog_std = std * eps; d log_prob / dlog_std = -1 directly.
  s.dout.rightCols(a) =
      ((s.du.array() * s.log_std.array().exp() * s.eps.array() - dlp) * s.log_std_free.array())
          .matrix();
  actor.backward(obs, s.dout, s.cache, grad, nullptr);
}

/// The deterministic action tanh(mean) for obs [n, obs_dim]: [n, action_dim].
template <class T>
typename MlpT<T>::Mat squashed_gaussian_mode(const MlpT<T>& actor,
                                             const Eigen::Ref<const typename MlpT<T>::Mat>& obs,
                                             int action_dim) {
  typename MlpT<T>::Cache c;
  actor.forward(obs, c);
  return c.out.leftCols(action_dim).array().tanh().matrix();
}

}  // namespace dynalab
