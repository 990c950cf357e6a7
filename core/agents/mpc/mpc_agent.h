#pragma once
// The planning family on the agent seam (family "planning"): MbrlAgent (v0.5 / v1.0 / v1.5 /
// PETS, core/agents/mpc/mbrl_agent.h) plus what the lectures show about it: the latest replan's
// iterations (the CEM scrubber), plan_traces.csv, the ensemble's disagreement along the real
// path, and the distribution-shift analysis (one KL estimate per planned episode, visitation,
// model error vs distance to the training data).
//
// It publishes a PlanView and a ModelView (core/views.h; the ModelView's prediction is "oracle"
// and its model null when it plans through the true env).
//
// Ticks: a random warm-up step (warming_up), a training epoch or ONE planner iteration
// (thinking, so the GUI can watch CEM iterate), or one planned env step.
//
// Outputs (write_outputs; metrics.csv and trajectories.csv are the experiment's):
//   metrics.csv columns  env_steps,return,terminated,train_loss,val_loss: train_loss and
//                     val_loss are those of the model that planned the episode (its last fit:
//                     the training objective, and the validation NLL for probabilistic models or
//                     MSE for deterministic ones, in normalised units); "nan" for the oracle
//                     and when that fit diverged before its first epoch finished.
//   plan_traces.csv   (output.plan_traces = true) one row per planner iteration:
//                     run,episode,t,replan,iteration,candidates,finite_candidates,objective,
//                     best_return,worst_return,mean_<h>_<d>...,std_<h>_<d>...,plan_<h>_<d>...
//                     t = env step the replan plans from; replan = index in the run; objective =
//                     the planner's objective (CEM: elite-mean return, MPPI: weighted mean,
//                     random shooting: best, iLQR: the nominal's predicted return);
//                     best_return / worst_return = the best and worst finite predicted return
//                     of the iteration's candidates; mean/std = sampling distribution after the
//                     iteration (iLQR: the nominal sequence, std nan); plan = the plan
//                     chosen so far (the executed one on the last iteration).
//   dataset.csv, dataset.npy   the agent's dataset at the end (Dataset::to_csv / to_npy; warm-up
//                     episodes have negative ids -1, -2, ...; the .npy is float64 (rows, columns)).
//   model/ensemble.bin, model/shape.txt  the learned ensemble (absent with the oracle).
//   model/system_id.csv  parameter,unit,fitted,true  (model.prediction = "system_id": the
//                     physical parameters the least-squares fit found, and the env's own).
//   analysis/ (the last run; "training data" = the dataset as of the model's latest fit, or the
//   whole dataset for the oracle; "visited" = observations of the run's planned episodes)
//     divergence.csv         run,episode,kl,kl_raw,n_visited,n_train,dims  one row per planned
//                            episode of every run: k-NN KL(visited || training states), nats.
//     visitation.csv         dim,bin,lo,hi,train,visited  1-D histograms per obs dim.
//     visitation_2d.csv      ix,iy,x,y,train,visited  20 x 20 over obs dims 0, 1.
//     disagreement_map.csv   x,y,epistemic,aleatoric  the lab's map of the final state
//                            (core/analysis/disagreement_map_recipe.h, defaults).
//     error_vs_distance.csv  episode,distance,error  per planned transition, measured with the
//                            model that planned it (held out).
//     error_vs_distance_binned.csv  bin,distance_lo,distance_hi,mean_distance,mean_error,count
//     compounding_error.csv  horizon,ensemble_error,single_model_error,starts
//   (the model files hold only their header with the oracle).

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "core/agent.h"
#include "core/agents/mpc/mbrl_agent.h"
#include "core/agents/registry.h"
#include "core/snapshot.h"

namespace dynalab {

struct MbrlOutputConfig {
  bool plan_traces = false;  ///< write plan_traces.csv

  template <class V>
  void visit(V& v) {
    v.field("plan_traces", plan_traces, Apply::live, "write plan_traces.csv (one row per planner iteration)");
  }
};

/// The family's fields: the agent's at the top level of the experiment file, and "output".
struct MpcSettingsConfig {
  MbrlAgentConfig agent;
  MbrlOutputConfig output;

