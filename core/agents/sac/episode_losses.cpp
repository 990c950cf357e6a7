#include "core/agents/sac/episode_losses.h"

#include "core/state_visitor.h"

namespace dynalab {

void EpisodeLosses::visit_state(StateVisitor& v) {
  v.field("episode_updates", updates);
  v.field("episode_critic_loss", critic);
  v.field("episode_actor_loss", actor);
}

}  // namespace dynalab
