// C-learning's session state (CLearningAgent::visit_state): everything the next ticks depend
// on, for save and load alike: the replay, the queries, the classifier with its Adam moments and
// normalisation, the counters, the random streams and the latest evaluation.
#include "core/agents/c_learning/c_learning_agent.h"
#include "core/models/param_state.h"
#include "core/state_visitor.h"

namespace dynalab {

void CLearningAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("replay", [&](StateVisitor& r) {
    r.field("obs", replay_.obs_data());
    r.field("actions", replay_.action_data());
    std::vector<double> anchors(replay_.anchor_rows().begin(), replay_.anchor_rows().end());
    std::vector<double> last(replay_.episode_last().begin(), replay_.episode_last().end());
    r.field("anchor_rows", anchors);
    r.field("episode_last", last);
    r.field("anchor_episode", replay_.anchor_episode());
    r.field("episode_terminated", replay_.episode_terminated());
    r.field("open", replay_.open());
    if (r.loading()) {
      replay_.anchor_rows().assign(anchors.begin(), anchors.end());
      replay_.episode_last().assign(last.begin(), last.end());
    }
  });
  v.records(
      "queries", queries_.size(),
      [&](size_t n) { queries_.assign(n, {{}, Vec::Zero(obs_dim_), Vec::Zero(action_dim_)}); },
      [&](size_t k, StateVisitor& q) {
        q.field("state", queries_[k].state);
        q.field("obs", queries_[k].obs);
        q.field("action", queries_[k].action);
      });
  v.section("classifier", [&](StateVisitor& cv) {
    const long n = classifier_.net().params().size();
    visit_floats(cv, "params", classifier_.net().params(), n);
    visit_adam(cv, "adam", classifier_.adam(), n);
    Vec shift = classifier_.shift(), scale = classifier_.scale();
    cv.field("shift", shift);
    cv.field("scale", scale);
    if (cv.loading()) classifier_.set_normalisation(shift, scale);
  });
  v.field("normalised", normalised_);
  v.field("warmup_episodes", warmup_episodes_);
  v.field("episode_step", episode_step_);
  {  // empty at an episode's start: a plain list of numbers, not a sized vector
    std::vector<double> prev(previous_action_.data(), previous_action_.data() + previous_action_.size());
    v.field("previous_action", prev);
    if (v.loading()) previous_action_ = Eigen::Map<const Vec>(prev.data(), long(prev.size()));
  }
  v.field("capture", capture_);
  v.field("query_distance", query_distance_);
  v.field("train_remaining", train_remaining_);
  v.field("gradient_steps", gradient_steps_);
  v.field("loss_sum", loss_sum_);
  v.field("loss_count", loss_count_);
  v.field("last_loss", last_loss_);
  v.field("act_rng", act_rng_);
  v.field("train_rng", train_rng_);
  v.field("mc_rng", mc_rng_);
  v.records(
      "monte_carlo", mc_.size(), [&](size_t n) { mc_.resize(n); },
      [&](size_t k, StateVisitor& m) { m.field("p", mc_[k]); });
  v.records(
      "predicted", predicted_.size(), [&](size_t n) { predicted_.resize(n); },
      [&](size_t k, StateVisitor& m) { m.field("p", predicted_[k]); });
  v.field("marginal", marginal_);
  v.field("kl_predicted", kl_pred_);
  v.field("kl_marginal", kl_marg_);
  v.field("kl_predicted_mean", kl_pred_mean_);
  v.field("kl_marginal_mean", kl_marg_mean_);
  v.field("curve_steps", curve_steps_);
  v.field("curve_predicted", curve_pred_);
  v.field("curve_marginal", curve_marg_);
}

}  // namespace dynalab
