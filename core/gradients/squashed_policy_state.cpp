#include "core/gradients/squashed_policy_state.h"

#include "core/state_visitor.h"

namespace dynalab {

void visit_policy_state(StateVisitor& v, SquashedPolicy& policy, AdamT<double>& adam) {
  v.section("policy", [&](StateVisitor& pv) {
    Vec params = policy.params();
    pv.field("params", params);
    policy.params() = params;
    Vec m = adam.m, s = adam.v;
    pv.field("adam_m", m);
    pv.field("adam_v", s);
    adam.m = m;
    adam.v = s;
    int64_t t = adam.t;
    pv.field("adam_t", t);
    adam.t = long(t);
  });
}

}  // namespace dynalab
