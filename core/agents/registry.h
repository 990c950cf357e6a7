#pragma once
// The explicit list of agents, for `dynalab-cli list` and the GUI's agent dropdown.

#include <string>
#include <vector>

namespace dynalab {

struct AgentEntry {
  std::string category;
  std::string name;  ///< the config value that picks it: tabular agent.algorithm, or mbrl version
  std::string description;
  std::string experiment_kind;  ///< the experiment kind that runs it ("tabular", "mbrl")
};

const std::vector<AgentEntry>& agent_registry();

}  // namespace dynalab
