#pragma once
// The "sac" family: Soft Actor-Critic (sac_learner.h) on the agent seam. Per real env step the
// agent acts (uniformly random before learning_starts, then a ~ pi(.|obs)), stores the
// transition, and every train_freq steps queues gradient_steps updates, each one tick of
// think(). Every eval_every env steps it runs eval_episodes evaluation episodes
// (policy_evaluation.h) and appends their mean return to the learning curve.
//
// Outputs (write_outputs; metrics.csv and trajectories.csv are the experiment's):
//   learning_curve.csv   run,env_steps,wall_s,eval_return   (policy_evaluation.h)
// Sessions save everything the next ticks depend on: the learner (networks, targets, Adam
// moments, log_alpha, replay buffer, Rng), the counters and the learning curve so far.
// Own metric columns per episode: alpha (the temperature at the episode's end), critic_loss
// and actor_loss (means over the episode's updates, 0 if none).
// Views: the critic heat map over the env's state plane (policy_value_map.h), if it has one.

#include <memory>

#include "core/agent.h"
#include "core/agents/registry.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/agents/policy_learning/policy_value_map.h"
#include "core/agents/sac/episode_losses.h"
#include "core/agents/sac/sac_learner.h"

namespace dynalab {

/// The family's config: the algorithm's fields (SacConfig) plus evaluation.
struct SacAgentConfig {
  SacConfig sac;
  EvaluationConfig evaluation;  ///< eval_every, eval_episodes (top-level keys)

  template <class V>
  void visit(V& v) {
    v.section("sac", sac);
    evaluation.visit(v);
  }
};

class SacAgent : public Agent {
 public:
  /// `curve` collects every run's evaluations (shared by the runs' agents). The env's action
  /// space must be a bounded box (the family's check_env rejects other envs with a config error).
  SacAgent(const SacAgentConfig& cfg, const Env& env, const RunSeed& seed,
           std::shared_ptr<std::vector<LearningCurveRow>> curve);
  bool thinking() const override { return pending_updates_ > 0; }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
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
  /// Mean return of eval_episodes deterministic episodes (policy_evaluation.h).
  double evaluate() { return eval_.evaluate(learner_.deterministic_policy(), cfg_.evaluation.eval_episodes); }

 private:
  SacAgentConfig cfg_;
  ActionScale scale_;
  SacLearner learner_;
  PolicyEvaluation eval_;
  int64_t env_steps_ = 0;
  int pending_updates_ = 0;
  EpisodeLosses episode_;  // this episode's updates (the episode's metrics)
  // The published critic map, a cache of what publish() shows (no learning state: not saved).
  mutable PolicyValueMapCache value_map_;
};

/// The "sac" family for core/agents/registry.cpp.
AgentFamily sac_family();

}  // namespace dynalab
