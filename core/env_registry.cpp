#include "core/env_registry.h"

namespace dynalab {

const EnvEntry* EnvRegistry::find(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<std::string> EnvRegistry::names() const {
  std::vector<std::string> n;
  for (const auto& e : entries_) n.push_back(e.name);
  return n;
}

std::unique_ptr<Env> EnvRegistry::make(ConfigNode& node, const std::string& default_name) const {
  std::string name = default_name;
  if (name.empty() && !node.has("name")) node.fail("name", "an env name");
  node.choice("name", name, names());
  auto env = find(name)->make(node);
  node.finish();
  return env;
}

}  // namespace dynalab
