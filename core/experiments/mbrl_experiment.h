#pragma once
// Model-based RL by planning (kind "mbrl"): an MbrlAgent collects random data, fits its model,
// plans through it (or through the true env, the oracle) and acts in the real env, in the
// lecture's versions v0.5 / v1.0 / v1.5 / PETS. One tick is one bounded unit: one random step,
// one training epoch, ONE planner iteration (so the GUI can watch CEM iterate), or one planned
// env step. Episodes count planned episodes; the random-data phase comes before episode 0.
//
// Outputs (write_outputs):
//   metrics.csv       run,episode,env_steps,return,terminated,train_loss,val_loss
//                     env_steps = real env steps in the run so far (cumulative, at episode end);
//                     terminated = 1 if the MDP ended the episode, 0 if truncated; train_loss and
//                     val_loss are those of the model that planned the episode (its last fit:
//                     the training objective, and the validation NLL for probabilistic models or
//                     MSE for deterministic ones, in normalised units); "nan" for the oracle
//                     and when that fit diverged before its first epoch finished (the model
//                     then keeps its last good weights and is not trained again). Every other
//                     value of every output file is finite.
//   trajectories.csv  run,episode,t,obs_<name>...,action_<d>...,reward  (obs before the action)
//   plan_traces.csv   (output.plan_traces = true) one row per planner iteration:
//                     run,episode,t,replan,iteration,candidates,finite_candidates,objective,
//                     best_return,worst_return,mean_<h>_<d>...,std_<h>_<d>...,plan_<h>_<d>...
//                     t = env step the replan plans from; replan = index in the run; objective =
//                     the planner's objective (CEM: elite-mean return, MPPI: weighted mean,
//                     random shooting: best); best_return / worst_return = the best and
//                     worst finite predicted return of the iteration's candidates (their spread
//                     shows whether the evaluator tells candidates apart at all);
//                     mean/std = sampling distribution after the iteration; plan = the plan
//                     chosen so far (the executed one on the last iteration).
//   dataset.csv, dataset.npy   the agent's dataset at the end (Dataset::to_csv / to_npy: columns
//                     episode,obs_*,action_*,reward,next_obs_*,terminated; random-data episodes
//                     have negative ids -1, -2, ...; the .npy is float64 (rows, columns)).
//   model/ensemble.bin  the learned ensemble (Ensemble::save format; absent with the oracle),
//   model/shape.txt     its Ensemble::describe_shape() line.
//   analysis/ (only the last run; "training data" = the dataset as of the model's latest fit,
//   or the whole dataset for the oracle; "visited" = observations of the run's planned episodes;
//   the model files disagreement_map, error_vs_distance* and compounding_error hold only their
//   header with the oracle)
//     divergence.csv         run,episode,kl,kl_raw,n_visited,n_train,dims  one row per planned
//                            episode of every run: k-NN KL(visited states of the episode ||
//                            training states of the model that planned it), nats (see
//                            core/analysis/divergence.h; kl = max(kl_raw, 0); nan if too few).
//     visitation.csv         dim,bin,lo,hi,train,visited  1-D histograms per obs dim on shared
//                            bins: fraction of training states / visited states per bin.
//     visitation_2d.csv      ix,iy,x,y,train,visited  2-D histogram (20 x 20) over obs dims 0, 1
//                            (0, 0 for 1-D envs), x, y = cell centres.
//     disagreement_map.csv   x,y,epistemic,aleatoric  the GUI lab's map of the final snapshot
//                            (core/analysis/disagreement_map_recipe.h, defaults): 48 x 48 cells
//                            over obs dims 0 and 1 (one row over dim 0 for 1-D envs) around the
//                            final state with the planner's next action (zeros without a plan);
//                            each range = the training data's range with the state, widened by
//                            half of it on both sides; epistemic/aleatoric summed over obs dims,
//                            all members. The same numbers as dynalab-cli analysis disagreement_map.
//     error_vs_distance.csv  episode,distance,error  per planned transition (s, a, s') of the run,
//                            measured when its episode ended with the model that planned it (so
//                            it is held out): k-NN (k = 1) distance of (s, a) to that model's
//                            training inputs in training-std units, and ||mean elite prediction
//                            of s' - s'|| in obs units (core/analysis/error_vs_distance.h).
//     error_vs_distance_binned.csv  bin,distance_lo,distance_hi,mean_distance,mean_error,count
//                            8 equal-count (distance-quantile) bins of those points.
//     compounding_error.csv  horizon,ensemble_error,single_model_error,starts  open-loop error vs
//                            horizon (1..planner horizon) from real states of the dataset's
//                            trajectories with the real actions: mean of the elites vs the best
//                            elite alone (core/analysis/compounding_error.h); nan if unavailable.

