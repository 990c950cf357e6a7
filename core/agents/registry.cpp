#include "core/agents/registry.h"

namespace dynalab {

const std::vector<AgentEntry>& agent_registry() {
  static const std::vector<AgentEntry> agents = {
      {"tabular", "q_learning", "one-step tabular Q-learning (Dyna-Q with n = 0, no model)", "tabular"},
      {"tabular", "dyna_q", "Dyna-Q: n uniform planning updates from the learned model per real step", "tabular"},
      {"tabular", "dyna_q_plus", "Dyna-Q+: planning reward r + kappa sqrt(tau) rewards trying old actions", "tabular"},
      {"tabular", "prioritized_sweeping", "planning updates ordered by priority |TD error|, swept backwards", "tabular"},
      {"mbrl", "mpc_oracle", "MPC: replan every k steps with random shooting / CEM / MPPI on the true env", "mbrl"},
  };
  return agents;
}

}  // namespace dynalab
