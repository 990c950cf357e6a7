#pragma once
// The explicit list of experiment kinds. A config's "kind" picks one; the kind's factory reads
// the rest of the config. Named experiments are the JSON files in assets/experiments/.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/experiment.h"

namespace dynalab {

struct ExperimentKind {
  std::string kind, description;
  /// Reads the whole config from `root` (everything but "kind") and builds the experiment.
  std::function<std::unique_ptr<Experiment>(ConfigNode& root, const ExperimentSource& src, const EnvRegistry& envs)>
      make;
};

const std::vector<ExperimentKind>& experiment_kinds();

}  // namespace dynalab
