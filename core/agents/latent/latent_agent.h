#pragma once
// The "latent" family: model-based RL from pixels (lecture deck 000, "model-based reinforcement
// learning with latent state"; deck 003, "planning with visual foresight"; deck 004's latent
// models). The env is a `pixels` env (envs/pixels_env.h): the agent sees only the last frames of
// a camera, never the state. The loop is the lecture's v1.5 MPC loop with a latent model
// (latent_model.h) in place of the state-space ensemble:
//   1. run a uniformly random policy for `random_steps` steps;
//   2. fit the latent model: `updates_per_fit` Adam steps on batches of `batch_size` sequences of
//      train_horizon steps from the replay (frame_replay.h), `steps_per_tick` per tick;
//   3. every step, encode the real frames z = g(o_t) (blended with the model's prediction from
//      the last step if `filter_weight` > 0), let the planner (CEM by default) choose an
//      action sequence by its predicted latent return (latent_evaluator.h), execute the first
//      action (MPC), with Gaussian exploration noise if `action_noise` > 0 (PlaNet's);
//   4. after every episode, refit on all the data (2.) and measure what the latent learned on a
//      held-out set of random-policy frames (latent_probe.h): reconstruction error, the
//      k-step open-loop image prediction error against "repeat the last frame", and a linear
//      probe from z to the true state.
// What the user sees (LatentView): the visual-foresight filmstrip, the decoded frames of the
// chosen plan with the real frames below as they arrive, and the latent map.
// References (their published settings: ../shared/REFERENCES.md section 8, README): E2C (Watter
// et al. 2015), PlaNet (Hafner et al. 2019: an RSSM with a stochastic latent and a KL with free
// nats, conv encoder/decoder on 64x64 RGB, CEM horizon 12, population 1000, 10 iterations), World
// Models (Ha & Schmidhuber 2018: VAE z = 32, MDN-RNN 256, CMA-ES controller). dynalab keeps
// their loop (learn a latent model from frames, plan or act in latent space, refit) and drops
// the stochastic latent, the KL, the learned recurrent belief (two stacked frames carry the
// velocity; `filter_weight` is a fixed-gain stand-in) and the convolutions (MLPs on 32x32 gray
// frames: two CPU cores).
//
// Own metric columns per episode: reconstruction_mse (per pixel, held out), prediction_mse
// (per pixel, prediction_steps open loop), repeat_mse (the repeat-last-frame baseline at the
// same k), prediction_gain (repeat_mse / prediction_mse: above 1 beats repeating the last
// frame), probe_r2 and probe_r2_<name> per true-state dim (the pendulum's cos_theta,
// sin_theta, theta_dot) (linear probe z -> true state, held out), reward_r2 (the reward head's
// one-step R^2, held out), fit_loss, fit_consistency, fit_reward (the last fit's mean
// training loss and its consistency and reward terms, unweighted).
// Outputs: latent_map.csv       run,point,pc1,pc2,<true state names...>     (each run's last evaluation)
//          k_step_error.csv     run,fits,k,model_mse,repeat_mse             (after every fit)

#include <map>
#include <memory>

#include "core/agent.h"
#include "core/agents/latent/frame_replay.h"
#include "core/agents/latent/latent_evaluator.h"
#include "core/agents/latent/latent_model.h"
#include "core/agents/latent/latent_probe.h"
#include "core/agents/registry.h"
#include "core/planning/planner_config.h"
#include "core/planning/trajectory_optimizer.h"

