// Session state of SacLearner: networks, targets, Adam moments, log_alpha, the replay buffer
// and the Rng, so an update after a load draws and computes exactly what it would have.
#include "core/agents/sac/sac_learner.h"
#include "core/models/param_state.h"
#include "core/state_visitor.h"

namespace dynalab {

void SacLearner::visit_state(StateVisitor& v) {
  v.field("rng", rng_);
  v.field("updates", updates_);
  const std::pair<const char*, Mlp*> nets[] = {{"actor", &actor_},
                                               {"q1", &q1_},
                                               {"q2", &q2_},
                                               {"q1_target", &q1_target_},
                                               {"q2_target", &q2_target_}};
  for (const auto& [name, net] : nets)
    visit_floats(v, name, net->params(), long(net->params().size()));
  visit_floats(v, "log_alpha", log_alpha_, 1);
  visit_adam(v, "actor_adam", actor_adam_, long(actor_.params().size()));
  visit_adam(v, "q1_adam", q1_adam_, long(q1_.params().size()));
  visit_adam(v, "q2_adam", q2_adam_, long(q2_.params().size()));
  visit_adam(v, "alpha_adam", alpha_adam_, 1);
  v.section("replay_buffer", [&](StateVisitor& bv) { buffer_.visit_state(bv); });
}

}  // namespace dynalab
