#pragma once
// The random policy: uniformly random actions, learning nothing. The bottom rung of the
// sample-efficiency ladder (lecture deck 003): every learner's curve is read against it, and on
// any env it shows what "no learning" returns. Box actions are drawn uniformly in
// [low, high] per dimension (unbounded dimensions in [-1, 1]); discrete actions uniformly
// among the n choices. Family "random_policy"; it has no fields of its own.

#include "core/agent.h"
#include "core/agents/registry.h"

namespace dynalab {

/// The family's (empty) config: nothing to tune.
struct RandomPolicyConfig {
  template <class V>
  void visit(V&) {}
};

class RandomPolicyAgent : public Agent {
 public:
  RandomPolicyAgent(const RandomPolicyConfig& cfg, const Env& env, const RunSeed& seed);
  Vec act(const Vec& obs) override;
  void observe(const Transition&, bool) override {}
  void publish(Snapshot& s) const override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

 private:
  Space actions_;
  Rng rng_;
};

/// The "random_policy" family for core/agents/registry.cpp.
AgentFamily random_policy_family();

}  // namespace dynalab