namespace dynalab {

/// The family's fields (top level "latent", "model", "planner").
struct LatentSettings {
  int random_steps = 200;      ///< random-policy steps before the first fit
  int batch_size = 32;         ///< sequences per gradient step
  int first_fit_updates = 1500;  ///< gradient steps of the first fit
  int updates_per_fit = 1000;  ///< gradient steps of every later fit (after each episode)
  int steps_per_tick = 10;     ///< gradient steps per tick (the GUI stays responsive)
  int held_out_rollouts = 30;  ///< random-policy rollouts of the held-out set
  int held_out_steps = 20;     ///< steps per held-out rollout
  int prediction_steps = 10;   ///< k of the reported open-loop image prediction error
  int filmstrip_frames = 8;    ///< predicted frames shown in the filmstrip, at most the plan's horizon
  /// Std of Gaussian noise added to each executed planned action, in units of half the action
  /// range (then clipped to it): exploration around the plan, PlaNet's 0.3 (mbrl-lib's planet
  /// action_noise_std, ../shared/REFERENCES.md section 8). 0: the plan as chosen.
  double action_noise = 0;
  /// Weight w of the model's own prediction in the latent the planner starts from, a fixed-gain
  /// filter over the episode:
  ///   z_t = (1 - w) g(o_t) + w (z_(t-1) + h(z_(t-1), a_(t-1)))
  /// z_(t-1) the latent the previous step's plan started from, a_(t-1) the action executed. Two
  /// frames carry the velocity only as a difference of about a pixel; the model's prediction
  /// carries what the earlier frames showed. It is PlaNet's recurrent belief (the RSSM's
  /// posterior combines the prior from the dynamics with the encoded frame, Hafner et al. 2019)
  /// reduced to one fixed number; 0: the encoder alone (no memory). The first planned step of an
  /// episode has no prediction and takes g(o_t). Measured on the pixel pendulum over seven seeds,
  /// w = 0.25 leaves the mean return unchanged (README, "Models from pixels"), so the preset has 0.
  double filter_weight = 0;
  /// Weight b of a novelty bonus for exploring: every predicted step of a plan also scores
  ///   + b min_j |z' - z_j|   (Euclidean, latent units)
  /// z_j the latents of up to kNoveltyPoints of the replay's observations (evenly strided),
  /// encoded after every fit: optimism about latents the model has not seen. It is the nearest-
  /// neighbour novelty of NGU's episodic memory (Badia et al. 2020), over the whole replay;
  /// Plan2Explore (Sekar et al. 2020) scores an ensemble's disagreement instead. Point obstacles
  /// needs it: the reward head never sees the disc inside the goal and rates it below the walls
  /// beside it (README, "Models from pixels"). 0: the reward head alone (the preset).
  double novelty_weight = 0;
  /// Planned episodes that get the novelty bonus; after them the reward head plans alone (0:
  /// every episode). Plan2Explore's two phases (Sekar et al. 2020): explore, then exploit what
  /// was found. The bonus never fades by itself, as every unvisited latent keeps paying: on point
  /// obstacles it pulled the disc away from a goal already found (README, "Models from pixels").
  int novelty_episodes = 0;
  /// Episodes that terminated end in an absorbing state the model trains on: past the terminal
  /// step a sequence repeats the last observation with reward 0 (frame_replay.h), so imagined
  /// rollouts learn that reaching a terminal state ends the costs. false: sequences stop at the
  /// episode's end (the terminal step is then rare in training and what follows it unknown).
  bool absorbing_states = true;
  /// Replay observations the novelty bonus compares with (a plan step costs this many distances).
  static constexpr int kNoveltyPoints = 512;

