#pragma once
// Model-based RL by planning, the lecture's versions (seeds/000, "model-based reinforcement
// learning version 0.5 / 1.0 / 1.5"):
//   v0.5  run a random policy for random_steps, fit the model once, then plan and execute
//         open loop (each plan of `horizon` actions is executed without replanning), never refit;
//   v1.0  the same, but every episode's data is appended and the model refit (data aggregation);
//   v1.5  MPC: execute the first `replan_every` actions of each plan, then replan from the state
//         reached; refit after every episode;
//   pets  v1.5 as used by PETS (the preset picks a probabilistic ensemble, tsinf, CEM).
// dynamics = "oracle" plans through the true env (Env::clone()) instead of a learned model:
// the perfect-model baseline that separates model error from planner error.
// model.prediction = "system_id" learns the env's physics with a few parameters instead of a
// network ensemble (SystemIdModel): its "training" is one least-squares solve, one tick.
//
// Work is cut into bounded units for the experiment's tick(): one random data step, one
// training epoch, one planner iteration, or one planned action.

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/dataset.h"
#include "core/env.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"
#include "core/models/system_id_model.h"
#include "core/planning/model_env.h"
#include "core/planning/oracle_evaluator.h"
#include "core/planning/planner_config.h"
#include "core/rng.h"

namespace dynalab {

class StateVisitor;

struct MbrlAgentConfig {
  std::string version = "v1.5";      ///< v0.5 | v1.0 | v1.5 | pets
  std::string dynamics = "learned";  ///< learned (the ensemble below) | oracle (true env)
  int random_steps = 200;            ///< steps of the random base policy pi_0 before the first fit
  int replan_every = 1;              ///< v1.5/pets: actions executed per plan (MPC k)
  int dataset_capacity = 0;          ///< replay buffer bound (0: keep everything)
  PlannerConfig planner;
  ModelConfig model;        ///< the learned ensemble
  ModelEnvConfig rollout;   ///< particles and propagation through the ensemble

  static const std::vector<std::string>& versions() {
    static const std::vector<std::string> v = {"v0.5", "v1.0", "v1.5", "pets"};
    return v;
  }
  /// v0.5 and v1.0 execute whole plans open loop; v1.5 and pets replan every k steps (MPC).
  bool open_loop() const { return version == "v0.5" || version == "v1.0"; }
  /// Every version but v0.5 appends its data and refits after each episode.
  bool refits() const { return version != "v0.5"; }

  template <class V>
  void visit(V& v) {
    v.choice("version", version, versions(), Apply::on_reset, "the lecture's MBRL version");
    v.choice("dynamics", dynamics, {"learned", "oracle"}, Apply::on_reset,
             "plan through the learned model or the true env (oracle)");
    v.field("random_steps", random_steps, Range::closed(0, 1e7), Apply::on_reset,
            "random-policy steps collected before the first fit");
    v.section("planner", planner);
    v.field("replan_every", replan_every, Range::closed(1, 10000), Apply::on_reset,
            "v1.5: actions executed per plan before replanning (MPC k)");
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (replan_every > planner.horizon)
        v.fail("replan_every", "at most planner.horizon (" + std::to_string(planner.horizon) +
                                   "), got " + std::to_string(replan_every));
    v.field("dataset_capacity", dataset_capacity, Range::closed(0, 1e8), Apply::on_reset,
            "replay buffer size (0: unbounded)");
    v.section("model", model);
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (dynamics == "learned" && random_steps < 2)
        v.fail("random_steps", "at least 2 for a learned model (it needs data to fit), got " +
                                   std::to_string(random_steps));
    v.section("rollout", rollout);
    // Every particle of every candidate is a row of the rollout batch, which holds its path
    // and each layer's activations: bounded so a config cannot ask for gigabytes.
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (dynamics == "learned") {
        int widest = planner.horizon;
        for (int w : model.hidden) widest = std::max(widest, w);
        const long long cells = (long long)rollout.particles * planner.population() * widest;
        if (cells > PlannerConfig::kMaxRolloutCells)
          v.fail("rollout.particles",
                 "particles x planner population x max(horizon, widest hidden layer) at most " +
                     std::to_string(PlannerConfig::kMaxRolloutCells) + ", got " +
                     std::to_string(rollout.particles) + " x " +
                     std::to_string(planner.population()) + " x " + std::to_string(widest));
      }
  }
};

/// What the agent does next, in the order of the lecture's loop.
enum class MbrlPhase { collect, train, plan, act };

class MbrlAgent {
 public:
  /// An agent for `env`'s spaces (the env must have a box action space); randomness from `seed`.
  MbrlAgent(const MbrlAgentConfig& cfg, const Env& env, uint64_t seed);

