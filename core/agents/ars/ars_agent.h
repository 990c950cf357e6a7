#pragma once
// The "ars" family: Augmented Random Search V2-t (ars_learner.h) on the agent seam. ARS needs no
// internal work: every real episode is a candidate's rollout. The agent acts with the running
// candidate's parameters (theta +- nu delta_k), sums the return over the candidate's
// n_eval_episodes episodes, and after its last one hands it to the learner, which moves to the
// next candidate and after 2 n_delta candidates updates theta (one iteration). Every eval_every env steps it runs eval_episodes deterministic
// episodes of the unperturbed theta (policy_evaluation.h) and appends their mean return to the
// learning curve, so ARS's curve goes on one plot with SAC's and MBPO's.
//
// Outputs (write_outputs; metrics.csv and trajectories.csv are the experiment's):
//   learning_curve.csv   run,env_steps,wall_s,eval_return   (policy_evaluation.h)
// Own metric columns per episode: iteration (completed updates before the episode), candidate
// (+k for theta + nu delta_k, -k for theta - nu delta_k, k from 1), step_size (of the last update).
// Sessions save everything the next ticks depend on (the learner: theta, this iteration's
// directions and returns, the normaliser, the Rng; the candidate's partial return; the counters and
// the learning curve), so a session saved mid-episode continues bit-identically.

#include <memory>

#include "core/agent.h"
#include "core/agents/ars/ars_learner.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/agents/registry.h"

namespace dynalab {

/// The family's config: the algorithm's fields (section "ars") plus evaluation (top level).
struct ArsAgentConfig {
  ArsConfig ars;
  EvaluationConfig evaluation;  ///< eval_every, eval_episodes

  template <class V>
  void visit(V& v) {
    v.section("ars", ars);
    evaluation.visit(v);
  }
};

class ArsAgent : public Agent {
 public:
  /// `curve` collects every run's evaluations (shared by the runs' agents). The env's action
  /// space must be a bounded box (the family's check_env rejects other envs with a config error).
  ArsAgent(const ArsAgentConfig& cfg, const Env& env, const RunSeed& seed,
           std::shared_ptr<std::vector<LearningCurveRow>> curve);
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

  const ArsLearner& learner() const { return learner_; }
  /// theta's deterministic policy, as PolicyEvaluation takes it (refers to *this).
  DeterministicPolicy deterministic_policy() const {
    return [this](const Vec& obs) { return learner_.deterministic_action(obs); };
  }

 private:
  ArsAgentConfig cfg_;
  ActionScale scale_;
  ArsLearner learner_;
  PolicyEvaluation eval_;
  int64_t env_steps_ = 0;
  double candidate_return_ = 0;  // the running candidate's return so far (offset included)
  int candidate_episodes_ = 0;   // the running candidate's completed episodes
};

/// The "ars" family for core/agents/registry.cpp.
AgentFamily ars_family();

}  // namespace dynalab
