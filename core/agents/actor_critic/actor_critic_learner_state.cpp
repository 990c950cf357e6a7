// Session state of ActorCriticLearner: networks, log_std, gSDE noise, optimiser moments, the
// normalisers, the rollout in progress (or being trained on) with its queued minibatches, and
// the Rng, so a step after a load draws and computes exactly what it would have.
#include "core/agents/actor_critic/actor_critic_learner.h"
#include "core/models/param_state.h"
#include "core/state_visitor.h"

namespace dynalab {

void ActorCriticLearner::visit_state(StateVisitor& v) {
  v.field("rng", rng_);
  v.field("updates", updates_);
  v.field("learning_rate_now", lr_);
  visit_floats(v, "mean_net", mean_net_.params(), long(mean_net_.params().size()));
  visit_floats(v, "value_net", value_net_.params(), long(value_net_.params().size()));
  visit_floats(v, "log_std", log_std_, long(log_std_.size()));
  if (cfg_.use_sde) {
    Eigen::VectorXf e = sde_noise_.reshaped();
    visit_floats(v, "sde_noise", e, long(log_std_.size()));
    if (v.loading()) sde_noise_ = e.reshaped(log_std_.size() / action_dim_, action_dim_);
  }
  if (cfg_.loss == PolicyGradientLoss::a2c && cfg_.use_rms_prop) {
    visit_rmsprop(v, "rms_net", rms_net_, long(mean_net_.params().size()));
    visit_rmsprop(v, "rms_log_std", rms_log_std_, long(log_std_.size()));
    visit_rmsprop(v, "rms_value", rms_value_, long(value_net_.params().size()));
  } else {
    visit_adam(v, "adam_net", adam_net_, long(mean_net_.params().size()));
    visit_adam(v, "adam_log_std", adam_log_std_, long(log_std_.size()));
    visit_adam(v, "adam_value", adam_value_, long(value_net_.params().size()));
  }
  v.section("obs_normalizer", [&](StateVisitor& nv) { obs_norm_.stats.visit_state(nv); });
  v.section("reward_normalizer", [&](StateVisitor& nv) { reward_norm_.visit_state(nv); });
  v.section("rollout", [&](StateVisitor& rv) {
    rv.field("rewards", rollout_.rewards);
    const size_t n = rollout_.rewards.size();
    rv.sized("obs", rollout_.obs, n * size_t(obs_dim_));
    rv.sized("actions", rollout_.actions, n * size_t(action_dim_));
    rv.sized("values", rollout_.values, n);
    rv.sized("log_probs", rollout_.log_probs, n);
    rv.sized("episode_ends", rollout_.episode_ends, n);
    rv.field("advantages", rollout_.advantages);
    rv.field("returns", rollout_.returns);
  });
  v.field("pending_obs", pending_obs_);
  v.field("pending_action", pending_action_);
  v.field("pending_value", pending_value_);
  v.field("pending_log_prob", pending_log_prob_);
  v.field("minibatch_rows", minibatch_rows_);
  v.field("minibatch_starts", minibatch_starts_);
  v.field("next_minibatch", next_minibatch_);
}

}  // namespace dynalab
