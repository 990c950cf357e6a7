// The latent agent's session state (LatentAgent::visit_state): everything the next ticks depend
// on, for save and load alike. The replay's frames go to latent/frames.bin (raw float32: 8 KB a
// step would make the JSON enormous); the held-out set is not saved but collected again from the
// same seed stream, and the evaluation recomputed from it. A replan in progress restarts from
// its saved warm start with the same seed: the same plan, bit for bit.
#include <cmath>
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
    const std::string frames_file = "latent/frames.bin";
    r.file(
        frames_file, [&] { return std::string(reinterpret_cast<const char*>(obs.data()), obs.size() * sizeof(float)); },
        [&](const std::string& bytes, const std::string& source) {
          if (bytes.size() % (sizeof(float) * size_t(obs_dim_)) != 0)
            throw InputError(source + ": not a whole number of " + std::to_string(obs_dim_) + "-value frames");
          obs.resize(bytes.size() / sizeof(float));
          std::memcpy(obs.data(), bytes.data(), bytes.size());
          for (float x : obs)  // gray levels: anything else is not a frame the env drew
            if (!(x >= 0 && x <= 1)) throw InputError(source + ": expected gray levels in [0, 1], got " + std::to_string(x));
        });
    r.field("actions", replay_.action_data());
    r.field("rewards", replay_.rewards());
    std::vector<double> obs_starts(replay_.obs_starts().begin(), replay_.obs_starts().end());
    std::vector<double> starts(replay_.starts().begin(), replay_.starts().end());
    r.field("obs_starts", obs_starts);
    r.field("starts", starts);
    {  // per episode 1 if it terminated; absent in a session saved before the absorbing states
      bool present = true;
      r.optional("episode_terminated", present, [&](StateVisitor& t) { t.field("values", replay_.terminated()); });
      if (r.loading() && !present) replay_.terminated().assign(starts.size(), 0);
    }
    if (!r.loading()) return;
    // FrameReplay::sample indexes the raw rows through these without checks, so an edited file
    // must hold exactly the layout begin_episode() and add() build.
    const size_t steps = replay_.rewards().size();
    if (replay_.action_data().size() != steps * size_t(action_dim_))
      r.fail("actions", std::to_string(steps * size_t(action_dim_)) + " values (" + std::to_string(action_dim_) +
                            " per reward), got " + std::to_string(replay_.action_data().size()));
    for (double x : replay_.rewards())
      if (!std::isfinite(x)) r.fail("rewards", "finite numbers");
    // The experiment begins an episode before the first step, so a saved replay has one.
    if (starts.empty()) r.fail("starts", "at least one episode start (0 first)");
    for (size_t e = 0; e < starts.size(); ++e) {
      const double lo = e == 0 ? 0.0 : starts[e - 1], hi = e == 0 ? 0.0 : double(steps);
      if (!(starts[e] >= lo && starts[e] <= hi) || starts[e] != std::floor(starts[e]))
        r.fail("starts", "whole step indices, 0 first, increasing, at most the " + std::to_string(steps) +
                             " rewards (entry " + std::to_string(e) + ")");
    }
    // Each episode stores one observation more than its steps: its first one.
    if (obs_starts.size() != starts.size())
      r.fail("obs_starts", std::to_string(starts.size()) + " values (one per start), got " + std::to_string(obs_starts.size()));
    for (size_t e = 0; e < starts.size(); ++e)
      if (obs_starts[e] != starts[e] + double(e))
        r.fail("obs_starts", "starts[e] + e (each episode's first frame comes before its steps; entry " +
                                 std::to_string(e) + ")");
    const size_t rows = obs.size() / size_t(obs_dim_);
    if (rows != steps + starts.size())
      throw InputError((r.dir() / frames_file).string() + ": expected " + std::to_string(steps + starts.size()) +
                       " frames (one per reward and one per episode start), got " + std::to_string(rows));
    if (replay_.terminated().size() != starts.size())
      r.fail("episode_terminated", std::to_string(starts.size()) + " values (one per start), got " +
                                       std::to_string(replay_.terminated().size()));
    for (size_t e = 0; e < starts.size(); ++e) {
      const int x = replay_.terminated()[e];
      const double episode_steps = (e + 1 < starts.size() ? starts[e + 1] : double(steps)) - starts[e];
      if ((x != 0 && x != 1) || (x == 1 && episode_steps < 1))  // a terminal state is reached by a step
        r.fail("episode_terminated", "0 or 1 per episode, 1 only for an episode with steps (entry " + std::to_string(e) + ")");
    }
    replay_.obs_starts().assign(obs_starts.begin(), obs_starts.end());
    replay_.starts().assign(starts.begin(), starts.end());
  });
  v.section("model", [&](StateVisitor& m) {
    visit_net(m, "encoder", model_.encoder(), model_.adam(0));
    visit_net(m, "decoder", model_.decoder(), model_.adam(1));
    visit_net(m, "dynamics", model_.dynamics(), model_.adam(2));
    visit_net(m, "reward", model_.reward_head(), model_.adam(3));
    if (cfg_.model.keypoints > 0) {  // set at a fit's start from the replay of then
      Eigen::VectorXf background = model_.keypoints().background().transpose();
      visit_floats(m, "keypoints_background", background, frame_dim_);
      if (m.loading()) {
        if (!background.allFinite() || (background.array() < 0).any() || (background.array() > 1).any())
          m.fail("keypoints_background", "gray levels in [0, 1]");
        model_.set_background(background.transpose());
      }
    }
  });
  v.field("act_rng", act_rng_);
  v.field("train_rng", train_rng_);
  v.field("has_held_out", has_held_out_);
  v.field("collected", collected_);
  // observe() adds every real step to the replay and counts it here.
  if (v.loading() && size_t(collected_) != replay_.rewards().size())
    v.fail("collected", std::to_string(replay_.rewards().size()) + " (the replay's steps), got " + std::to_string(collected_));
  // At most one fit's gradient steps remain: a larger count would keep the agent fitting forever.
  v.bounded("train_remaining", train_remaining_, 0, std::max({1, cfg_.latent.first_fit_updates, cfg_.latent.updates_per_fit}));
  v.field("need_plan", need_plan_);
  v.field("replans", replans_);
  if (v.loading() && replans_ < 0) v.fail("replans", "a count of at least 0");
  const size_t HA = size_t(planner_->horizon()) * size_t(action_dim_);
  v.field("plan", plan_);
  // act() executes the plan's first action once warm-up is over and no replan is pending.
  if (v.loading() && plan_.size() != HA && !(plan_.empty() && (warming_up() || need_plan_)))
    v.fail("plan", std::to_string(HA) + " values (planner.horizon x action dims), got " + std::to_string(plan_.size()));
  {  // the planner's warm start: of the replan in progress, or the current one
    const bool replanning = planner_->in_progress();
    std::vector<float> mean = replanning ? replan_mean_ : planner_->mean();
    std::vector<float> stddev = replanning ? replan_std_ : planner_->stddev();
    v.sized("planner_mean", mean, HA);
    v.sized("planner_stddev", stddev, planner_->stddev().empty() ? 0 : HA);
    if (v.loading()) {
      for (float x : stddev)
        if (!(x >= 0 && std::isfinite(x))) v.fail("planner_stddev", "finite spreads of at least 0");
      planner_->cancel();
      planner_->set_distribution(mean, stddev);
    }
  }
  v.bounded("fits", fits_, 0, std::numeric_limits<int>::max());
  v.optional("diverged", diverged_, [](StateVisitor&) {});  // present only once it did
  // evaluate() measures on the held-out set, collected before the first fit.
  if (v.loading() && fits_ > 0 && !has_held_out_) v.fail("has_held_out", "true after a fit");
  v.field("gradient_steps", gradient_steps_);
  if (v.loading() && gradient_steps_ < 0) v.fail("gradient_steps", "a count of at least 0");
  v.sized("loss_sums", loss_sums_, 3);
  v.field("loss_count", loss_count_);
  if (v.loading() && (loss_count_ < 0 || loss_count_ > gradient_steps_)) v.fail("loss_count", "a count in [0, gradient_steps]");
  v.sized("fit_losses", fit_losses_, 3);
  v.field("reward_shift", reward_shift_);
  v.field("reward_scale", reward_scale_);
  if (v.loading() && !(std::isfinite(reward_shift_) && std::isfinite(reward_scale_) && reward_scale_ > 0))
    v.fail("reward_scale", "a finite reward_shift and a finite reward_scale above 0");
  v.field("last_obs", last_obs_);
  {  // the filter's memory (LatentSettings::filter_weight); absent in a session saved without it
    bool present = belief_.size() > 0 || belief_prediction_.size() > 0;
    v.optional("filter", present, [&](StateVisitor& f) {
      for (auto [key, z] : {std::pair{"belief", &belief_}, std::pair{"belief_prediction", &belief_prediction_}}) {
        std::vector<float> x(z->data(), z->data() + z->size());
        f.field(key, x);
        if (!f.loading()) continue;
        const int Z = cfg_.model.latent_dim;
        if (!x.empty() && int(x.size()) != Z) f.fail(key, "0 or " + std::to_string(Z) + " values (model.latent_dim)");
        for (float e : x)
          if (!std::isfinite(e)) f.fail(key, "finite numbers");
        *z = x.empty() ? LatentModel::Mat() : LatentModel::Mat(Eigen::Map<const LatentModel::Mat>(x.data(), 1, Z));
      }
    });
  }
  {  // the novelty bonus's seen latents as of the last fit (a fit's end re-encodes them); absent
     // in a session saved before it or before the first fit
    bool present = novelty_seen_.size() > 0;
    v.optional("novelty", present, [&](StateVisitor& f) {
      std::vector<float> x(novelty_seen_.data(), novelty_seen_.data() + novelty_seen_.size());
      f.field("seen", x);
      if (!f.loading()) return;
      const int Z = cfg_.model.latent_dim;
      if (x.size() % size_t(Z) != 0 || x.size() / size_t(Z) > size_t(LatentSettings::kNoveltyPoints))
        f.fail("seen", "rows of " + std::to_string(Z) + " values (model.latent_dim), at most " +
                           std::to_string(LatentSettings::kNoveltyPoints));
      for (float e : x)
        if (!std::isfinite(e)) f.fail("seen", "finite numbers");
      const Eigen::Index rows = Eigen::Index(x.size()) / Z;
      novelty_seen_ = rows == 0 ? LatentModel::Mat() : LatentModel::Mat(Eigen::Map<const LatentModel::Mat>(x.data(), rows, Z));
    });
  }
  v.field("curve_fit", curve_fit_);
  v.field("curve_reconstruction", curve_reconstruction_);
  v.field("curve_prediction", curve_prediction_);
  v.field("curve_repeat", curve_repeat_);
  if (v.loading())  // the figure pairs them value for value
    for (const std::vector<double>* c : {&curve_reconstruction_, &curve_prediction_, &curve_repeat_})
      if (c->size() != curve_fit_.size()) v.fail("curve_fit", "one value per value of each curve_* (one per fit)");
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
  if (v.loading() && (steps_ != collected_ || strip_start_ < 0 || strip_start_ > steps_))
    v.fail("steps", "collected (" + std::to_string(collected_) + "), with 0 <= strip_start <= steps");
  auto frames = [&](const std::string& key, std::vector<std::vector<float>>& xs) {
    v.records(
        key, xs.size(), [&](size_t n) { xs.assign(n, {}); },
        [&](size_t k, StateVisitor& f) { f.sized("frame", xs[k], size_t(frame_dim_)); });
  };
  frames("strip_predicted", strip_predicted_);
  frames("strip_real", strip_real_);
  if (v.loading()) {
    evaluator_->set_reward_moments(reward_shift_, reward_scale_);
    evaluator_->set_seen(novelty_seen_, novelty_weight_now());
    if (has_held_out_) {
      Rng rng = seed_.stream(4);
      held_out_ = collect_held_out(real, cfg_.latent.held_out_rollouts, cfg_.latent.held_out_steps, rng);
    }
    if (fits_ > 0) evaluate(false);  // the latest evaluation, without adding to the curves again
  }
}

}  // namespace dynalab
