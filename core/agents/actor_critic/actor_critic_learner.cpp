#include "core/agents/actor_critic/actor_critic_learner.h"

#include <cmath>
#include <numeric>

#include "core/agents/actor_critic/gae.h"
#include "core/models/orthogonal_init.h"

namespace dynalab {

namespace {

MlpShape net_shape(const ActorCriticConfig& cfg, int in, int out) {
  return MlpShape::of(in, out, cfg.hidden, cfg.activation);
}

/// SB3's gains: sqrt(2) for every hidden layer, `head` for the output layer.
std::vector<double> ortho_gains(const MlpShape& s, double head) {
  std::vector<double> g(size_t(s.layers()), std::sqrt(2.0));
  g.back() = head;
  return g;
}

/// Fisher-Yates shuffle of 0..n-1 with the learner's Rng.
std::vector<int> permutation(int n, Rng& rng) {
  std::vector<int> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  for (int i = n - 1; i > 0; --i) std::swap(p[size_t(i)], p[rng.below(uint64_t(i) + 1)]);
  return p;
}

}  // namespace

ActorCriticLearner::ActorCriticLearner(const ActorCriticConfig& cfg, const Space& obs_space,
                                       const Space& action_space, Rng rng)
    : cfg_(cfg),
      action_space_(action_space),
      obs_dim_(obs_space.dim()),
      action_dim_(action_space.dim()),
      rng_(rng),
      mean_net_(net_shape(cfg, obs_space.dim(), action_space.dim())),
      value_net_(net_shape(cfg, obs_space.dim(), 1)),
      obs_norm_(cfg.normalize_observations, obs_space.dim()),
      reward_norm_(cfg.normalize_rewards, cfg.gamma) {
  if (cfg_.ortho_init) {
    // SB3 ActorCriticPolicy: sqrt(2) hidden, 0.01 action head, 1 value head.
    orthogonal_init(mean_net_, ortho_gains(mean_net_.shape(), 0.01), rng_);
    orthogonal_init(value_net_, ortho_gains(value_net_.shape(), 1.0), rng_);
  } else {
    mean_net_.init(rng_);
    value_net_.init(rng_);
  }
  const int k = cfg_.hidden.empty() ? obs_dim_ : cfg_.hidden.back();
  log_std_ = Mlp::Vec::Constant(cfg_.use_sde ? k * action_dim_ : action_dim_,
                                float(cfg_.log_std_init));
  for (Adam* a : {&adam_net_, &adam_log_std_, &adam_value_}) a->eps = 1e-5;  // SB3 PPO
  lr_ = cfg_.learning_rate;
  pending_obs_ = Vec::Zero(obs_dim_);
  pending_action_ = Vec::Zero(action_dim_);
  resample_sde_noise();
}

void ActorCriticLearner::set_config(const ActorCriticConfig& cfg) {
  ActorCriticConfig c = cfg;
  // What the networks and normalisers were built with stays.
  c.hidden = cfg_.hidden;
  c.activation = cfg_.activation;
  c.ortho_init = cfg_.ortho_init;
  c.use_sde = cfg_.use_sde;
  c.log_std_init = cfg_.log_std_init;
  c.normalize_observations = cfg_.normalize_observations;
  c.normalize_rewards = cfg_.normalize_rewards;
  c.use_rms_prop = cfg_.use_rms_prop;
  c.loss = cfg_.loss;
  cfg_ = c;
  reward_norm_.gamma = c.gamma;
}

Mlp::Mat ActorCriticLearner::normalized_row(const Vec& obs) const {
  return obs_norm_(obs).transpose().cast<float>();
}

void ActorCriticLearner::resample_sde_noise() {
  if (!cfg_.use_sde) return;
  const Eigen::Index k = log_std_.size() / action_dim_;
  sde_noise_.resize(k, action_dim_);
  for (Eigen::Index r = 0; r < k; ++r)  // row by row: the draw order is fixed
    for (int i = 0; i < action_dim_; ++i)
      sde_noise_(r, i) = float(rng_.normal()) * std::exp(log_std_[i * k + r]);
}

void ActorCriticLearner::begin_episode(const Vec& obs) { obs_norm_.observe(obs); }

Vec ActorCriticLearner::act(const Vec& obs) {
  // SB3 draws the gSDE noise at the start of each rollout and every sde_sample_freq steps.
  const int t = rollout_.size();
  if (cfg_.use_sde && t > 0 &&
      (cfg_.sde_sample_freq > 0 ? t % cfg_.sde_sample_freq == 0 : false))
    resample_sde_noise();
  const Mlp::Mat o = normalized_row(obs);
  GaussianPass<float> p;
  gaussian_forward(mean_net_, log_std_, cfg_.use_sde, o, p);
  Mlp::Mat a(1, action_dim_);
  if (cfg_.use_sde) {
    a = p.mean + p.features * sde_noise_;
  } else {
    for (int i = 0; i < action_dim_; ++i)
      a(0, i) = p.mean(0, i) + std::sqrt(p.var(0, i)) * float(rng_.normal());
  }
  pending_obs_ = o.row(0).transpose().cast<double>();
  pending_action_ = a.row(0).transpose().cast<double>();
  pending_log_prob_ = double(gaussian_log_prob(p, a)(0, 0));
  value_net_.forward(o, value_cache_);
  pending_value_ = double(value_cache_.out(0, 0));
  return pending_action_;
}

void ActorCriticLearner::observe(double reward, const Vec& next_obs, bool terminated,
                                 bool truncated, int64_t env_steps) {
  const bool episode_end = terminated || truncated;
  // The next episode's first observation reaches the statistics in begin_episode().
  if (!episode_end) obs_norm_.observe(next_obs);
  double r = reward_norm_(reward, episode_end);
  if (truncated && !terminated) r += cfg_.gamma * value(next_obs);  // SB3's timeout bootstrap
  for (int i = 0; i < obs_dim_; ++i) rollout_.obs.push_back(float(pending_obs_[i]));
  for (int i = 0; i < action_dim_; ++i) rollout_.actions.push_back(float(pending_action_[i]));
  rollout_.rewards.push_back(r);
  rollout_.values.push_back(pending_value_);
  rollout_.log_probs.push_back(pending_log_prob_);
  rollout_.episode_ends.push_back(episode_end ? 1 : 0);
  if (rollout_.size() >= cfg_.n_steps) finish_rollout(next_obs, episode_end, env_steps);
}

void ActorCriticLearner::finish_rollout(const Vec& next_obs, bool episode_end,
                                        int64_t env_steps) {
  const std::vector<uint8_t> ends(rollout_.episode_ends.begin(), rollout_.episode_ends.end());
  const double last_value = episode_end ? 0.0 : value(next_obs);
  GaeResult g = gae(rollout_.rewards, rollout_.values, ends, last_value, cfg_.gamma,
                    cfg_.gae_lambda);
  rollout_.advantages = std::move(g.advantages);
  rollout_.returns = std::move(g.returns);

  // SB3 sets the step size once per train() from the progress so far.
  lr_ = cfg_.learning_rate;
  if (cfg_.learning_rate_decay_steps > 0)
    lr_ *= std::max(0.0, 1.0 - double(env_steps) / double(cfg_.learning_rate_decay_steps));

  const int n = rollout_.size();
  minibatch_rows_.clear();
  minibatch_starts_.clear();
  next_minibatch_ = 0;
  if (cfg_.loss == PolicyGradientLoss::a2c) {
    // A2C: the whole rollout, in order, once.
    minibatch_rows_.resize(size_t(n));
    std::iota(minibatch_rows_.begin(), minibatch_rows_.end(), 0);
    minibatch_starts_.push_back(0);
    return;
  }
  for (int e = 0; e < cfg_.n_epochs; ++e) {
    const std::vector<int> p = permutation(n, rng_);
    for (int s = 0; s < n; s += cfg_.batch_size)
      minibatch_starts_.push_back(int(minibatch_rows_.size()) + s);
    minibatch_rows_.insert(minibatch_rows_.end(), p.begin(), p.end());
  }
}

ActorCriticLosses ActorCriticLearner::update() {
  const int n = rollout_.size();
  const int epoch_rows = n;
  const int begin = minibatch_starts_[size_t(next_minibatch_)];
  // A minibatch ends at the next start or at the end of its epoch's rows.
  const int epoch_end = (begin / epoch_rows + 1) * epoch_rows;
  const int end = next_minibatch_ + 1 < int(minibatch_starts_.size())
                      ? std::min(minibatch_starts_[size_t(next_minibatch_) + 1], epoch_end)
                      : epoch_end;
  const int m = end - begin;
  Mlp::Mat obs(m, obs_dim_), actions(m, action_dim_), old_lp(m, 1), adv(m, 1), ret(m, 1);
  for (int r = 0; r < m; ++r) {
    const int i = minibatch_rows_[size_t(begin + r)];
    for (int c = 0; c < obs_dim_; ++c) obs(r, c) = rollout_.obs[size_t(i * obs_dim_ + c)];
    for (int c = 0; c < action_dim_; ++c)
      actions(r, c) = rollout_.actions[size_t(i * action_dim_ + c)];
    old_lp(r, 0) = float(rollout_.log_probs[size_t(i)]);
    adv(r, 0) = float(rollout_.advantages[size_t(i)]);
    ret(r, 0) = float(rollout_.returns[size_t(i)]);
  }
  // SB3 normalises per minibatch when it has more than one sample (torch's unbiased std).
  if (cfg_.normalize_advantage && m > 1) {
    const float mean = adv.mean();
    const float sd = std::sqrt((adv.array() - mean).square().sum() / float(m - 1));
    adv = ((adv.array() - mean) / (sd + 1e-8f)).matrix();
  }
  Mlp::Vec g_net = Mlp::Vec::Zero(mean_net_.params().size());
  Mlp::Vec g_log_std = Mlp::Vec::Zero(log_std_.size());
  Mlp::Vec g_value = Mlp::Vec::Zero(value_net_.params().size());
  const ActorCriticLosses l =
      actor_critic_loss(mean_net_, log_std_, cfg_.use_sde, value_net_, obs, actions, old_lp, adv,
                        ret, cfg_.loss, cfg_.clip_range, cfg_.ent_coef, cfg_.vf_coef, pass_,
                        value_cache_, g_net, g_log_std, g_value);
  step_optimizers(g_net, g_log_std, g_value);
  ++updates_;
  if (++next_minibatch_ == int(minibatch_starts_.size())) {
    rollout_.clear();
    minibatch_rows_.clear();
    minibatch_starts_.clear();
    next_minibatch_ = 0;
    resample_sde_noise();  // SB3 draws fresh gSDE noise at the start of the next rollout
  }
  return l;
}

void ActorCriticLearner::step_optimizers(const Mlp::Vec& g_net, const Mlp::Vec& g_log_std,
                                         const Mlp::Vec& g_value) {
  // clip_grad_norm_ over all parameters at once (SB3: one optimiser for the whole policy).
  const double norm = std::sqrt(double(g_net.squaredNorm()) + double(g_log_std.squaredNorm()) +
                                double(g_value.squaredNorm()));
  const float scale = norm > cfg_.max_grad_norm ? float(cfg_.max_grad_norm / (norm + 1e-6)) : 1.f;
  if (cfg_.loss == PolicyGradientLoss::a2c && cfg_.use_rms_prop) {
    for (RmsProp* r : {&rms_net_, &rms_log_std_, &rms_value_}) r->eps = cfg_.rms_prop_eps;
    rms_net_.step(mean_net_.params(), scale * g_net, lr_);
    rms_log_std_.step(log_std_, scale * g_log_std, lr_);
    rms_value_.step(value_net_.params(), scale * g_value, lr_);
    return;
  }
  adam_net_.step(mean_net_.params(), scale * g_net, lr_, 0, nullptr);
  adam_log_std_.step(log_std_, scale * g_log_std, lr_, 0, nullptr);
  adam_value_.step(value_net_.params(), scale * g_value, lr_, 0, nullptr);
}

Vec ActorCriticLearner::deterministic_action(const Vec& obs) const {
  Mlp::Cache c;
  mean_net_.forward(normalized_row(obs), c);
  return c.out.row(0).transpose().cast<double>();
}

double ActorCriticLearner::value(const Vec& obs) const {
  Mlp::Cache c;
  value_net_.forward(normalized_row(obs), c);
  return double(c.out(0, 0));
}

double ActorCriticLearner::policy_std(const Vec& obs) const {
  GaussianPass<float> p;
  gaussian_forward(mean_net_, log_std_, cfg_.use_sde, normalized_row(obs), p);
  return double(p.var.array().sqrt().mean());
}

Vec ActorCriticLearner::sample_action(const Vec& obs, Rng& rng) const {
  GaussianPass<float> p;
  gaussian_forward(mean_net_, log_std_, cfg_.use_sde, normalized_row(obs), p);
  Vec a(action_dim_);
  for (int i = 0; i < action_dim_; ++i)
    a[i] = double(p.mean(0, i)) + std::sqrt(double(p.var(0, i))) * rng.normal();
  return a;
}

}  // namespace dynalab
