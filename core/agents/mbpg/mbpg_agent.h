#pragma once
// The "mbpg" family: model-based policy gradient, version 2.5 of deck 001 ("use f to generate
// trajectories and improve pi_theta with policy gradient"), in the form of ME-TRPO (Kurutach,
// Clavera, Duan, Tamar, Abbeel, "Model-Ensemble Trust-Region Policy Optimization", ICLR 2018;
// deck 004 "ME-TRPO: Ensembles + TRPO") with PPO (the ppo family's learner,
// core/agents/actor_critic/) in place of TRPO.
//
// The loop: uniformly random actions for random_steps env steps (warm-up), then per iteration:
//   think: 1. refit the ensemble on ALL real data (warm start, early stopping on the validation
//             NLL; one epoch per tick);
//          2. imagine trajectories with the current stochastic policy until PPO's rollout of
//             ppo.n_steps imagined steps is full (imagined_trajectory.h; each step from a
//             uniformly random elite member drawn through the Rng; at most kImagineChunk steps
//             per tick). Start states (start_states):
//               real_starts:   the first observations of the real episodes so far (warm-up
//                              episodes included), uniformly with replacement: ME-TRPO's long
//                              rollouts; with rollout_horizon = the episode length (200 on the
//                              pendulum) every imagined trajectory is a whole imagined episode;
//               replay_starts: observations drawn uniformly from all real transitions, each
//                              the branch point of a rollout_horizon-step rollout (MBPO-style
//                              short branches);
//          3. PPO's epochs on the imagined rollout only (one minibatch step per tick);
//          4. forecast the real episode's return through the model (model_return below);
//   act:   one real episode with the stochastic policy (a ~ pi(.|s), the env clips), appended
//          to the real data; then the next iteration.
// Reward: the env's closed form (Env::reward) unless model.learn_reward; termination: the env's
// closed form where it has one, else the model's learned one (model.learn_termination), else a
// config error (mbpo_model_stepper()). The model is model.type's (make_learned_model): the
// ensemble by default, a GP per column or a Bayes-by-Backprop network, whose members (one for a
// GP, the weight draws for a BNN) the imagined steps draw from. ME-TRPO's policy validation on the ensemble (stop
// when fewer than 70 % of the members see the policy improve) is not done: PPO runs its
// configured epochs each iteration.
//
// Per iteration (mbpg_iterations.csv, one row each, every run):
//   imagined_return = T x (sum of the rewards of all the iteration's imagined steps) / (their
//     number), T = the env's episode length (Env::max_episode_steps): the mean imagined reward
//     per step scaled to a full episode, so it compares with the real episode's return whatever
//     the horizon (for full-length rollouts from real starts without terminations it is exactly
//     the mean return of the imagined episodes; a trajectory cut short by the end of PPO's
//     rollout counts with its steps);
//   real_return = the return of the iteration's real episode (the same stochastic policy);
//   imagined_minus_real = imagined_return - real_return. From real starts with H = the episode
//     length both are returns of whole episodes from the initial state distribution, so the
//     difference is how much better the policy looks in the model than it is, the model being
//     exploited ("the curse of long model-based rollouts", deck 001). From replay starts the
//     imagined steps start all over the real data (the warm-up's and early episodes' states
//     too), so the scaled imagined return also differs by where it starts: read it as the
//     model's view of the training data, not as a forecast;
//   model_return = the model's forecast of the real episode: the mean return of
//     kForecastEpisodes imagined whole episodes (T steps, a random elite per step) from the real
//     episode's own start state with the same policy that then acts in it, drawn through a
//     stream of their own (stream 6: they change no learning number, and PPO never sees them);
//     model_minus_real = model_return - real_return compares like with like for every horizon
//     and start kind.
// The policy of the real episodes and of the forecasts is a ~ N(mu(s), sigma(s)^2) with noise
// drawn independently at every step (ActorCriticLearner::sample_action; with gSDE its one-step
// marginal, not SB3's episode-long exploration matrix), clipped by the env.
// Columns: run,iteration,env_steps,rollout_horizon,start_states,trajectories,imagined_steps,
// imagined_return,real_return,imagined_minus_real,model_return,model_minus_real (env_steps: real
// env steps at the end of the iteration's real episode, warm-up included).
// Figures: "real_return" (the real episode's return per iteration vs real env steps),
// "imagined_minus_real" and "forecast_minus_real" (per iteration), besides the evaluation
// learning curve. The imagined returns are not drawn on the real return's axes: a
// model whose long rollouts diverge gives imagined returns of -1e6 and below, which would
// flatten the real curve to a line.
// Metric columns per episode: imagined_return, imagined_minus_real, model_return,
// model_minus_real, policy_loss, value_loss (means over the iteration's PPO minibatch steps),
// policy_std, model_fits.
// View: the first kShownTrajectories (kShownEpisodes if H > 50) imagined trajectories of the
// latest iteration with the member of every step, and the latest real episode beside them
// (BranchedRolloutView).
// Live: rollout_horizon, PPO's live fields (learning_rate, n_epochs, n_steps, ...), the model's
// training fields, evaluation.

#include <memory>

#include "core/agent.h"
#include "core/agents/actor_critic/actor_critic_learner.h"
#include "core/agents/mbpg/imagined_trajectory.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/agents/registry.h"
#include "core/dataset.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"
#include "core/views.h"

