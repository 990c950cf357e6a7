#pragma once
// The explicit list of agent families: the one place a new family is registered (one line in
// registry.cpp). An experiment file's "family" picks the family; the family reads its own fields
// and builds one agent per run, which core/episodic_experiment.h runs.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/agent.h"
#include "core/config_fields.h"

namespace dynalab {

/// A config value that picks one agent of a family (for `dynalab-cli list` and the GUI).
struct AgentEntry {
  std::string category;
  std::string name;  ///< the config value that picks it: tabular agent.algorithm, an mbrl version, a family
  std::string description;
  std::string family;  ///< the family that runs it (the experiment file's "family")
};

struct AgentFamily {
  std::string name;         ///< the experiment file's "family" value
  std::string description;  ///< one line for `dynalab-cli list`
  std::string category;     ///< default category of its experiments
  int default_episodes = 10;
  std::string default_env;  ///< env built when the file names none ("": the file must name one)
  std::vector<AgentEntry> agents;  ///< the config values that pick an agent within the family
  /// Reads the family's fields of the experiment config (defaults filled in, validated; errors
  /// via ConfigNode::fail name the file and key).
  std::function<std::unique_ptr<AgentSettings>(ConfigNode& root)> read;
  /// Fails via env_node.fail if `env` does not suit the family (e.g. discrete spaces for a table).
  std::function<void(const Env& env, ConfigNode& env_node)> check_env;
  /// The family's fields of an experiment config `config` through `v` (the GUI's config editor):
  /// visit_config_json<the family's config struct>.
  std::function<void(Json& config, FieldVisitor& v)> visit_fields;
};

const std::vector<AgentFamily>& agent_families();
/// The family named `name`, or null.
const AgentFamily* find_agent_family(const std::string& name);
/// True if `env` suits `family` (its check_env accepts it), e.g. for an env picker.
bool family_accepts_env(const AgentFamily& family, const Env& env);
/// Every family's agents, in registry order.
const std::vector<AgentEntry>& agent_registry();

}  // namespace dynalab
