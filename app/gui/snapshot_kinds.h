#pragma once
// The only place the GUI asks which kind of experiment a snapshot comes from. Panels and the
// viewport take the typed pointer from here; a later step replaces these casts with views.

#include "core/agents/mpc/mpc_agent.h"
#include "core/agents/tabular/dyna_agent.h"

namespace dynalab {

/// The snapshot of a tabular (Dyna) run, or nullptr.
inline const TabularSnapshot* tabular_of(const Snapshot* s) {
  return dynamic_cast<const TabularSnapshot*>(s);
}

/// The snapshot of an MPC run, or nullptr.
inline const MbrlSnapshot* mbrl_of(const Snapshot* s) {
  return dynamic_cast<const MbrlSnapshot*>(s);
}

}  // namespace dynalab