namespace dynalab {

/// The family's config: PPO (section "ppo"), the ensemble ("model") and ME-TRPO's loop.
struct MbpgAgentConfig {
  PpoConfig ppo;  ///< n_steps: imagined steps per iteration
  ModelConfig model = [] {
    ModelConfig m;  // the probabilistic ensemble of MBPO (core/agents/mbpo/), smaller
    m.hidden = {200, 200, 200};
    m.ensemble_size = 5;
    m.elite_members = 3;
    m.val_fraction = 0.2;
    return m;
  }();
  int random_steps = 1000;  ///< env steps of uniform random actions before the first fit
  /// Where imagined trajectories start: real_starts (real episode starts, long rollouts) or
  /// replay_starts (states from all real data, short branches).
  std::string start_states = "replay_starts";
  int rollout_horizon = 20;  ///< H: imagined steps per trajectory at most
  EvaluationConfig evaluation;

  static const std::vector<std::string>& start_state_kinds() {
    static const std::vector<std::string> k = {"real_starts", "replay_starts"};
    return k;
  }

  template <class V>
  void visit(V& v) {
    v.section("ppo", ppo);
    v.section("model", model);
    v.field("random_steps", random_steps, Range::closed(2, 1e7), Apply::on_reset,
            "env steps of uniformly random actions before the first model fit");
    v.choice("start_states", start_states, start_state_kinds(), Apply::on_reset,
             "imagined trajectories start at real episode starts (real_starts) or at states of "
             "the real data (replay_starts)");
    v.field("rollout_horizon", rollout_horizon, Range::closed(1, 10000), Apply::live,
            "H: imagined steps per trajectory at most");
    evaluation.visit(v);
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      if (model.prediction != "probabilistic" && model.prediction != "deterministic")
        v.fail("model.prediction", "\"probabilistic\" or \"deterministic\" for mbpg, got \"" +
                                       model.prediction + "\"");
    }
  }
};

/// One row of mbpg_iterations.csv (see the header comment).
struct MbpgIterationRow {
  int run = 0, iteration = 0;
  int64_t env_steps = 0;
  int rollout_horizon = 0;
  std::string start_states;
  int trajectories = 0;
  int64_t imagined_steps = 0;
  double imagined_return = 0, real_return = 0;
  double model_return = 0;  ///< the model's forecast of the real episode (header comment)
};

/// What the runs of an mbpg experiment share: the learning curve and the iteration rows.
struct MbpgRuns {
  std::vector<LearningCurveRow> curve;
  std::vector<MbpgIterationRow> iterations;
};

class MbpgAgent : public Agent {
 public:
  /// Imagined steps per tick at most: a tick stays a bounded unit of work.
  static constexpr int kImagineChunk = 2000;
  /// Imagined trajectories of each iteration the view shows.
  static constexpr int kShownTrajectories = 12;
  /// ... when they are long (H > 50).
  static constexpr int kShownEpisodes = 4;
  /// Imagined whole episodes of the forecast of each real episode's return.
  static constexpr int kForecastEpisodes = 10;

  /// Throws InputError naming the key when the env lacks a closed form the config needs
  /// (model.learn_reward, model.learn_termination).
  MbpgAgent(const MbpgAgentConfig& cfg, const Env& env, const RunSeed& seed,
            std::shared_ptr<MbpgRuns> runs);
  bool thinking() const override { return training_ || imagining_ || learner_.updating(); }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  Vec act(const Vec& obs) override;
  bool warming_up() const override { return int64_t(dataset_.size()) < cfg_.random_steps; }
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

  const ActorCriticLearner& learner() const { return learner_; }
  const LearnedModel& model() const { return *model_; }
  /// Completed iterations (each: fit, imagination, PPO epochs) of this run.
  int iterations() const { return iteration_; }
  /// The latest iteration's imagined trajectories as the view shows them (its first ones).
  const std::vector<BranchedRolloutView::Rollout>& shown_trajectories() const { return shown_; }
  /// The imagined return of the latest iteration (see the header comment).
  double imagined_return() const { return imagined_return_; }
  /// Mean return of eval_episodes deterministic episodes (the clipped mean action).
  double evaluate();

 private:
  void begin_iteration();
  void imagine_chunk();
  void forecast_real_episode();
  Vec draw_start();

  MbpgAgentConfig cfg_;
  int run_;
  Space action_space_;
  int episode_length_;
  Dataset dataset_;                        // all real data (env units)
  std::unique_ptr<const Env> reward_env_;  // a copy whose closed forms the rollouts use
  std::shared_ptr<LearnedModel> model_;
  std::unique_ptr<ModelStepper> stepper_;
  ActorCriticLearner learner_;
  // fits, starts and rollout seeds | the real episodes' actions | the forecasts' draws
  Rng rng_, explore_rng_, forecast_rng_;
  PolicyEvaluation eval_;
  std::shared_ptr<MbpgRuns> runs_;
  std::vector<Vec> episode_starts_;  // first observations of every real episode so far

  bool training_ = false, imagining_ = false;
  int iteration_ = 0, fits_ = 0;
  int64_t env_steps_ = 0;
  // The iteration in progress: its imagined data so far and its PPO losses.
  int trajectories_ = 0;
  int64_t imagined_steps_ = 0;
  double imagined_reward_ = 0;
  int horizon_ = 0;  // H of this iteration's imagination (a live edit applies from the next)
  int64_t ppo_steps_ = 0;
  double policy_loss_ = 0, value_loss_ = 0;
  // The latest completed imagination and the real episode running after it.
  double imagined_return_ = 0, real_return_ = 0, model_return_ = 0;
  bool iteration_pending_ = false;  // an iteration waits for its real episode's return
  Vec last_obs_;
  // What publish() shows (views only, not saved: no number depends on them).
  std::vector<BranchedRolloutView::Rollout> shown_;
  std::vector<Vec> real_path_;
};

/// The "mbpg" family for core/agents/registry.cpp.
AgentFamily mbpg_family();

}  // namespace dynalab
