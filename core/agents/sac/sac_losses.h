#pragma once
// The three SAC losses and their gradients (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms
// and Applications", eqs. 5-7, 18; as Stable-Baselines3 sac/sac.py train()). Batches are rows;
// critics take [obs | action] (action in the policy's (-1, 1) units) and output [n, 1].
//   critic target  y = r + gamma (1 - done) (min_j Qbar_j(s', a') - alpha log pi(a'|s')),  a' ~
//   pi(.|s') critic loss    L_Q = sum_j 1/2 mean_n (Q_j(s, a) - y)^2            (SB3: 0.5 * sum of
//   MSEs) actor loss     L_pi = mean_n (alpha log pi(a~|s) - min_j Q_j(s, a~)),  a~ ~ pi(.|s)
//   reparameterised temperature    L_alpha = -log_alpha * mean_n (log pi(a~|s) + target_entropy)
//   (log pi held fixed)
// Gradients are ADDED to the caller's vectors (sized like the parameters). Templated on the
// scalar: the agent runs float, the gradient tests double against finite differences. The
// buffers live in a SacWorkspace that the caller keeps: an update then allocates nothing new
// (fresh batch-sized temporaries each update cost more in page faults than the products).

#include "core/agents/sac/squashed_gaussian.h"

namespace dynalab {

/// One critic's buffers: its forward pass, dL/dQ [n, 1] and dL/dx [n, obs_dim + action_dim].
template <class T>
struct CriticBuffers {
  typename MlpT<T>::Cache cache;
  typename MlpT<T>::Mat dq, dx;
};

/// Buffers of the loss functions, reused from one update to the next.
template <class T>
struct SacWorkspace {
  using Mat = typename MlpT<T>::Mat;
  CriticBuffers<T> q1, q2;
  Mat x;  ///< [obs | action], the critics' input
  Mat d_action, d_log_prob;
};

/// x = [obs | action] rows, the critics' input.
template <class T>
void critic_input(const typename MlpT<T>::Mat& obs, const typename MlpT<T>::Mat& action,
                  typename MlpT<T>::Mat& x) {
  x.resize(obs.rows(), obs.cols() + action.cols());
  x.leftCols(obs.cols()) = obs;
  x.rightCols(action.cols()) = action;
}

/// The soft Bellman target y [n, 1] from the target critics and next-state samples `next`
/// (squashed_gaussian_sample on next_obs); rewards and dones [n, 1].
template <class T>
void soft_q_target(const MlpT<T>& q1_target, const MlpT<T>& q2_target,
                   const typename MlpT<T>::Mat& next_obs, const SquashedGaussianSample<T>& next,
                   const typename MlpT<T>::Mat& rewards, const typename MlpT<T>::Mat& dones,
                   T alpha, T gamma, SacWorkspace<T>& ws, typename MlpT<T>::Mat& y) {
  critic_input<T>(next_obs, next.action, ws.x);
  auto& c1 = ws.q1.cache;
  auto& c2 = ws.q2.cache;
  q1_target.forward(ws.x, c1);
  q2_target.forward(ws.x, c2);
  y = (rewards.array() +
       gamma * (T(1) - dones.array()) *
           (c1.out.cwiseMin(c2.out).array() - alpha * next.log_prob.array()))
          .matrix();
}

/// One critic's 1/2 mean_n (Q(x) - y)^2 for x = [obs | action] [n, obs_dim + action_dim], y [n, 1];
/// adds dL/dq.params() to grad.
template <class T>
T critic_loss(const MlpT<T>& q, const typename MlpT<T>::Mat& x, const typename MlpT<T>::Mat& y,
              typename MlpT<T>::Vec& grad, CriticBuffers<T>& b) {
  q.forward(x, b.cache);
  const T loss = T(0.5) * mse_loss<T>(b.cache.out, y, &b.dq);
  b.dq *= T(0.5);
  q.backward(x, b.dq, b.cache, grad, nullptr);
  return loss;
}

/// The actor loss for obs [n, obs_dim] and its samples s (squashed_gaussian_sample with the
/// batch's noise); adds dL/dactor.params() to actor_grad. The critics' own parameter gradients
/// are not wanted (SB3 steps only the actor on this loss).
template <class T>
T actor_loss(const MlpT<T>& actor, const MlpT<T>& q1, const MlpT<T>& q2,
             const typename MlpT<T>::Mat& obs, SquashedGaussianSample<T>& s, T alpha,
             typename MlpT<T>::Vec& actor_grad, SacWorkspace<T>& ws) {
  using Mat = typename MlpT<T>::Mat;
  const Eigen::Index n = obs.rows(), a = s.action.cols();
  critic_input<T>(obs, s.action, ws.x);
  CriticBuffers<T>& b1 = ws.q1;
  CriticBuffers<T>& b2 = ws.q2;
  q1.forward(ws.x, b1.cache);
  q2.forward(ws.x, b2.cache);
  // d/dQ_j of -mean min(Q1, Q2): -1/n on the rows where critic j is the smaller one.
  const auto first = (b1.cache.out.array() <= b2.cache.out.array());
  b1.dq = first.select(Mat::Constant(n, 1, T(-1) / T(n)), Mat::Zero(n, 1));
  b2.dq = first.select(Mat::Zero(n, 1), Mat::Constant(n, 1, T(-1) / T(n)));
  q1.input_gradient(ws.x, b1.dq, b1.cache, b1.dx);
  q2.input_gradient(ws.x, b2.dq, b2.cache, b2.dx);
  ws.d_action = b1.dx.rightCols(a) + b2.dx.rightCols(a);
  ws.d_log_prob.setConstant(n, 1, alpha / T(n));
  squashed_gaussian_backward(actor, obs, s, ws.d_action, ws.d_log_prob, actor_grad);
  return (alpha * s.log_prob.array() - b1.cache.out.cwiseMin(b2.cache.out).array()).mean();
}

/// The temperature loss -log_alpha * mean(log_prob + target_entropy) and its derivative in
/// log_alpha (log_prob [n, 1] held fixed, as SB3's .detach()).
template <class T>
T temperature_loss(T log_alpha, const typename MlpT<T>::Mat& log_prob, T target_entropy,
                   T* d_log_alpha) {
  const T m = log_prob.array().mean() + target_entropy;
  if (d_log_alpha) *d_log_alpha = -m;
  return -log_alpha * m;
}

}  // namespace dynalab