#include <Eigen/Core>
#include <string>

#include "core/agents/mbrl_agent.h"
#include "core/env_registry.h"
#include "core/experiment.h"

namespace dynalab {

struct MbrlOutputConfig {
  bool plan_traces = false;  ///< write plan_traces.csv

  template <class V>
  void visit(V& v) {
    v.field("plan_traces", plan_traces, Apply::live,
            "write plan_traces.csv (one row per planner iteration)");
  }
};

struct MbrlExperimentConfig {
  std::string category = "MPC", description;
  uint64_t seed = 0;
  int runs = 1;
  int episodes = 5;       ///< episodes per run
  MbrlAgentConfig agent;  ///< planner, replan_every and model, at the top level of the JSON
  MbrlOutputConfig output;

  template <class V>
  void visit(V& v) {
    v.field("category", category, Apply::live);
    v.field("description", description, Apply::live);
    v.field("seed", seed, Range::at_least(0), Apply::on_reset,
            "base seed; runs derive theirs from it");
    v.field("runs", runs, Range::closed(1, 100000), Apply::on_reset, "independent runs");
    v.field("episodes", episodes, Range::closed(1, 1e7), Apply::on_reset, "episodes per run");
    agent.visit(v);
    v.section("output", output);
  }
};

/// The states behind one planned episode's divergence estimate (immutable once published).
struct VisitationSample {
  int run = 0, episode = 0;
  /// Training states of the model that planned the episode (its latest fit; the dataset for the
  /// oracle), subsampled to at most kMaxVisitationRows rows. One row per state (obs_dim columns).
  Eigen::MatrixXd dataset_states;
  /// Observations visited by the planned episode (at most kMaxVisitationRows, subsampled).
  Eigen::MatrixXd visited_states;
  double kl = 0;  ///< KL(visited || dataset) in nats, as in divergence (NaN if too few samples)
};
inline constexpr int kMaxVisitationRows = 2000;

/// What the GUI draws for MPC: the latest plan trace, the executed path, the returns.
struct MbrlSnapshot : Snapshot {
  PlanTrace trace;        ///< the latest planner iteration
  /// Every iteration of the latest (or in-progress) replan, oldest first (the CEM scrubber).
  std::vector<std::shared_ptr<const PlanTrace>> replan_traces;
  bool planning = false;  ///< a replan is in progress (trace shows an unfinished one)
  int obs_dim = 0, action_dim = 0;
  std::vector<double> episode_obs;      ///< (T+1) x obs_dim, observations this episode
  std::vector<double> episode_actions;  ///< T x action_dim, executed actions this episode
  std::vector<double> episode_rewards;  ///< T
  std::vector<double> returns;          ///< return of every finished episode of this run
  std::vector<float> plan;              ///< H x A, the plan being executed
  std::string phase;                    ///< collect | train | plan | act
  size_t dataset_size = 0;
  bool model_diverged = false;
  std::shared_ptr<const Ensemble> model;  ///< a frozen copy of the learned model (null: oracle)
  /// The transitions `model` was fit on (a copy taken with the model copy; null: oracle or
  /// before the first fit). The GUI's lab samples training states and data from it.
  std::shared_ptr<const Dataset> training_data;
  int plan_index = 0;                   ///< index of the plan's next action
  int replan_every = 1;
  double predicted_return = 0;  ///< the planner's predicted return of `plan`
  std::string planner_kind, model_kind;
  /// KL(visited || training states) per finished planned episode of this run, nats (NaN if an
  /// episode had too few samples); see core/analysis/divergence.h.
  std::vector<double> divergence;
  /// The latest finished planned episode's visited and training states (null before the first).
  std::shared_ptr<const VisitationSample> visitation;
};

class MbrlExperiment : public Experiment {
 public:
  MbrlExperiment(std::string name, MbrlExperimentConfig cfg, std::unique_ptr<Env> env,
                 Json resolved);
  bool tick() override;
  bool finished() const override { return finished_; }
  std::shared_ptr<const Snapshot> snapshot() const override;
  Progress progress() const override;
  void write_outputs(const std::filesystem::path& dir) const override;

