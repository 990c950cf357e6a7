#pragma once
// The "mbpo" family: Model-Based Policy Optimization (Janner, Fu, Zhang, Levine, "When to Trust
// Your Model: Model-Based Policy Optimization", NeurIPS 2019; mbrl-lib mbrl/algorithms/mbpo.py
// is the reference structure) on the agent seam, with the SAC learner of core/agents/sac/ and
// the learned model model.type names (make_learned_model: the probabilistic ensemble PETS uses by
// default, a GP per column or a Bayes-by-Backprop network; core/models/learned_model.h).
//
// The loop, per real env step:
//   act: uniformly random for initial_exploration_steps env steps, then a ~ pi(.|obs);
//   observe: the transition goes to the real data (the model's Dataset and the learner's replay
//     buffer); once exploration is over, every model_train_freq env steps (starting with the
//     step that ends it) the ensemble is refit on ALL real data (warm start, early stopping on
//     the validation NLL; one epoch per tick) and then rollout_batch_size branched rollouts of
//     length k fill the model buffer (branched_rollout.h; k from rollout_schedule at epoch
//     (env_steps - initial_exploration_steps) / epoch_length + 1; at most kRolloutChunk rollouts
//     per tick); after that step num_sac_updates_per_step SAC updates are queued, each on a
//     batch of sac.batch_size rows mixing real and model data by real_data_ratio
//     (mixed_batch.h), one per tick.
// The model buffer holds model_retain_epochs epochs of rollouts: model_retain_epochs x
// rollout_batch_size x (epoch_length / model_train_freq) x max k transitions (mbrl-lib sizes it
// with the current k and reallocates when k changes; sizing it once with the schedule's largest
// k keeps the ring simple and holds at least as many epochs).
// Termination: the env's closed-form Env::terminated ends an imagined rollout; for an env that
// cannot say, the model must learn it (model.learn_termination, its P(terminated) > 0.5, the
// ModelStepper rule), else a config error. The reward of an imagined step is the env's closed
// form unless model.learn_reward (mbrl-lib learns it; the env's exact reward removes one source
// of model error, as PETS here does).
// sac.learning_starts, sac.train_freq and sac.gradient_steps are not used: MBPO's own schedule
// above replaces them.
// MVE (Feinberg et al. 2018) is the switch mve_horizon = H > 0: each SAC update's critic targets
// are expanded H steps through the same model (mve_targets.h) and the critics also learn on the
// imagined pairs. With real_data_ratio 1 (no model data in the batches) and H = 0 this is plain
// SAC on MBPO's schedule; H > 0 is SAC-MVE.
//
// Views: the critic heat map (policy_value_map.h) and the branched rollouts: a sample of the
// latest refit's first rollouts (kShownRollouts, each from a real state, the member of every
// step) with k and the real share of the last SAC batch (BranchedRolloutView).
// Model error vs k (closed_loop_error.h): after each refit, on the worker, the error of k-step
// rollouts of the refit model under the current deterministic policy against the true env from
// model_error_starts real states (drawn through an Rng stream of its own, stream 6, from the real
// states of the run: real_state_buffer.h), k = 1..kModelErrorHorizon, closed and open loop. It
// changes no learning number (its draws use their own stream; it only reads the model and the
// policy). The view carries the latest curve; model_error_vs_k.csv every refit's.
// Outputs: learning_curve.csv exactly as the sac family (policy_evaluation.h). Own metric
// columns per episode: alpha, critic_loss, actor_loss (as sac), rollout_horizon (k at the
// episode's end), model_buffer (transitions), model_fits.

#include <memory>

#include "core/agent.h"
#include "core/agents/mbpo/mve_targets.h"
#include "core/agents/mbpo/real_state_buffer.h"
#include "core/agents/registry.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/agents/policy_learning/policy_value_map.h"
#include "core/agents/sac/episode_losses.h"
#include "core/agents/sac/sac_learner.h"
#include "core/dataset.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"
#include "core/planning/model_stepper.h"