  template <class V>
  void visit(V& v) {
    v.field("random_steps", random_steps, Range::closed(2, 1e7), Apply::on_reset, "random-policy steps before the first fit");
    v.field("batch_size", batch_size, Range::closed(1, 4096), Apply::live, "sequences per gradient step");
    v.field("first_fit_updates", first_fit_updates, Range::closed(0, 1e7), Apply::live, "gradient steps of the first fit");
    v.field("updates_per_fit", updates_per_fit, Range::closed(0, 1e7), Apply::live, "gradient steps of each refit after an episode");
    v.field("steps_per_tick", steps_per_tick, Range::closed(1, 1e6), Apply::live, "gradient steps per tick");
    v.field("held_out_rollouts", held_out_rollouts, Range::closed(1, 10000), Apply::on_reset, "random-policy rollouts held out for the probes");
    v.field("held_out_steps", held_out_steps, Range::closed(2, 10000), Apply::on_reset, "steps per held-out rollout");
    v.field("prediction_steps", prediction_steps, Range::closed(1, 1000), Apply::on_reset,
            "k of the reported k-step open-loop image prediction error");
    v.field("filmstrip_frames", filmstrip_frames, Range::closed(1, 64), Apply::live,
            "predicted frames in the filmstrip (at most planner.horizon: the plan has no more)");
    v.field("action_noise", action_noise, Range::closed(0, 10), Apply::live,
            "std of the exploration noise on each executed planned action, in half action ranges (PlaNet: 0.3)");
    v.field("novelty_weight", novelty_weight, Range::closed(0, 1e4), Apply::live,
            "weight of the novelty bonus, each predicted step's latent distance to the nearest seen one (0: none)");
    v.field("novelty_episodes", novelty_episodes, Range::closed(0, 1e6), Apply::live,
            "planned episodes with the novelty bonus, then the reward head alone (0: every episode)");
    v.field("absorbing_states", absorbing_states, Apply::live,
            "train on an absorbing state after each terminated episode (reward 0, the state stays)");
    v.field("filter_weight", filter_weight, Range{0, 1, false, true}, Apply::live,
            "weight of the model's prediction z_(t-1) + h(z_(t-1), a_(t-1)) in the latent the planner starts from (0: g(o_t) alone)");
  }
};

struct LatentAgentConfig {
  LatentSettings latent;
  LatentModelConfig model;
  PlannerConfig planner;
  template <class V>
  void visit(V& v) {
    v.section("latent", latent);
    v.section("model", model);
    v.section("planner", planner);
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      // The first fit trains on the warm-up's sequences of train_horizon steps: fewer steps hold none.
      if (latent.random_steps < model.train_horizon)
        v.fail("latent.random_steps", "at least model.train_horizon (" + std::to_string(model.train_horizon) + "), got " +
                                          std::to_string(latent.random_steps));
      if (latent.held_out_steps < latent.prediction_steps)
        v.fail("latent.held_out_steps", "at least latent.prediction_steps (" + std::to_string(latent.prediction_steps) + ")");
      // The held-out set is kept whole (frames of the env's size) and encoded at once.
      const long long held_out = (long long)latent.held_out_rollouts * (latent.held_out_steps + 1);
      if (held_out > kMaxHeldOutFrames)
        v.fail("latent.held_out_rollouts", "held_out_rollouts x (held_out_steps + 1) at most " +
                                               std::to_string(kMaxHeldOutFrames) + " frames, got " + std::to_string(held_out));
      // The linear probe fits on one half of the held-out frames and scores on the other.
      if (held_out < 4)
        v.fail("latent.held_out_rollouts", "held_out_rollouts x (held_out_steps + 1) at least 4 frames (the probe fits on "
                                           "half and scores on half), got " + std::to_string(held_out));
      // Every candidate's latent and each layer's activations are a row of the planner's batch,
      // as in the MPC family's rollout limit (PlannerConfig::kMaxRolloutCells).
      int widest = std::max(planner.horizon, model.latent_dim);
      for (const std::vector<int>* h : {&model.dynamics_hidden, &model.reward_hidden})
        for (int w : *h) widest = std::max(widest, w);
      const long long cells = (long long)planner.population() * widest;
      if (cells > PlannerConfig::kMaxRolloutCells)
        v.fail("planner.population", "population x max(horizon, latent_dim, widest dynamics or reward layer) at most " +
                                         std::to_string(PlannerConfig::kMaxRolloutCells) + ", got " +
                                         std::to_string(planner.population()) + " x " + std::to_string(widest));
      // One planner iteration runs every candidate through `horizon` latent steps, and the agent
      // replans every real step: bounded so a step takes at most seconds, not hours.
      const double flops = double(planner.population()) * planner.horizon *
                           double(model.dynamics_shape().flops_per_sample() + model.reward_shape().flops_per_sample());
      if (flops > kMaxPlanIterationFlops)
        v.fail("planner.horizon", "planner.population x horizon x the latent step's flops at most " +
                                      std::to_string(long(kMaxPlanIterationFlops)) + " per planner iteration, got " +
                                      std::to_string(planner.population()) + " x " + std::to_string(planner.horizon) +
                                      " x " + std::to_string(model.dynamics_shape().flops_per_sample() +
                                                             model.reward_shape().flops_per_sample()));
    }
  }
  /// Limit on the held-out frames (2 x 32 x 32 frames: 80 MB).
  static constexpr long long kMaxHeldOutFrames = 10000;
  /// Limit on one planner iteration's work: ten times the pendulum_pixels preset's.
  static constexpr double kMaxPlanIterationFlops = 4e9;
};

/// What every run's agent leaves for the output files (the experiment asks only the last run's
/// agent to write them): per run, the k-step errors after every fit and the latest latent map.
struct LatentRows {
  struct Run {
    std::vector<int> fits;                           ///< per evaluation: the fits so far
    std::vector<std::vector<double>> model, repeat;  ///< per evaluation: the error at k = 1..K
    Eigen::MatrixXd latent_map;                      ///< held-out frames: pc1, pc2, true state
  };
  std::map<int, Run> runs;
  std::vector<std::string> truth_names;
};

