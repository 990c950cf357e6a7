#pragma once
// The on-policy actor-critic learners PPO and A2C, the algorithms without the agent seam
// (Schulman et al. 2017, "Proximal Policy Optimization Algorithms"; Mnih et al. 2016,
// "Asynchronous Methods for Deep Reinforcement Learning", in its synchronous form A2C).
// Stable-Baselines3's ppo/ppo.py, a2c/a2c.py and common/on_policy_algorithm.py are the reference
// implementations; names and defaults are theirs, and the zoo's `normalize: true` is the
// normalize_observations / normalize_rewards switches (running_mean_std.h).
//
// One env (the seam's real env): SB3's n_envs parallel envs collecting n_steps each become one
// rollout of n_steps = n_envs x n_steps consecutive steps. Per step the learner samples an
// action from the Gaussian policy (gaussian_policy.h) and remembers V(s) and log pi(a|s); the
// env's reward is normalised if asked, and at a time-limit end (not a true termination) gamma
// V(s_final) is added to it (SB3's timeout bootstrap). When the rollout is full: GAE
// (gae.h) with last_value = V(s_T), then the updates, one minibatch step per update() call:
//   PPO: n_epochs passes over the rollout in shuffled minibatches of batch_size, clipped
//        surrogate, advantages normalised per minibatch (normalize_advantage);
//   A2C: one step on the whole rollout, in order, plain policy gradient.
// Each step: the total loss of actor_critic_loss.h, gradients clipped to a global norm of
// max_grad_norm, then Adam (eps 1e-5, SB3's PPO) or RMSprop (alpha 0.99, rms_prop_eps: SB3's
// A2C) on every parameter. The learning rate falls linearly to 0 over
// learning_rate_decay_steps env steps (SB3's "lin_" schedules), or stays constant (0).
// Float32 throughout; every random draw comes from the learner's Rng.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/agents/actor_critic/actor_critic_loss.h"
#include "core/agents/policy_learning/running_mean_std.h"
#include "core/config.h"
#include "core/models/adam.h"
#include "core/models/mlp.h"
#include "core/models/rmsprop.h"
#include "core/rng.h"
#include "core/space.h"

namespace dynalab {

class StateVisitor;

/// What PPO and A2C share (SB3 names). The networks' shape, init and the normalisers apply on
/// reset; the rest live, from the next rollout.
struct ActorCriticConfig {
  std::vector<int> hidden = {64, 64};  ///< hidden widths of the policy and value networks
  std::string activation = "tanh";     ///< hidden activation (SB3: Tanh)
  bool ortho_init = true;              ///< orthogonal init (else core/models/mlp.h's init)
  double learning_rate = 3e-4;
  int64_t learning_rate_decay_steps = 0;  ///< linear to 0 over this many env steps; 0: constant
  int n_steps = 2048;                     ///< env steps per rollout
  double gamma = 0.99;
  double gae_lambda = 0.95;
  double ent_coef = 0.0;
  double vf_coef = 0.5;
  double max_grad_norm = 0.5;
  bool normalize_advantage = true;
  bool use_sde = false;      ///< gSDE exploration (gaussian_policy.h)
  int sde_sample_freq = -1;  ///< steps between gSDE noise draws; <= 0: once per rollout
  double log_std_init = 0.0;
  bool normalize_observations = false;  ///< running obs normalisation (VecNormalize)
  bool normalize_rewards = false;       ///< rewards / running std of the discounted return
  // PPO only
  double clip_range = 0.2;
  int n_epochs = 10;
  int batch_size = 64;
  // A2C only
  bool use_rms_prop = true;
  double rms_prop_eps = 1e-5;

  PolicyGradientLoss loss = PolicyGradientLoss::ppo_clip;

