#pragma once
// A test helper: a registered experiment built as the EpisodicExperiment every family runs in,
// so a test can read its episodes, snapshot and sessions directly.

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/episodic_experiment.h"
#include "envs/registry.h"

namespace dynalab::test {

/// The experiment `name` (a registered name or a JSON path) with the `sets` overrides
/// ("key.path=value"); fails the test if it is not an episodic experiment.
inline std::unique_ptr<EpisodicExperiment> make_episodic(const std::string& name, std::vector<std::string> sets = {}) {
  auto e = make_experiment(load_experiment(name, sets), env_registry());
  auto* p = dynamic_cast<EpisodicExperiment*>(e.release());
  REQUIRE(p);
  return std::unique_ptr<EpisodicExperiment>(p);
}

}  // namespace dynalab::test
