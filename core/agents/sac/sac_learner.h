#pragma once
// Soft Actor-Critic, the algorithm without the agent seam (Haarnoja et al. 2018, "Soft
// Actor-Critic Algorithms and Applications", algorithm 1 with the automatic temperature of
// section 5; Stable-Baselines3 sac/sac.py is the reference implementation and its defaults are
// ours). Networks: the squashed Gaussian actor (squashed_gaussian.h), twin critics Q1, Q2 on
// [obs | action] and their Polyak-averaged targets; Adam (core/models/adam.h) for the actor, each
// critic and log_alpha. Actions are in the policy's units (-1, 1); the agent maps them to the
// env's bounds. Everything runs in float32; every random draw comes from the learner's Rng.
//
// One update (SB3's order): sample a batch; actor samples a~ on obs; step log_alpha on
// L_alpha; soft target y with the pre-step alpha; step both critics on L_Q; step the actor on
// L_pi through the just-updated critics; Polyak-average the targets,
// theta_bar <- tau theta + (1 - tau) theta_bar.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/agents/sac/replay_buffer.h"
#include "core/agents/sac/sac_losses.h"
#include "core/config.h"
#include "core/models/adam.h"
#include "core/models/mlp.h"
#include "core/rng.h"

namespace dynalab {

/// The algorithm's hyperparameters (names and defaults as Stable-Baselines3's SAC; the zoo's
/// Pendulum-v1 entry changes learning_rate to 1e-3). The networks' shape, the replay capacity and
/// the initial temperature apply on reset; the rest live, from the next update.
struct SacConfig {
  std::vector<int> hidden = {256, 256};  ///< hidden widths of actor and critics (SB3 net_arch)
  std::string activation = "relu";       ///< hidden activation (SB3: ReLU)
  double learning_rate = 3e-4;           ///< Adam step size of actor, critics and temperature
  int64_t buffer_size = 1000000;         ///< replay capacity, transitions
  int64_t learning_starts = 100;         ///< env steps of random actions (no updates) at the start
  int batch_size = 256;                  ///< minibatch size
  double tau = 0.005;                    ///< Polyak coefficient of the target critics
  double gamma = 0.99;                   ///< discount
  int train_freq = 1;                    ///< env steps between update rounds
  int gradient_steps = 1;                ///< updates per round
  double ent_coef_init = 1.0;            ///< initial temperature alpha (SB3 "auto": 1.0)
  bool target_entropy_auto = true;       ///< target entropy -action_dim (SB3 "auto")
  double target_entropy = -1.0;          ///< the target entropy when target_entropy_auto is false
  int actor_update_frequency = 1;  ///< actor and temperature step every N updates (pytorch_sac)
  int target_update_interval = 1;  ///< Polyak step of the targets every N updates (SB3)

  template <class V>
  void visit(V& v) {
    v.field("hidden", hidden, Range::closed(1, 4096), Apply::on_reset,
            "hidden widths of actor and critics");
    v.choice("activation", activation, activation_names(), Apply::on_reset, "hidden activation");
    v.field("learning_rate", learning_rate, Range::closed(1e-6, 1), Apply::live,
            "Adam step size (all networks)");
    v.field("buffer_size", buffer_size, Range::closed(1, 1e7), Apply::on_reset,
            "replay capacity, transitions");
    v.field("learning_starts", learning_starts, Range::closed(0, 1e9), Apply::live,
            "random actions, no updates, for this many env steps");
    v.field("batch_size", batch_size, Range::closed(1, 65536), Apply::live, "minibatch size");
    v.field("tau", tau, Range::unit(), Apply::live, "Polyak coefficient of the target critics");
    v.field("gamma", gamma, Range::probability(), Apply::live, "discount");
    v.field("train_freq", train_freq, Range::closed(1, 1e6), Apply::live,
            "env steps between update rounds");
    v.field("gradient_steps", gradient_steps, Range::closed(1, 1000), Apply::live,
            "updates per round");
    v.field("ent_coef_init", ent_coef_init, Range::closed(1e-6, 100), Apply::on_reset,
            "initial temperature alpha");
    v.field("target_entropy_auto", target_entropy_auto, Apply::live,
            "target entropy = -action_dim");
    v.field("target_entropy", target_entropy, Range::closed(-100, 100), Apply::live,
            "target entropy when target_entropy_auto is false");
    v.field("actor_update_frequency", actor_update_frequency, Range::closed(1, 1000), Apply::live,
            "updates between actor and temperature steps (mbrl-lib's SAC: 4 in MBPO)");
    v.field("target_update_interval", target_update_interval, Range::closed(1, 1000), Apply::live,
            "updates between Polyak steps of the target critics");
  }
};

/// The losses of one update.
struct SacLosses {
  double critic = 0, actor = 0, temperature = 0;
};

class SacLearner {
 public:
  /// Fresh networks for obs_dim -> action_dim, initialised from rng (the learner keeps it for
  /// its batches and noise). Throws InputError if `cfg.activation` is unknown.
  SacLearner(const SacConfig& cfg, int obs_dim, int action_dim, Rng rng);