  template <class V>
  void visit_common(V& v) {
    v.field("hidden", hidden, Range::closed(1, 4096), Apply::on_reset,
            "hidden widths of the policy and value networks");
    v.choice("activation", activation, activation_names(), Apply::on_reset, "hidden activation");
    v.field("ortho_init", ortho_init, Apply::on_reset, "orthogonal initialisation (SB3)");
    v.field("learning_rate", learning_rate, Range::closed(1e-7, 1), Apply::live,
            "optimiser step size (at the start of a linear schedule)");
    v.field("learning_rate_decay_steps", learning_rate_decay_steps, Range::closed(0, 1e10),
            Apply::live, "env steps over which the step size falls linearly to 0 (0: constant)");
    v.field("n_steps", n_steps, Range::closed(1, 1e6), Apply::live, "env steps per rollout");
    v.field("gamma", gamma, Range::probability(), Apply::live, "discount");
    v.field("gae_lambda", gae_lambda, Range::probability(), Apply::live, "GAE lambda");
    v.field("ent_coef", ent_coef, Range::closed(0, 10), Apply::live, "entropy bonus weight");
    v.field("vf_coef", vf_coef, Range::closed(0, 100), Apply::live, "value loss weight");
    v.field("max_grad_norm", max_grad_norm, Range::positive(), Apply::live,
            "global gradient norm clip");
    v.field("normalize_advantage", normalize_advantage, Apply::live,
            "normalise advantages per minibatch");
    v.field("use_sde", use_sde, Apply::on_reset, "generalised state-dependent exploration");
    v.field("sde_sample_freq", sde_sample_freq, Range::closed(-1, 1e6), Apply::live,
            "env steps between gSDE noise draws (<= 0: once per rollout)");
    v.field("log_std_init", log_std_init, Range::closed(-20, 2), Apply::on_reset,
            "initial log standard deviation");
    v.field("normalize_observations", normalize_observations, Apply::on_reset,
            "running observation normalisation");
    v.field("normalize_rewards", normalize_rewards, Apply::on_reset,
            "divide rewards by the running std of the discounted return");
  }
};

/// PPO's section "ppo": SB3 PPO defaults.
struct PpoConfig : ActorCriticConfig {
  static constexpr const char* kSection = "ppo";
  PpoConfig() { loss = PolicyGradientLoss::ppo_clip; }
  template <class V>
  void visit(V& v) {
    visit_common(v);
    v.field("clip_range", clip_range, Range::closed(0.001, 10), Apply::live,
            "PPO clip range epsilon");
    v.field("n_epochs", n_epochs, Range::closed(1, 1000), Apply::live, "passes per rollout");
    v.field("batch_size", batch_size, Range::closed(1, 1e6), Apply::live, "minibatch size");
  }
};

/// A2C's section "a2c": SB3 A2C defaults (lr 7e-4, n_steps 5, gae_lambda 1, RMSprop, no
/// advantage normalisation).
struct A2cConfig : ActorCriticConfig {
  static constexpr const char* kSection = "a2c";
  A2cConfig() {
    loss = PolicyGradientLoss::a2c;
    learning_rate = 7e-4;
    n_steps = 5;
    gae_lambda = 1.0;
    normalize_advantage = false;
  }
  template <class V>
  void visit(V& v) {
    visit_common(v);
    v.field("use_rms_prop", use_rms_prop, Apply::on_reset, "RMSprop (else Adam)");
    v.field("rms_prop_eps", rms_prop_eps, Range::closed(1e-12, 1), Apply::live,
            "RMSprop epsilon");
  }
};

/// One rollout: per step the (normalised) observation, the sampled action (env units,
/// unclipped), the reward as learned from, V(s), log pi(a|s), and whether the step ended its
/// episode; after it is full, the advantages and returns.
struct Rollout {
  std::vector<float> obs, actions;
  std::vector<double> rewards, values, log_probs, advantages, returns;
  std::vector<int> episode_ends;
  int size() const { return int(rewards.size()); }
  void clear() { *this = {}; }
};

class ActorCriticLearner {
 public:
  /// Fresh networks for the env's spaces (box action space), initialised from rng (the learner
  /// keeps it for its samples and minibatches). Throws InputError on an unknown activation.
  ActorCriticLearner(const ActorCriticConfig& cfg, const Space& obs_space,
                     const Space& action_space, Rng rng);

  /// A live edit: every field marked live applies from the next rollout.
  void set_config(const ActorCriticConfig& cfg);
  const ActorCriticConfig& config() const { return cfg_; }

  /// An episode begins at obs (the observation normaliser sees it).
  void begin_episode(const Vec& obs);
  /// a ~ pi(.|obs) in env units, unclipped (the env clips); remembered for observe().
  Vec act(const Vec& obs);
  /// The env's answer to the last act(): adds the step to the rollout; when the rollout is
  /// full, computes GAE and queues its updates (updating() turns true). `env_steps`: the run's
  /// env steps so far (the learning rate schedule).
  void observe(double reward, const Vec& next_obs, bool terminated, bool truncated,
               int64_t env_steps);
  /// True while minibatch steps of the last full rollout are pending.
  bool updating() const { return next_minibatch_ < int(minibatch_starts_.size()); }
  /// One minibatch step (updating() must be true); the rollout is cleared after the last one.
  ActorCriticLosses update();

  /// The mean action in env units, unclipped (evaluation; the env clips).
  Vec deterministic_action(const Vec& obs) const;
  /// V(obs) of the value network (raw obs; normalised inside).
  double value(const Vec& obs) const;
  /// Current exploration spread: mean over action dims of sigma at obs (diagonal: state-free).
  double policy_std(const Vec& obs) const;
  /// a ~ N(mu(obs), sigma(obs)^2) per action dim in env units, unclipped, the noise drawn from
  /// `rng` (not the learner's: nothing of the learner changes). With gSDE this is the marginal
  /// of one step (independent noise per call, not the episode-long exploration matrix).
  Vec sample_action(const Vec& obs, Rng& rng) const;

  int64_t updates() const { return updates_; }
  int rollout_size() const { return rollout_.size(); }
  double current_learning_rate() const { return lr_; }
  const Rollout& rollout() const { return rollout_; }
  void visit_state(StateVisitor& v);

 private:
  Mlp::Mat normalized_row(const Vec& obs) const;
  void finish_rollout(const Vec& next_obs, bool episode_end, int64_t env_steps);
  void resample_sde_noise();
  void step_optimizers(const Mlp::Vec& g_net, const Mlp::Vec& g_log_std, const Mlp::Vec& g_value);

  ActorCriticConfig cfg_;
  Space action_space_;
  int obs_dim_, action_dim_;
  Rng rng_;
  Mlp mean_net_, value_net_;
  Mlp::Vec log_std_;
  Mlp::Mat sde_noise_;  ///< gSDE's E [k, action_dim]
  Adam adam_net_, adam_log_std_, adam_value_;
  RmsProp rms_net_, rms_log_std_, rms_value_;
  ObservationNormalizer obs_norm_;
  RewardNormalizer reward_norm_;
  Rollout rollout_;
  // The last act(): its normalised obs, action, V and log pi.
  Vec pending_obs_, pending_action_;
  double pending_value_ = 0, pending_log_prob_ = 0;
  std::vector<int> minibatch_rows_;    ///< the queued minibatches' rows, one after another
  std::vector<int> minibatch_starts_;  ///< where each minibatch starts in minibatch_rows_
  int next_minibatch_ = 0;
  double lr_ = 0;
  int64_t updates_ = 0;
  // Workspaces reused across updates.
  GaussianPass<float> pass_;
  Mlp::Cache value_cache_;
};

}  // namespace dynalab
