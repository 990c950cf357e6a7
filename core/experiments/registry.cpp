#include "core/experiments/registry.h"

#include "core/experiments/mbrl_experiment.h"
#include "core/experiments/tabular_experiment.h"

namespace dynalab {

const std::vector<ExperimentKind>& experiment_kinds() {
  static const std::vector<ExperimentKind> kinds = {
      {"tabular", "tabular agents (Q-learning, Dyna-Q, Dyna-Q+, prioritized sweeping) on a discrete env",
       make_tabular_experiment},
      {"mbrl", "model-based RL by planning (MPC with random shooting / CEM / MPPI; oracle or learned model)",
       make_mbrl_experiment},
  };
  return kinds;
}

}  // namespace dynalab
