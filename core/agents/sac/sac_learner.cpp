#include "core/agents/sac/sac_learner.h"

#include <cmath>

#include "core/agents/sac/sac_losses.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

MlpShape net_shape(const SacConfig& cfg, int in, int out) {
  return MlpShape::of(in, out, cfg.hidden, cfg.activation);
}

/// theta_bar <- tau theta + (1 - tau) theta_bar (SB3 polyak_update).
void polyak(Mlp& target, const Mlp& online, double tau) {
  target.params() = float(tau) * online.params() + float(1 - tau) * target.params();
}

void step(Adam& adam, Mlp& net, const Mlp::Vec& grad, double lr) {
  adam.step(net.params(), grad, lr, 0, nullptr);
}

}  // namespace

SacLearner::SacLearner(const SacConfig& cfg, int obs_dim, int action_dim, Rng rng)
    : cfg_(cfg),
      obs_dim_(obs_dim),
      action_dim_(action_dim),
      target_entropy_(cfg.target_entropy_auto ? -double(action_dim) : cfg.target_entropy),
      rng_(rng),
      actor_(net_shape(cfg, obs_dim, 2 * action_dim)),
      q1_(net_shape(cfg, obs_dim + action_dim, 1)),
      q2_(net_shape(cfg, obs_dim + action_dim, 1)),
      log_alpha_(Eigen::VectorXf::Constant(1, float(std::log(cfg.ent_coef_init)))),
      buffer_(obs_dim, action_dim, cfg.buffer_size) {
  actor_.init(rng_);
  q1_.init(rng_);
  q2_.init(rng_);
  q1_target_ = q1_;  // targets start equal to the critics (SB3 load_state_dict)
  q2_target_ = q2_;
}

void SacLearner::set_config(const SacConfig& cfg) {
  SacConfig c = cfg;
  c.hidden = cfg_.hidden;  // the networks, the buffer and the initial alpha exist already
  c.activation = cfg_.activation;
  c.buffer_size = cfg_.buffer_size;
  c.ent_coef_init = cfg_.ent_coef_init;
  cfg_ = c;
  target_entropy_ = c.target_entropy_auto ? -double(action_dim_) : c.target_entropy;
}

Mlp::Mat SacLearner::noise(Eigen::Index n) {
  Mlp::Mat eps(n, action_dim_);
  for (Eigen::Index r = 0; r < n;
       ++r)  // row by row: the draw order does not depend on storage order
    for (int i = 0; i < action_dim_; ++i) eps(r, i) = float(rng_.normal());
  return eps;
}

SacLosses SacLearner::update() {
  buffer_.sample(cfg_.batch_size, rng_, batch_);
  return update(batch_);
}

SacLosses SacLearner::update(const ReplayBatch& batch) {
  SacLosses out;
  const float alpha = begin_update(batch.obs, &batch.next_obs, out);
  // The soft target with this update's alpha.
  soft_q_target(q1_target_, q2_target_, batch.next_obs, next_, batch.rewards, batch.dones, alpha,
                float(cfg_.gamma), ws_, y_);
  critic_input<float>(batch.obs, batch.actions, x_);
  finish_update(batch.obs, x_, y_, alpha, out);
  return out;
}

SacLosses SacLearner::update_with_targets(const ReplayBatch& batch, const Mlp::Mat& critic_x,
                                          const Mlp::Mat& y) {
  SacLosses out;
  const float alpha = begin_update(batch.obs, nullptr, out);
  finish_update(batch.obs, critic_x, y, alpha, out);
  return out;
}

Mlp::Mat SacLearner::soft_target_value(const Mlp::Mat& obs) {
  const Eigen::Index n = obs.rows();
  squashed_gaussian_sample(actor_, obs, noise(n), next_);
  Mlp::Mat v;
  // r = 0, done = 0, gamma = 1: the target's bootstrap term alone.
  soft_q_target(q1_target_, q2_target_, obs, next_, Mlp::Mat::Zero(n, 1), Mlp::Mat::Zero(n, 1),
                std::exp(log_alpha_[0]), 1.0f, ws_, v);
  return v;
}

float SacLearner::begin_update(const Mlp::Mat& obs, const Mlp::Mat* next_obs, SacLosses& out) {
  const float alpha = std::exp(log_alpha_[0]);
  const bool actor_turn = updates_ % cfg_.actor_update_frequency == 0;
  // Actions of the current policy on obs (also the actor's loss below), then the samples on
  // next_obs: the noise in this order.
  if (actor_turn) squashed_gaussian_sample(actor_, obs, noise(obs.rows()), pi_);
  if (next_obs) squashed_gaussian_sample(actor_, *next_obs, noise(next_obs->rows()), next_);
  if (!actor_turn) return alpha;  // a critic-only update
  // Temperature: its step uses log_prob with the actor fixed; alpha for this update's targets
  // and actor loss is the value before the step (SB3 computes ent_coef first).
  float d_log_alpha = 0;
  out.temperature =
      temperature_loss(log_alpha_[0], pi_.log_prob, float(target_entropy_), &d_log_alpha);
  alpha_adam_.step(log_alpha_, Eigen::VectorXf::Constant(1, d_log_alpha), cfg_.learning_rate, 0,
                   nullptr);
  return alpha;
}

void SacLearner::finish_update(const Mlp::Mat& obs, const Mlp::Mat& x, const Mlp::Mat& y,
                               float alpha, SacLosses& out) {
  g1_.setZero(q1_.params().size());
  g2_.setZero(q2_.params().size());
  out.critic = critic_loss(q1_, x, y, g1_, ws_.q1) + critic_loss(q2_, x, y, g2_, ws_.q2);
  step(q1_adam_, q1_, g1_, cfg_.learning_rate);
  step(q2_adam_, q2_, g2_, cfg_.learning_rate);

  // Actor, through the updated critics.
  if (updates_ % cfg_.actor_update_frequency == 0) {
    ga_.setZero(actor_.params().size());
    out.actor = actor_loss(actor_, q1_, q2_, obs, pi_, alpha, ga_, ws_);
    step(actor_adam_, actor_, ga_, cfg_.learning_rate);
  }
  if (updates_ % cfg_.target_update_interval == 0) {
    polyak(q1_target_, q1_, cfg_.tau);
    polyak(q2_target_, q2_, cfg_.tau);
  }
  ++updates_;
}

Vec SacLearner::sample_action(const Vec& obs) {
  const Mlp::Mat o = obs.transpose().cast<float>();
  return sample_actions(o).row(0).transpose().cast<double>();
}

Mlp::Mat SacLearner::sample_actions(const Mlp::Mat& obs) {
  SquashedGaussianSample<float> s;
  squashed_gaussian_sample(actor_, obs, noise(obs.rows()), s);
  return s.action;
}

Vec SacLearner::deterministic_action(const Vec& obs) const {
  const Mlp::Mat o = obs.transpose().cast<float>();
  return squashed_gaussian_mode(actor_, o, action_dim_).row(0).transpose().cast<double>();
}

Vec SacLearner::random_action() {
  Vec a(action_dim_);
  for (int i = 0; i < action_dim_; ++i) a[i] = rng_.uniform(-1, 1);
  return a;
}

}  // namespace dynalab
