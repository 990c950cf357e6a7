#include "core/agents/registry.h"

#include "core/agents/actor_critic/actor_critic_agent.h"
#include "core/agents/ars/ars_agent.h"
#include "core/agents/backprop/backprop_agent.h"
#include "core/agents/c_learning/c_learning_agent.h"
#include "core/agents/latent/latent_agent.h"
#include "core/agents/gps/gps_agent.h"
#include "core/agents/mbpg/mbpg_agent.h"
#include "core/agents/mbpo/mbpo_agent.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/agents/pilco/pilco_agent.h"
#include "core/agents/random/random_policy.h"
#include "core/agents/sac/sac_agent.h"
#include "core/agents/successor/successor_agent.h"
#include "core/agents/successor_features/gpi_agent.h"
#include "core/agents/tabular/dyna_agent.h"
#include "core/agents/tree_search/tree_search_agent.h"
#include "core/agents/vin/vin_agent.h"

namespace dynalab {

const std::vector<AgentFamily>& agent_families() {
  // One line per family: a new family is a folder under core/agents/ and a line here.
  static const std::vector<AgentFamily> families = {
      tabular_family(),
      mpc_family(),
      random_policy_family(),
      sac_family(),
      mbpo_family(),
      ppo_family(),
      a2c_family(),
      ars_family(),
      backprop_family(),
      gps_family(),
      mbpg_family(),
      pilco_family(),
      tree_search_family(),
      successor_family(),
      gpi_family(),
      vin_family(),
      c_learning_family(),
      latent_family(),
  };
  return families;
}

const AgentFamily* find_agent_family(const std::string& name) {
  for (const auto& f : agent_families())
    if (f.name == name) return &f;
  return nullptr;
}

bool family_accepts_env(const AgentFamily& family, const Env& env) {
  if (!family.check_env) return true;
  const Json section = Json::object();
  ConfigNode node(section, "env");
  try {
    family.check_env(env, node);
    return true;
  } catch (const InputError&) {
    return false;
  }
}

const std::vector<AgentEntry>& agent_registry() {
  static const std::vector<AgentEntry> agents = [] {
    std::vector<AgentEntry> all;
    for (const auto& f : agent_families()) all.insert(all.end(), f.agents.begin(), f.agents.end());
    return all;
  }();
  return agents;
}

}  // namespace dynalab