  /// A live edit: every field but hidden, activation, buffer_size and ent_coef_init (which keep
  /// their values) applies from the next update.
  void set_config(const SacConfig& cfg);
  /// Stores a transition (action in (-1, 1) units).
  void add(const Vec& obs, const Vec& action, double reward, const Vec& next_obs, bool terminated) {
    buffer_.add(obs, action, reward, next_obs, terminated);
  }
  /// One gradient step of every network (see the header comment) on a batch_size batch from
  /// the learner's own buffer. buffer().size() > 0.
  SacLosses update();
  /// The same step on a batch the caller assembled (MBPO mixes real and model transitions):
  /// rows = transitions, actions in (-1, 1) units, at least one row. The noise of the actor's
  /// samples still comes from the learner's Rng.
  SacLosses update(const ReplayBatch& batch);
  /// The same step with the critics trained on rows the caller chose, against targets the
  /// caller computed (MVE's expanded targets, mbpo/mve_targets.h): critic_x [m, obs_dim +
  /// action_dim] = [obs | action], y [m, 1]; the temperature and the actor learn on batch.obs.
  SacLosses update_with_targets(const ReplayBatch& batch, const Mlp::Mat& critic_x,
                                const Mlp::Mat& y);
  /// The soft value of the target critics, Vbar(s) = min_j Qbar_j(s, a') - alpha log pi(a'|s)
  /// with a' ~ pi(.|s) (the bootstrap of the soft target): [n, 1] for obs [n, obs_dim], the noise
  /// from the learner's Rng.
  Mlp::Mat soft_target_value(const Mlp::Mat& obs);
  /// An action ~ pi(.|obs) in (-1, 1) (exploration).
  Vec sample_action(const Vec& obs);
  /// Actions ~ pi(.|obs) for every row of obs [n, obs_dim]: [n, action_dim] in (-1, 1), the
  /// noise drawn row by row from the learner's Rng (MBPO's model rollouts).
  Mlp::Mat sample_actions(const Mlp::Mat& obs);
  /// tanh(mean(obs)) in (-1, 1) (evaluation).
  Vec deterministic_action(const Vec& obs) const;
  /// deterministic_action as a DeterministicPolicy (for PolicyEvaluation; refers to *this).
  std::function<Vec(const Vec&)> deterministic_policy() const {
    return [this](const Vec& obs) { return deterministic_action(obs); };
  }
  /// Uniform in [-1, 1] per dimension (SB3's warm-up actions, before learning_starts).
  Vec random_action();

  double alpha() const { return std::exp(double(log_alpha_[0])); }
  double target_entropy() const { return target_entropy_; }
  int64_t updates() const { return updates_; }
  const ReplayBuffer& buffer() const { return buffer_; }
  const Mlp& actor() const { return actor_; }
  const Mlp& q1() const { return q1_; }
  const Mlp& q2() const { return q2_; }
  const Mlp& q1_target() const { return q1_target_; }
  const SacConfig& config() const { return cfg_; }

  /// Every piece of state the next updates depend on: networks, targets, Adam moments,
  /// log_alpha, the replay buffer and the Rng.
  void visit_state(StateVisitor& v);

 private:
  /// noise [n, action_dim] of standard normal draws from rng_.
  Mlp::Mat noise(Eigen::Index n);
  /// An update's first half: on an actor turn (every actor_update_frequency-th update) the
  /// actor's samples on obs (kept in pi_) and the temperature's step; if next_obs is not null,
  /// the samples on it for the soft target (kept in next_). Returns alpha before the step (this
  /// update's alpha, as SB3).
  float begin_update(const Mlp::Mat& obs, const Mlp::Mat* next_obs, SacLosses& out);
  /// Its second half: both critics on (x, y), on an actor turn the actor through them, every
  /// target_update_interval-th update the Polyak targets.
  void finish_update(const Mlp::Mat& obs, const Mlp::Mat& x, const Mlp::Mat& y, float alpha,
                     SacLosses& out);

  SacConfig cfg_;
  int obs_dim_, action_dim_;
  double target_entropy_;
  Rng rng_;
  Mlp actor_, q1_, q2_, q1_target_, q2_target_;
  Eigen::VectorXf log_alpha_;  // one value: Adam works on flat vectors
  Adam actor_adam_, q1_adam_, q2_adam_, alpha_adam_;
  ReplayBuffer buffer_;
  int64_t updates_ = 0;
  // Buffers of update(), kept between updates (no state: not saved).
  ReplayBatch batch_;
  SquashedGaussianSample<float> pi_, next_;
  SacWorkspace<float> ws_;
  Mlp::Mat x_, y_;
  Mlp::Vec g1_, g2_, ga_;
};

}  // namespace dynalab
