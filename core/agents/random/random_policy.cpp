#include "core/agents/random/random_policy.h"

#include <cmath>

#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

RandomPolicyAgent::RandomPolicyAgent(const RandomPolicyConfig&, const Env& env, const RunSeed& seed)
    : actions_(env.action_space()), rng_(seed.rng()) {}

Vec RandomPolicyAgent::act(const Vec&) {
  if (actions_.is_discrete()) return Vec::Constant(1, double(rng_.below(uint64_t(actions_.n))));
  Vec a(actions_.dim());
  for (int d = 0; d < a.size(); ++d) {
    const bool bounded = std::isfinite(actions_.low[d]) && std::isfinite(actions_.high[d]);
    a[d] = bounded ? rng_.uniform(actions_.low[d], actions_.high[d]) : rng_.uniform(-1, 1);
  }
  return a;
}

void RandomPolicyAgent::publish(Snapshot& s) const { s.stats.push_back({"policy", "uniformly random (learns nothing)"}); }

void RandomPolicyAgent::visit_state(StateVisitor& v, const Env&, const Vec&) { v.field("rng", rng_); }

AgentFamily random_policy_family() {
  AgentFamily f;
  f.name = "random_policy";
  f.description = "uniformly random actions on any env: the floor of the sample-efficiency ladder";
  f.category = "baselines";
  f.default_episodes = 10;
  f.agents = {{"baselines", "random_policy", "uniformly random actions, no learning (the ladder's bottom rung)",
               "random_policy"}};
  f.read = read_settings<SettingsFor<RandomPolicyConfig, RandomPolicyAgent>, RandomPolicyConfig>;
  f.visit_fields = visit_config_json<RandomPolicyConfig>;
  return f;
}

}  // namespace dynalab
