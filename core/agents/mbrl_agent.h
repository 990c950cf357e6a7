#pragma once
// Model-based RL by planning (the lecture's MPC loop): before acting, the agent plans H actions
// through a SequenceEvaluator, executes the first `replan_every` of them, then replans from the
// state it reached, warm-starting the planner with the plan shifted by the executed steps.
//
// The evaluator is built from the "model" section. For now only "oracle" exists (the true env
// via Env::clone(), the perfect-model baseline). A learned model plugs in at make_evaluator():
// build a ModelEnv over an ensemble there, train it from dataset() in end_episode(), and the
// planning loop stays unchanged. Planning is stepped one iteration at a time
// (plan_iteration()) so an experiment tick can be one CEM iteration.

#include <memory>
#include <string>

#include "core/config.h"
#include "core/dataset.h"
#include "core/env.h"
#include "core/planning/oracle_evaluator.h"
#include "core/planning/planner_config.h"

namespace dynalab {

struct MbrlModelConfig {
  std::string kind = "oracle";  ///< "oracle" (true dynamics); learned models come later
  int threads = 1;  ///< oracle: threads evaluating candidates (results do not depend on it)

  template <class V>
  void visit(V& v) {
    v.choice("kind", kind, {"oracle"}, Apply::on_reset, "dynamics used for planning");
    v.field("threads", threads, Range::closed(1, 2), Apply::on_reset, "oracle threads (1 or 2)");
  }
};

struct MbrlAgentConfig {
  int replan_every = 1;  ///< MPC: execute this many planned actions, then replan (<= horizon)
  PlannerConfig planner;
  MbrlModelConfig model;

  template <class V>
  void visit(V& v) {
    v.section("planner", planner);
    v.field("replan_every", replan_every, Range::closed(1, 10000), Apply::on_reset,
            "actions executed per plan before replanning (MPC k)");
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (replan_every > planner.horizon)
        v.fail("replan_every", "at most planner.horizon (" + std::to_string(planner.horizon) +
                                   "), got " + std::to_string(replan_every));
    v.section("model", model);
  }
};

class MbrlAgent {
 public:
  /// An agent for `env`'s spaces (the env must have a box action space); randomness from `seed`.
  MbrlAgent(const MbrlAgentConfig& cfg, const Env& env, uint64_t seed);

  /// Starts an episode: forgets the warm start and any pending plan.
  void begin_episode(int episode);
  /// True if the next unit of work is planning (the current plan's actions are used up).
  bool needs_plan() const { return next_ >= plan_steps_; }
  /// Runs ONE planner iteration from the real env's current state `obs` (starting a replan if
  /// none is in progress). Returns true when this iteration finished the replan.
  bool plan_iteration(const Env& real, const Vec& obs);
  /// The next planned action (requires !needs_plan()). After replan_every actions the planner's
  /// warm start is shifted by that many steps and needs_plan() becomes true.
  Vec act();
  /// Records a real transition (the data a learned model trains on).
  void observe(const Transition& t) { dataset_.add(t); }
  /// End of an episode (a learned model refits here).
  void end_episode() {}

  /// The trace of the latest planner iteration.
  const PlanTrace& trace() const { return trace_; }
  /// The plan being executed (H x A) and the index of its next action.
  const std::vector<float>& current_plan() const { return plan_; }
  int plan_index() const { return next_; }
  /// True if the last finished replan found a candidate with a finite return.
  bool plan_valid() const { return plan_valid_; }
  double predicted_return() const { return predicted_return_; }
  bool planning() const { return planner_->in_progress(); }
  const Planner& planner() const { return *planner_; }
  SequenceEvaluator& evaluator() { return *evaluator_; }
  const Dataset& dataset() const { return dataset_; }
  int64_t replans() const { return replans_; }
  const MbrlAgentConfig& config() const { return cfg_; }

 private:
  /// Builds the evaluator of the "model" section (the slot where learned models go).
  std::unique_ptr<SequenceEvaluator> make_evaluator(const Env& env);

  MbrlAgentConfig cfg_;
  int action_dim_;
  std::unique_ptr<SequenceEvaluator> evaluator_;
  OracleEvaluator* oracle_ = nullptr;  // the evaluator if it is the oracle (synced before replans)
  std::unique_ptr<Planner> planner_;
  PlanTrace trace_;
  std::vector<float> plan_;
  int next_ = 0, plan_steps_ = 0;  // actions used / usable of the current plan
  bool plan_valid_ = false;
  double predicted_return_ = 0;
  Dataset dataset_;
  uint64_t seed_;
  int episode_ = 0;
  int64_t replans_ = 0;
};

}  // namespace dynalab
