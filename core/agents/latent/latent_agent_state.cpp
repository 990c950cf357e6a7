// The latent agent's session state (LatentAgent::visit_state): everything the next ticks depend
// on, for save and load alike. The replay's frames go to latent/frames.bin (raw float32: 8 KB a
// step would make the JSON enormous); the held-out set is not saved but collected again from the
// same seed stream, and the evaluation recomputed from it. A replan in progress restarts from
// its saved warm start with the same seed: the same plan, bit for bit.
#include <cstring>

#include "core/agents/latent/latent_agent.h"
#include "core/models/param_state.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {
void visit_net(StateVisitor& v, const std::string& key, Mlp& net, Adam& adam) {
  v.section(key, [&](StateVisitor& n) {
    const long size = net.params().size();
    visit_floats(n, "params", net.params(), size);
    visit_adam(n, "adam", adam, size);
  });
}
}  // namespace

void LatentAgent::visit_state(StateVisitor& v, const Env& real, const Vec&) {
  v.section("replay", [&](StateVisitor& r) {
    std::vector<float>& obs = replay_.obs_data();
    r.file(
        "latent/frames.bin", [&] { return std::string(reinterpret_cast<const char*>(obs.data()), obs.size() * sizeof(float)); },
        [&](const std::string& bytes, const std::string& source) {
          if (bytes.size() % (sizeof(float) * size_t(obs_dim_)) != 0)
            throw InputError(source + ": not a whole number of " + std::to_string(obs_dim_) + "-value frames");
          obs.resize(bytes.size() / sizeof(float));
          std::memcpy(obs.data(), bytes.data(), bytes.size());
        });
    r.field("actions", replay_.action_data());
    r.field("rewards", replay_.rewards());
    std::vector<double> obs_starts(replay_.obs_starts().begin(), replay_.obs_starts().end());
    std::vector<double> starts(replay_.starts().begin(), replay_.starts().end());
    r.field("obs_starts", obs_starts);
    r.field("starts", starts);
    if (r.loading()) {
      replay_.obs_starts().assign(obs_starts.begin(), obs_starts.end());
      replay_.starts().assign(starts.begin(), starts.end());
    }
  });
  v.section("model", [&](StateVisitor& m) {
    visit_net(m, "encoder", model_.encoder(), model_.adam(0));
    visit_net(m, "decoder", model_.decoder(), model_.adam(1));
    visit_net(m, "dynamics", model_.dynamics(), model_.adam(2));
    visit_net(m, "reward", model_.reward_head(), model_.adam(3));
  });
  v.field("act_rng", act_rng_);
  v.field("train_rng", train_rng_);
  v.field("has_held_out", has_held_out_);
  v.field("collected", collected_);
  v.field("train_remaining", train_remaining_);
  v.field("need_plan", need_plan_);
  v.field("replans", replans_);
  v.field("plan", plan_);
  {  // the planner's warm start: of the replan in progress, or the current one
    const bool replanning = planner_->in_progress();
    std::vector<float> mean = replanning ? replan_mean_ : planner_->mean();
    std::vector<float> stddev = replanning ? replan_std_ : planner_->stddev();
    v.field("planner_mean", mean);
    v.field("planner_stddev", stddev);
    if (v.loading()) {
      planner_->cancel();
      planner_->set_distribution(mean, stddev);
    }
  }
  v.field("fits", fits_);
  v.field("gradient_steps", gradient_steps_);
  v.sized("loss_sums", loss_sums_, 3);
  v.field("loss_count", loss_count_);
  v.sized("fit_losses", fit_losses_, 3);
  v.field("reward_shift", reward_shift_);
  v.field("reward_scale", reward_scale_);
  v.field("last_obs", last_obs_);
  v.field("curve_fit", curve_fit_);
  v.field("curve_reconstruction", curve_reconstruction_);
  v.field("curve_prediction", curve_prediction_);
  v.field("curve_repeat", curve_repeat_);
  {  // this run's rows of k_step_error.csv (the shared rows are not otherwise saved)
    LatentRows::Run none, &r = rows_ ? rows_->runs[seed_.run] : none;
    v.field("row_fits", r.fits);
    v.records(
        "k_step_rows", r.model.size(), [&](size_t n) { r.model.assign(n, {}), r.repeat.assign(n, {}); },
        [&](size_t e, StateVisitor& row) {
          row.field("model", r.model[e]);
          row.field("repeat", r.repeat[e]);
        });
  }
  v.field("strip_start", strip_start_);
  v.field("steps", steps_);
  auto frames = [&](const std::string& key, std::vector<std::vector<float>>& xs) {
    v.records(
        key, xs.size(), [&](size_t n) { xs.assign(n, {}); },
        [&](size_t k, StateVisitor& f) { f.sized("frame", xs[k], size_t(frame_dim_)); });
  };
  frames("strip_predicted", strip_predicted_);
  frames("strip_real", strip_real_);
  if (v.loading()) {
    evaluator_->set_reward_moments(reward_shift_, reward_scale_);
    if (has_held_out_) {
      Rng rng = seed_.stream(4);
      held_out_ = collect_held_out(real, cfg_.latent.held_out_rollouts, cfg_.latent.held_out_steps, rng);
    }
    if (fits_ > 0) evaluate(false);  // the latest evaluation, without adding to the curves again
  }
}

}  // namespace dynalab