  struct EpisodeRow {
    int run, episode;
    int64_t env_steps;
    double ret;
    bool terminated;
    double train_loss, val_loss;
  };
  const std::vector<EpisodeRow>& episodes() const { return rows_; }
  struct DivergenceRow {
    int run, episode;
    double kl, raw;  ///< nats: max(raw, 0) and the unclamped estimate
    int n_visited, n_train, dims;
  };
  /// One row per finished planned episode of every run, in order.
  const std::vector<DivergenceRow>& divergence() const { return divergence_; }
  const MbrlAgent& agent() const { return *agent_; }
  /// The agent, for edits between ticks (the GUI's live propagation switch).
  MbrlAgent& agent() { return *agent_; }
  Env* env() override { return env_.get(); }
  const MbrlExperimentConfig& settings() const { return cfg_; }
  /// Session support (mbrl_session.cpp).
  void save_state(const std::filesystem::path& dir, Json& state) const override;
  void load_state(const std::filesystem::path& dir, const SessionReader& state) override;

 protected:
  std::map<std::string, Apply> config_applies() const override { return dynalab::config_applies(cfg_); }
  /// Planner fields from the next replan, model training fields from the next epoch, rollout
  /// fields from the next planner iteration, output fields at once.
  void apply_live(const LiveEdit& edit) override;

 private:
  void start_run(int run);
  void start_episode();
  void step_env(const Vec& action, bool planned);
  void end_episode(bool terminated);
  void record_plan_iteration();
  std::vector<Figure> figures() const;

  std::string name_;
  MbrlExperimentConfig cfg_;
  std::unique_ptr<Env> prototype_, env_;
  std::unique_ptr<MbrlAgent> agent_;
  int run_ = 0, episode_ = 0, episode_steps_ = 0, random_episodes_ = 0;
  int64_t run_steps_ = 0, ticks_ = 0;
  double episode_return_ = 0;
  bool finished_ = false;
  Vec obs_;
  std::vector<EpisodeRow> rows_;
  std::vector<double> ep_obs_, ep_actions_, ep_rewards_;
  // The snapshot's model: a frozen copy of the ensemble as of its last finished fit (the worker
  // keeps training the live one), refreshed at most once per fit.
  mutable std::shared_ptr<const Ensemble> model_copy_;
  mutable std::shared_ptr<const Dataset> model_data_;  // the data model_copy_ was fit on
  // The iterations of the latest replan, shared with the snapshots (immutable once pushed).
  std::vector<std::shared_ptr<const PlanTrace>> replan_traces_;
  mutable int model_copy_fits_ = -1;
  std::string trajectories_csv_, plan_traces_csv_;  // built as the run goes
  // Epistemic disagreement of the learned model at each real planned step of the current run:
  // x = env step, y = variance across the elites' predicted means of s', summed over dims.
  std::vector<double> disagreement_x_, disagreement_y_;
  EnsemblePrediction disagreement_pred_;  // reused buffer (one row per env step)
  void record_disagreement(const Vec& s, const Vec& a);
  // Distribution shift: the model's training data as of its latest fit (captured when a fit
  // begins; the whole dataset for the oracle), and one KL estimate per planned episode.
  void capture_training_data();
  void record_divergence();
  void write_analysis(const std::filesystem::path& dir) const;
  void load_analysis_state(const std::filesystem::path& dir, const SessionReader& r);
  std::shared_ptr<const Dataset> fit_data_;
  int captured_fit_ = -1;  // agent_->fits() when fit_data_ was captured
  std::vector<DivergenceRow> divergence_;
  std::shared_ptr<const VisitationSample> visitation_;
  // Model error vs distance of every planned transition of the current run, measured at the end
  // of its episode with the model that planned it (held out: that model never trained on them).
  std::vector<double> evd_distance_, evd_error_;
  std::vector<int> evd_episode_;
};

/// Factory for the "mbrl" experiment kind.
std::unique_ptr<Experiment> make_mbrl_experiment(ConfigNode& root, const ExperimentSource& src,
                                                 const EnvRegistry& envs);

}  // namespace dynalab
