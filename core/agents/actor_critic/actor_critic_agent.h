#pragma once
// The "ppo" and "a2c" families: the on-policy actor-critic learners of actor_critic_learner.h on
// the agent seam. Per real env step the agent acts with the stochastic policy (the env clips
// the action to its bounds) and adds the step to the rollout; when the rollout is full its
// minibatch steps run one per tick of think(). Every eval_every env steps it runs eval_episodes
// evaluation episodes with the mean action (policy_evaluation.h), so PPO's and A2C's learning
// curves go on the same plot as SAC's, MBPO's and ARS's.
//
// Outputs: learning_curve.csv (policy_evaluation.h). Own metric columns per episode:
// policy_loss, value_loss, entropy (means over the episode's minibatch steps, 0 if none) and
// policy_std (the policy's mean sigma at the episode's last state).
// Sessions save the learner (networks, optimiser state, normalisers, the rollout and its queued
// minibatches, Rng), the counters and the learning curve.

#include <memory>

#include "core/agent.h"
#include "core/agents/actor_critic/actor_critic_learner.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/agents/registry.h"

namespace dynalab {

/// A family's config: the algorithm's section C (PpoConfig "ppo" or A2cConfig "a2c") plus
/// evaluation.
template <class C>
struct ActorCriticAgentConfig {
  C algorithm;
  EvaluationConfig evaluation;  ///< eval_every, eval_episodes (top-level keys)

  template <class V>
  void visit(V& v) {
    v.section(C::kSection, algorithm);
    evaluation.visit(v);
  }
};

class ActorCriticAgent : public Agent {
 public:
  /// The env's action space must be a bounded box (the families' check_env).
  ActorCriticAgent(const ActorCriticConfig& algorithm, const EvaluationConfig& evaluation,
                   const Env& env, const RunSeed& seed,
                   std::shared_ptr<std::vector<LearningCurveRow>> curve);
  bool thinking() const override { return learner_.updating(); }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  Vec act(const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  void begin_episode(int episode, const Vec& obs) override;
  void end_episode(const Trajectory& episode) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const ActorCriticLearner& learner() const { return learner_; }
  /// The deterministic policy in (-1, 1) units: the mean, clipped to the bounds.
  DeterministicPolicy deterministic_policy() const;
  /// Mean return of eval_episodes deterministic episodes.
  double evaluate() { return eval_.evaluate(deterministic_policy(), evaluation_.eval_episodes); }

 protected:
  /// A live edit of the algorithm's and the evaluation's fields.
  void apply(const ActorCriticConfig& algorithm, const EvaluationConfig& evaluation);

 private:
  EvaluationConfig evaluation_;
  ActionScale scale_;
  ActorCriticLearner learner_;
  PolicyEvaluation eval_;
  int64_t env_steps_ = 0;
  Vec last_obs_;
  // This episode's minibatch steps and the sums of their losses.
  int64_t episode_updates_ = 0;
  double episode_policy_loss_ = 0, episode_value_loss_ = 0, episode_entropy_ = 0;
};

/// The agent of the family whose config is ActorCriticAgentConfig<C>.
template <class C>
class ActorCriticAgentFor : public ActorCriticAgent {
 public:
  ActorCriticAgentFor(const ActorCriticAgentConfig<C>& cfg, const Env& env, const RunSeed& seed,
                      std::shared_ptr<std::vector<LearningCurveRow>> curve)
      : ActorCriticAgent(cfg.algorithm, cfg.evaluation, env, seed, std::move(curve)) {}
  void apply_live(const AgentSettings& settings, const LiveEdit&) override {
    const auto& c = static_cast<const ConfigSettings<ActorCriticAgentConfig<C>>&>(settings).cfg;
    apply(c.algorithm, c.evaluation);
  }
};

/// The "ppo" and "a2c" families for core/agents/registry.cpp.
AgentFamily ppo_family();
AgentFamily a2c_family();

}  // namespace dynalab