namespace dynalab {

/// The family's config: SAC, the ensemble, MBPO's schedule and evaluation. Names as the brief /
/// MBPO's code (mbrl-lib's in brackets): model_train_freq (freq_train_model), rollout_batch_size
/// (effective_model_rollouts_per_step x freq_train_model), model_retain_epochs
/// (num_epochs_to_retain_sac_buffer), rollout_schedule, num_sac_updates_per_step,
/// real_data_ratio, epoch_length, initial_exploration_steps. Defaults are mbrl-lib's for
/// HalfCheetah (conf/algorithm/mbpo.yaml, conf/overrides/mbpo_halfcheetah.yaml).
struct MbpoAgentConfig {
  SacConfig sac = [] {
    SacConfig c;
    c.ent_coef_init = 0.2;  // mbrl-lib's pytorch_sac: alpha 0.2, automatic entropy tuning
    return c;
  }();
  ModelConfig model = [] {
    ModelConfig m;  // mbrl-lib conf/dynamics_model/gaussian_mlp_ensemble.yaml as MBPO uses it
    m.hidden = {200, 200, 200, 200};
    m.ensemble_size = 7;
    m.elite_members = 5;
    m.weight_decay = 1e-5;
    m.val_fraction = 0.2;
    return m;
  }();
  int64_t initial_exploration_steps = 5000;  ///< uniformly random env steps before MBPO begins
  int model_train_freq = 250;                ///< env steps between model refits (and rollouts)
  int64_t epoch_length = 1000;               ///< env steps per epoch (the schedule's unit)
  std::vector<int> rollout_schedule = {20, 150, 1, 1};  ///< [min_epoch, max_epoch, min_k, max_k]
  /// k for every rollout from the next refit on, overriding rollout_schedule (the GUI's k slider,
  /// a live edit); 0: follow the schedule. A k above the schedule's largest makes the model
  /// buffer (sized for that one) hold fewer epochs.
  int rollout_horizon = 0;
  int rollout_batch_size = 100000;    ///< branched rollouts per refit (start states from real data)
  int model_retain_epochs = 1;        ///< epochs of rollouts the model buffer holds
  int num_sac_updates_per_step = 10;  ///< G: SAC updates per env step
  double real_data_ratio = 0.0;       ///< share of real transitions in each SAC batch
  int mve_horizon = 0;  ///< H: critic targets expanded H model steps (mve_targets.h); 0: off
  int model_error_starts = 32;  ///< real starts of the model-error-vs-k analysis; 0: off
  EvaluationConfig evaluation;        ///< eval_every, eval_episodes (top-level keys)

  /// The model buffer's capacity (see the header comment).
  int64_t model_buffer_capacity() const;

  template <class V>
  void visit(V& v) {
    v.section("sac", sac);
    v.section("model", model);
    v.field("initial_exploration_steps", initial_exploration_steps, Range::closed(2, 1e9),
            Apply::on_reset, "uniformly random env steps before the first model fit");
    v.field("model_train_freq", model_train_freq, Range::closed(1, 1e7), Apply::on_reset,
            "env steps between model refits and branched rollouts");
    v.field("epoch_length", epoch_length, Range::closed(1, 1e9), Apply::on_reset,
            "env steps per epoch (rollout_schedule's unit)");
    v.field("rollout_schedule", rollout_schedule, Range::closed(0, 1e6), Apply::on_reset,
            "[min_epoch, max_epoch, min_k, max_k]: rollout length k over epochs");
    v.field("rollout_horizon", rollout_horizon, Range::closed(0, 1000), Apply::live,
            "k of the next refits' rollouts, overriding rollout_schedule; 0: the schedule");
    v.field("rollout_batch_size", rollout_batch_size, Range::closed(1, 1e7), Apply::on_reset,
            "branched rollouts per model refit");
    v.field("model_retain_epochs", model_retain_epochs, Range::closed(1, 1000), Apply::on_reset,
            "epochs of model rollouts kept in the model buffer");
    v.field("num_sac_updates_per_step", num_sac_updates_per_step, Range::closed(0, 1000),
            Apply::live, "SAC updates per env step (G)");
    v.field("real_data_ratio", real_data_ratio, Range::probability(), Apply::live,
            "share of real transitions in each SAC batch");
    v.field("mve_horizon", mve_horizon, Range::closed(0, 50), Apply::live,
            "MVE: model steps in the critics' targets (0: SAC's one-step target)");
    v.field("model_error_starts", model_error_starts, Range::closed(0, 10000), Apply::live,
            "real start states of the model error vs k analysis after each refit (0: off)");
    evaluation.visit(v);
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      const auto& s = rollout_schedule;
      if (s.size() != 4)
        v.fail("rollout_schedule",
               "4 values [min_epoch, max_epoch, min_k, max_k], got " + std::to_string(s.size()));
      if (s[0] > s[1])
        v.fail("rollout_schedule", "min_epoch <= max_epoch, got [" + std::to_string(s[0]) + ", " +
                                       std::to_string(s[1]) + ", ...]");
      if (s[2] < 1 || s[3] < 1 || s[2] > 1000 || s[3] > 1000)
        v.fail("rollout_schedule", "rollout lengths min_k and max_k in [1, 1000], got " +
                                       std::to_string(s[2]) + " and " + std::to_string(s[3]));
      if (model_buffer_capacity() > int64_t(1e8))
        v.fail("rollout_batch_size",
               "a model buffer of at most 1e8 transitions (model_retain_epochs x "
               "rollout_batch_size x epoch_length / model_train_freq x max k), got " +
                   std::to_string(model_buffer_capacity()));
      if (model.prediction != "probabilistic")
        v.fail("model.prediction",
               "\"probabilistic\" for mbpo (its rollouts sample the members' "
               "Gaussians), got \"" +
                   model.prediction + "\"");
    }
  }
};

