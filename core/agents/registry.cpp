#include "core/agents/registry.h"

namespace dynalab {

const std::vector<AgentEntry>& agent_registry() {
  static const std::vector<AgentEntry> agents = {
      {"tabular", "q_learning", "one-step tabular Q-learning (Dyna-Q with n = 0, no model)", "tabular"},
      {"tabular", "dyna_q", "Dyna-Q: n uniform planning updates from the learned model per real step", "tabular"},
      {"tabular", "dyna_q_plus", "Dyna-Q+: planning reward r + kappa sqrt(tau) rewards trying old actions", "tabular"},
      {"tabular", "prioritized_sweeping", "planning updates ordered by priority |TD error|, swept backwards", "tabular"},
      {"mbrl", "v0.5", "random data, fit the model once, plan and execute each plan open loop", "mbrl"},
      {"mbrl", "v1.0", "v0.5, but every episode's data is aggregated and the model refit", "mbrl"},
      {"mbrl", "v1.5", "MPC: execute replan_every actions of each plan, then replan; refit per episode", "mbrl"},
      {"mbrl", "pets", "v1.5 with a probabilistic ensemble and trajectory sampling (PETS)", "mbrl"},
  };
  return agents;
}

}  // namespace dynalab