  template <class V>
  void visit(V& v) {
    agent.visit(v);
    v.section("output", output);
  }
};

/// One row of analysis/divergence.csv.
struct DivergenceRow {
  int run = 0, episode = 0;
  double kl = 0, raw = 0;  ///< nats: max(raw, 0) and the unclamped estimate
  int n_visited = 0, n_train = 0, dims = 0;
};

class MpcAgent : public Agent {
 public:
  /// `seed_rng`: the run's stream (the MbrlAgent seeds from its first word); `analysis_seed`:
  /// the experiment seed, from which the analysis draws derive per run and episode.
  /// `divergence`: the experiment's divergence rows of every run (shared across the runs' agents,
  /// so analysis/divergence.csv lists them all).
  MpcAgent(const MpcSettingsConfig& cfg, const Env& env, const RunSeed& seed,
           std::shared_ptr<std::vector<DivergenceRow>> divergence);

  bool thinking() const override;
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  Vec act(const Vec& obs) override;
  bool warming_up() const override { return agent_.phase() == MbrlPhase::collect; }
  void observe(const Transition& t, bool truncated) override;
  void begin_episode(int episode, const Vec& obs) override;
  void end_episode(const Trajectory& episode) override;

  std::vector<std::string> metric_columns() const override {
    return {"env_steps", "return", "terminated", "train_loss", "val_loss"};
  }
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const MbrlAgent& planner_agent() const { return agent_; }
  /// The family's fields as applied (live edits included).
  const MpcSettingsConfig& settings() const { return cfg_; }
  /// The divergence rows of every run so far (analysis/divergence.csv).
  const std::vector<DivergenceRow>& divergence() const { return *divergence_; }
  MbrlAgent& planner_agent() { return agent_; }

 private:
  void record_plan_iteration(const AgentClock& clock);
  void record_disagreement(const Vec& s, const Vec& a, int64_t env_step);
  void capture_training_data();
  void record_divergence(const Trajectory& episode);
  void write_analysis(const std::filesystem::path& dir) const;

  MpcSettingsConfig cfg_;
  std::unique_ptr<const Env> world_;  // a copy of the run's env for spaces and names (never stepped)
  MbrlAgent agent_;
  RunSeed seed_;
  Vec last_obs_;  // the latest real observation (the analysis' held state)
  int64_t env_steps_ = 0;
  // The snapshot's model: a frozen copy of the ensemble as of its last finished fit (the worker
  // keeps training the live one), refreshed at most once per fit.
  mutable std::shared_ptr<const LearnedModel> model_copy_;
  mutable std::shared_ptr<const Dataset> model_data_;  // the data model_copy_ was fit on
  mutable int model_copy_fits_ = -1;
  // The iterations of the latest replan, shared with the snapshots (immutable once pushed).
  std::vector<std::shared_ptr<const PlanTrace>> replan_traces_;
  std::string plan_traces_csv_;  // built as the run goes
  // The fan's colour scale this episode (PlanView::return_lo/hi): lowest and highest predicted
  // return of the candidates that do not fail, over every planner iteration since begin_episode.
  double fan_lo_ = 1, fan_hi_ = 0;
  void widen_fan_scale(const PlanTrace& t);
  // Epistemic disagreement of the learned model at each real planned step of the run:
  // x = env step, y = variance across the elites' predicted means of s', summed over dims.
  std::vector<double> disagreement_x_, disagreement_y_;
  PredictiveMoments disagreement_moments_;  // reused buffer (one row per env step)
  // Distribution shift: the model's training data as of its latest fit (captured when a fit
  // begins; the whole dataset for the oracle), and one KL estimate per planned episode.
  std::shared_ptr<const Dataset> fit_data_;
  int captured_fit_ = -1;  // agent_.fits() when fit_data_ was captured
  std::shared_ptr<std::vector<DivergenceRow>> divergence_;  // every run's (see the constructor)
  std::shared_ptr<const VisitationSample> visitation_;
  // Model error vs distance of every planned transition of the run, measured at the end of its
  // episode with the model that planned it (held out: that model never trained on them).
  std::vector<double> evd_distance_, evd_error_;
  std::vector<int> evd_episode_;
};

/// The "planning" family for core/agents/registry.cpp.
AgentFamily mpc_family();

}  // namespace dynalab