/// One point of model_error_vs_k.csv: the model error at rollout length k after a refit.
struct ModelErrorRow {
  int run = 0;
  int64_t env_steps = 0;  ///< the env step of the refit
  int k = 0;
  double error = 0;            ///< closed loop (the policy acts on imagined states), obs units
  double open_loop_error = 0;  ///< the same starts, the true rollout's actions replayed
  int count = 0;               ///< starts whose real env had not terminated before step k
};

/// What the runs of one mbpo experiment share: the learning curve and the model-error rows.
struct MbpoRuns {
  std::vector<LearningCurveRow> curve;
  std::vector<ModelErrorRow> model_error;
};

class MbpoAgent : public Agent {
 public:
  /// Branched rollouts per tick at most: a tick stays a bounded unit of work.
  static constexpr int kRolloutChunk = 10000;
  /// Rollouts of each refit the branched-rollout view shows.
  static constexpr int kShownRollouts = 20;
  /// The largest k of the model-error analysis (the k slider's range).
  static constexpr int kModelErrorHorizon = 25;

  /// `curve` collects every run's evaluations. Throws InputError naming the key when the env
  /// lacks what the config needs (a closed-form reward without model.learn_reward, a
  /// closed-form termination without model.learn_termination).
  MbpoAgent(const MbpoAgentConfig& cfg, const Env& env, const RunSeed& seed,
            std::shared_ptr<MbpoRuns> runs);
  bool thinking() const override { return training_ || rollouts_left_ > 0 || pending_updates_ > 0; }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  void before_step(const Env& real, const Vec& obs) override;
  Vec act(const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  void end_episode(const Trajectory& episode) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const SacLearner& learner() const { return learner_; }
  const LearnedModel& model() const { return *model_; }
  const ReplayBuffer& model_buffer() const { return model_buffer_; }
  /// k for the rollouts after env step `env_steps` (rollout_horizon if set, else rollout_schedule).
  int rollout_horizon_at(int64_t env_steps) const;
  int model_fits() const { return fits_; }
  /// Real rows in the last SAC batch (sac.batch_size minus its model rows).
  int last_batch_real_rows() const { return last_real_rows_; }
  /// The latest model error vs k (closed and open loop); empty before the first refit.
  const ClosedLoopError& model_error() const { return model_error_; }
  double evaluate() { return eval_.evaluate(learner_.deterministic_policy(), cfg_.evaluation.eval_episodes); }

 private:
  MbpoAgentConfig cfg_;
  ActionScale scale_;
  SacLearner learner_;  // its replay buffer is the real data of the SAC batches
  PolicyEvaluation eval_;
  Dataset dataset_;                        // the real data the model is fit on (env units)
  std::unique_ptr<const Env> reward_env_;  // a copy whose closed forms the rollouts use
  std::shared_ptr<LearnedModel> model_;
  std::unique_ptr<ModelStepper> stepper_;
  ReplayBuffer model_buffer_;
  Rng rng_;  // model training, rollout starts and seeds, batch sampling
  int64_t env_steps_ = 0;
  bool training_ = false;
  int rollouts_left_ = 0, rollout_k_ = 0, pending_updates_ = 0, fits_ = 0, last_real_rows_ = 0;
  EpisodeLosses episode_;  // this episode's updates (the episode's metrics)
  // What publish() shows besides the counters (views only: no learning state, not saved): the
  // first rollouts of the latest refit and the critic map.
  std::vector<BranchedRolloutView::Rollout> shown_rollouts_;
  mutable PolicyValueMapCache value_map_;
  // Batch buffers (no state: not saved).
  ReplayBatch batch_, scratch_;
  MveTargets mve_;  // the last MVE update's critic rows (rebuilt every update: not saved)
  // The model-error analysis (no learning state: it changes no learning number).
  std::shared_ptr<MbpoRuns> runs_;
  int run_ = 0;
  RealStateBuffer real_states_;
  Rng model_error_rng_;  // start draws, stream 6
  ClosedLoopError model_error_;
  int64_t model_error_env_steps_ = 0;
  void measure_model_error();
  void visit_model_error(StateVisitor& v);
};

/// The "mbpo" family for core/agents/registry.cpp.
AgentFamily mbpo_family();

/// The model's stepper of MBPO's branched rollouts: one particle per rollout, a random elite per
/// step (ts1: mbrl-lib's random_model propagation), the env's closed-form reward unless
/// model.learn_reward, the env's termination (or the learned one where it has none). Throws
/// InputError naming model.learn_reward / model.learn_termination if `env` lacks the closed form.
/// (Public for `dynalab-cli bench`'s rollout rate.)
std::unique_ptr<ModelStepper> mbpo_model_stepper(const MbpoAgentConfig& cfg, const Env& env,
                                                 std::shared_ptr<const DynamicsModel> model);
/// The same stepper from the "model" section alone (the model-based policy gradient's imagined
/// trajectories, core/agents/mbpg/, use it too: ME-TRPO's random member per step).
std::unique_ptr<ModelStepper> mbpo_model_stepper(const ModelConfig& model_cfg, const Env& env,
                                                 std::shared_ptr<const DynamicsModel> model);

}  // namespace dynalab