class LatentAgent : public Agent {
 public:
  /// `env` must be a pixels env with a bounded box action space (the family checks); `rows`
  /// gathers every run's output rows (may be null: nothing is written).
  LatentAgent(const LatentAgentConfig& cfg, const Env& env, const RunSeed& seed, std::shared_ptr<LatentRows> rows);
  bool thinking() const override { return train_remaining_ > 0 || need_plan_; }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  Vec act(const Vec& obs) override;
  bool warming_up() const override { return collected_ < cfg_.latent.random_steps; }
  void observe(const Transition& t, bool truncated) override;
  void begin_episode(int episode, const Vec& obs) override;
  void end_episode(const Trajectory& episode) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const LatentModel& model() const { return model_; }
  const FrameReplay& replay() const { return replay_; }
  /// The latest evaluation (NaN before the first fit).
  double reconstruction_mse() const { return reconstruction_mse_; }
  double probe_r2() const { return probe_r2_; }
  /// The latent the latest plan started from (1 x latent_dim; empty before the episode's first
  /// plan), and the model's prediction for the next plan's start (empty until an action followed).
  const LatentModel::Mat& belief() const { return belief_; }
  const LatentModel::Mat& belief_prediction() const { return belief_prediction_; }
  /// The novelty bonus's seen latents as of the last fit (rows; empty before the first fit).
  const LatentModel::Mat& novelty_seen() const { return novelty_seen_; }
  /// The novelty bonus's weight for the episode planned with the current fit: novelty_weight
  /// during the first novelty_episodes planned episodes (fit k plans episode k), then 0.
  double novelty_weight_now() const;
  const LatentEvaluator& evaluator() const { return *evaluator_; }
  const std::vector<double>& k_error_model() const { return k_model_; }
  const std::vector<double>& k_error_repeat() const { return k_repeat_; }
  int fits() const { return fits_; }
  bool diverged() const { return diverged_; }

 private:
  void train_chunk(const Env& real);
  /// Encodes the novelty bonus's seen latents with the current encoder (after every fit).
  void update_novelty();
  /// The held-out measures of the model now; `record`: append them to the curves and the rows
  /// (false when a loaded session recomputes what it already holds).
  void evaluate(bool record = true);
  Vec scaled_action(const Vec& a) const;
  /// The newest frame of observation `obs` (its last frame_dim values).
  std::vector<float> newest_frame(const Vec& obs) const;
  /// The latent a plan for observation `obs` starts from: g(obs), blended with the model's
  /// prediction by filter_weight (LatentSettings).
  LatentModel::Mat plan_start(const Vec& obs) const;
  /// Starts a new filmstrip from the chosen plan at latent z.
  void start_filmstrip(const LatentModel::Mat& z);

  LatentAgentConfig cfg_;
  RunSeed seed_;
  std::shared_ptr<LatentRows> rows_;
  int obs_dim_ = 0, frame_dim_ = 0, frame_size_ = 0, action_dim_ = 0;
  Vec low_, high_;
  std::vector<std::string> truth_names_;
  LatentModel model_;
  FrameReplay replay_;
  std::unique_ptr<LatentEvaluator> evaluator_;
  LatentModel::Mat novelty_seen_;  // the novelty bonus's seen latents (rows), as of the last fit
  std::unique_ptr<TrajectoryOptimizer> planner_;
  Rng act_rng_, train_rng_;
  HeldOutFrames held_out_;
  bool has_held_out_ = false;

  int collected_ = 0;  // real steps so far (the warm-up counts them)
  int train_remaining_ = 0;
  bool need_plan_ = false;
  int64_t replans_ = 0;
  std::vector<float> plan_;
  std::vector<float> replan_mean_, replan_std_;  // the warm start of the replan in progress
  int fits_ = 0;
  // Sticky, as an ensemble's diverged(): a non-finite loss or gradient stopped training for good
  // (the weights are the last good ones; a warm refit would diverge again).
  bool diverged_ = false;
  int64_t gradient_steps_ = 0;
  // Sums over the fit in progress, then the fit's means: the total loss, its consistency term and
  // its reward term (each before its weight).
  std::vector<double> loss_sums_ = std::vector<double>(3, 0.0);
  int loss_count_ = 0;
  std::vector<double> fit_losses_ = std::vector<double>(3, std::numeric_limits<double>::quiet_NaN());
  double reward_shift_ = 0, reward_scale_ = 1;
  Vec last_obs_;
  // The filter (LatentSettings::filter_weight): the latent the latest plan started from, and the
  // model's step from it under the action executed, set by observe() for the next plan.
  LatentModel::Mat belief_, belief_prediction_;

  // The latest evaluation.
  double reconstruction_mse_ = std::numeric_limits<double>::quiet_NaN();
  double probe_r2_ = std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd probe_r2_per_target_;  // per true-state dim (truth_names_)
  double reward_r2_ = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> k_model_, k_repeat_;
  Eigen::MatrixXd latent_plane_;  // held-out z on the principal plane (n x 2)
  std::vector<double> curve_fit_, curve_reconstruction_, curve_prediction_, curve_repeat_;

  // The filmstrip.
  std::vector<std::vector<float>> strip_predicted_, strip_real_;
  int64_t strip_start_ = 0, steps_ = 0;
};

/// The "latent" family for core/agents/registry.cpp.
AgentFamily latent_family();

}  // namespace dynalab
