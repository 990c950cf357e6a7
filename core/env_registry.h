#pragma once
// The list of environments, as {category, name, factory}. The list itself lives in
// envs/registry.cpp (the env layer); the core only knows this shape, and experiments receive
// the registry explicitly, so core never depends on Box2D.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/env.h"

namespace dynalab {

struct EnvEntry {
  std::string category, name, description;
  /// Builds the env from its config section (the node holds "name" and the env's own fields).
  std::function<std::unique_ptr<Env>(ConfigNode& node)> make;
};

class EnvRegistry {
 public:
  explicit EnvRegistry(std::vector<EnvEntry> entries) : entries_(std::move(entries)) {}
  const std::vector<EnvEntry>& entries() const { return entries_; }
  const EnvEntry* find(const std::string& name) const;
  std::vector<std::string> names() const;
  /// Reads "name" from `node`, then lets that env read its own fields. Errors name the key.
  std::unique_ptr<Env> make(ConfigNode& node, const std::string& default_name = "") const;

 private:
  std::vector<EnvEntry> entries_;
};

}  // namespace dynalab
