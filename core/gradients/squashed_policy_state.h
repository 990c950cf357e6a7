#pragma once
// A SquashedPolicy and its Adam optimiser in a session (core/state_visitor.h): the parameters and
// Adam's moments and step count, so a restored run continues bit for bit.

#include "core/gradients/squashed_policy.h"
#include "core/models/adam.h"

namespace dynalab {

class StateVisitor;

/// Section "policy": params, adam_m, adam_v, adam_t (saved or loaded, as `v` does).
void visit_policy_state(StateVisitor& v, SquashedPolicy& policy, AdamT<double>& adam);

}  // namespace dynalab