  /// The next unit of work.
  MbrlPhase phase() const;
  /// Starts an episode: forgets the warm start and any pending plan.
  void begin_episode(int episode);
  /// A uniformly random action of the base policy pi_0 (collect phase).
  Vec random_action();
  /// One training epoch of the ensemble (train phase). Returns its stats.
  EpochStats train_epoch();
  /// Runs ONE planner iteration from the real env's current state `obs` (starting a replan if
  /// none is in progress). Returns true when this iteration finished the replan.
  bool plan_iteration(const Env& real, const Vec& obs);
  /// The next planned action (act phase). After the plan's executable actions (replan_every,
  /// or the whole horizon open loop) the warm start is shifted and the next phase is plan.
  Vec act();
  /// Records a real transition; ends the collect phase (and schedules the first fit) once
  /// random_steps transitions are in.
  void observe(const Transition& t);
  /// End of an episode: v1.0 and later schedule a refit on the aggregated data.
  void end_episode();
  /// A live config change (only Apply::live fields may differ from config()): the model's
  /// training fields from its next epoch, the rollout's from the next planner iteration, and,
  /// if `planner_changed`, a planner rebuilt from c.planner at the next replan, keeping the
  /// warm start. Throws InputError if a value is invalid for the running model.
  void set_live_config(const MbrlAgentConfig& c, bool planner_changed);

  const PlanTrace& trace() const { return trace_; }
  const std::vector<float>& current_plan() const { return plan_; }
  int plan_index() const { return next_; }
  bool plan_valid() const { return plan_valid_; }
  double predicted_return() const { return predicted_return_; }
  bool planning() const { return planner_->in_progress(); }
  const TrajectoryOptimizer& planner() const { return *planner_; }
  SequenceEvaluator& evaluator() { return *evaluator_; }
  const Dataset& dataset() const { return dataset_; }
  int64_t replans() const { return replans_; }
  const MbrlAgentConfig& config() const { return cfg_; }
  /// The learned model, model.type's kind (null with the oracle and with system identification).
  std::shared_ptr<const LearnedModel> model() const { return model_; }
  /// The system-identification model (model.prediction = "system_id"; null otherwise).
  std::shared_ptr<const SystemIdModel> system_id() const { return sysid_; }
  /// Stats of the latest finished fit (NaN losses before the first).
  const EpochStats& last_fit() const { return last_fit_; }
  /// Every epoch trained so far: train and validation loss, for the loss plot.
  const std::vector<EpochStats>& epochs() const { return epochs_; }
  int fits() const { return fits_; }
  /// Dataset rows when the latest fit finished: rows [0, fit_rows()) are the data it used.
  int64_t fit_rows() const { return fit_rows_; }

  /// Session state (mbrl_agent_session.cpp), one list for save and load: dataset.npy, model/ and
  /// plan_trace.json in the session folder, the counters, flags, plan and RNG state in `v`. On
  /// load a replan in progress is rebuilt by re-running its first iterations from the saved
  /// warm start (same seed, same env state `real` at `obs`: bit-identical).
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs);

 private:
  std::unique_ptr<SequenceEvaluator> make_evaluator(const Env& env);
  // The support of the data the latest fit used (rows [0, fit_rows_)) for rollout.support_radius,
  // handed to the model env; none when the radius is 0.
  void update_support();

  MbrlAgentConfig cfg_;
  int action_dim_;
  Space action_space_;
  std::unique_ptr<const Env> reward_env_;  // a copy whose reward and termination rollouts use
  std::shared_ptr<LearnedModel> model_;
  std::shared_ptr<SystemIdModel> sysid_;
  std::unique_ptr<SequenceEvaluator> evaluator_;
  OracleEvaluator* oracle_ = nullptr;  // the evaluator if it is the oracle (synced before replans)
  ModelEnv* model_env_ = nullptr;      // the evaluator if it is the learned model
  bool rebuild_planner_ = false;       // a live planner edit waits for the next replan
  std::unique_ptr<TrajectoryOptimizer> planner_;
  PlanTrace trace_;
  std::vector<float> plan_;
  int next_ = 0, plan_steps_ = 0;  // actions used / usable of the current plan
  bool plan_valid_ = false;
  double predicted_return_ = 0;
  Dataset dataset_;
  uint64_t seed_;
  Rng rng_;  // random actions and training
  int episode_ = 0;
  int64_t replans_ = 0;
  bool collecting_ = true, training_ = false;
  int fits_ = 0;
  int64_t fit_rows_ = 0;  // dataset rows when the latest fit finished (the data's support)
  std::shared_ptr<const DataSupport> support_;
  EpochStats last_fit_;
  std::vector<EpochStats> epochs_;
  // The planner's distribution when the current replan began (a session replays from it).
  std::vector<float> replan_mean_, replan_std_;
};

}  // namespace dynalab
