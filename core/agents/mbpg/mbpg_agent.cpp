#include "core/agents/mbpg/mbpg_agent.h"

#include <algorithm>

#include "core/agents/mbpo/mbpo_agent.h"
#include "core/dataset_state.h"
#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/planning/policy_rollout.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

MbpgAgent::MbpgAgent(const MbpgAgentConfig& cfg, const Env& env, const RunSeed& seed,
                     std::shared_ptr<MbpgRuns> runs)
    : cfg_(cfg),
      run_(seed.run),
      action_space_(env.action_space()),
      episode_length_(env.max_episode_steps()),
      dataset_(env.observation_space().dim(), env.action_space().dim()),
      reward_env_(env.clone()),
      model_(make_learned_model(cfg.model, env.observation_space().dim(),
                                env.action_space().dim(), seed.stream(4).next_u64())),
      learner_(cfg.ppo, env.observation_space(), env.action_space(), seed.rng()),
      rng_(seed.stream(5)),
      explore_rng_(seed.stream(7)),
      forecast_rng_(seed.stream(6)),
      eval_(env, seed, std::shared_ptr<std::vector<LearningCurveRow>>(runs, &runs->curve)),
      runs_(std::move(runs)),
      last_obs_(Vec::Zero(env.observation_space().dim())) {
  stepper_ = mbpo_model_stepper(cfg_.model, *reward_env_, model_);
}

void MbpgAgent::begin_iteration() {
  if (training_ || imagining_ || model_->diverged()) return;
  model_->begin_training(dataset_, rng_);  // warm start from the current weights
  training_ = true;
}

Vec MbpgAgent::draw_start() {
  if (cfg_.start_states == "real_starts")
    return episode_starts_[size_t(rng_.below(episode_starts_.size()))];
  return dataset_.at(size_t(rng_.below(dataset_.size()))).obs;
}

void MbpgAgent::think(const Env&, const Vec&, const AgentClock&) {
  if (training_) {  // one epoch of the refit on all real data
    if (!model_->train_epoch(rng_).done) return;
    training_ = false;
    ++fits_;
    imagining_ = true;
    horizon_ = cfg_.rollout_horizon;
    trajectories_ = 0;
    imagined_steps_ = 0;
    imagined_reward_ = 0;
    ppo_steps_ = 0;
    policy_loss_ = value_loss_ = 0;
    shown_.clear();
    return;
  }
  if (imagining_) {
    imagine_chunk();
    return;
  }
  const ActorCriticLosses l = learner_.update();  // one PPO minibatch step on imagined data
  ++ppo_steps_;
  policy_loss_ += l.policy;
  value_loss_ += l.value;
  if (!learner_.updating()) forecast_real_episode();
}

void MbpgAgent::forecast_real_episode() {
  // The real episode about to run began before this iteration's thinking (its start is the
  // latest episode start).
  const Vec& start = episode_starts_.back();
  const int n = kForecastEpisodes;
  RowMatrixXf starts(n, start.size());
  starts.rowwise() = start.transpose().cast<float>();
  const BatchPolicy policy = [this](const RowMatrixXf& states, RowMatrixXf& actions) {
    for (Eigen::Index r = 0; r < states.rows(); ++r) {
      const Vec a = learner_.sample_action(states.row(r).transpose().cast<double>(), forecast_rng_);
      actions.row(r) = action_space_.clip(a).transpose().cast<float>();
    }
  };
  const PolicyRollout out =
      policy_rollout(*stepper_, starts, episode_length_, policy, forecast_rng_.next_u64());
  model_return_ = double(out.returns.cast<double>().mean());
}

void MbpgAgent::imagine_chunk() {
  int64_t chunk = 0;
  while (chunk < kImagineChunk && !learner_.updating()) {
    const Vec start = draw_start();
    const uint64_t seed = rng_.next_u64();
    const ImaginedTrajectory tr = imagine_trajectory(*stepper_, learner_, action_space_, start,
                                                     horizon_, seed, env_steps_);
    ++trajectories_;
    imagined_steps_ += tr.steps();
    imagined_reward_ += tr.total_reward();
    chunk += tr.steps();
    // Fewer whole episodes than short branches: 200-step paths would hide each other.
    if (int(shown_.size()) < (horizon_ > 50 ? kShownEpisodes : kShownTrajectories))
      shown_.push_back({tr.states, tr.members, tr.terminated});
  }
  if (!learner_.updating()) return;
  imagining_ = false;
  // The mean imagined reward per step over a whole episode (the header comment).
  imagined_return_ = imagined_steps_ > 0
                         ? double(episode_length_) * imagined_reward_ / double(imagined_steps_)
                         : 0.0;
  ++iteration_;
  iteration_pending_ = true;
}

Vec MbpgAgent::act(const Vec& obs) {
  if (warming_up()) return action_space_.sample(explore_rng_);
  // a ~ pi(.|s), unclipped (the env clips); not added to PPO's data.
  return learner_.sample_action(obs, explore_rng_);
}

void MbpgAgent::observe(const Transition& t, bool) {
  ++env_steps_;
  dataset_.add(t);
  last_obs_ = t.next_obs;
  if (t.episode >= 0) real_return_ += t.reward;
  // The warm-up's last step starts the first iteration; later ones start at episode ends.
  if (int64_t(dataset_.size()) == cfg_.random_steps) begin_iteration();
  if (env_steps_ % cfg_.evaluation.eval_every == 0) eval_.record(
      [this](const Vec& obs) {
        const Vec a = learner_.deterministic_action(obs);
        return ActionScale{action_space_}.to_unit(action_space_.clip(a));
      },
      cfg_.evaluation.eval_episodes, env_steps_);
}

double MbpgAgent::evaluate() {
  return eval_.evaluate(
      [this](const Vec& obs) {
        return ActionScale{action_space_}.to_unit(
            action_space_.clip(learner_.deterministic_action(obs)));
      },
      cfg_.evaluation.eval_episodes);
}

void MbpgAgent::begin_episode(int, const Vec& obs) {
  episode_starts_.push_back(obs);
  last_obs_ = obs;
  real_return_ = 0;
}

void MbpgAgent::end_episode(const Trajectory& episode) {
  real_path_.clear();
  for (int t = 0; t <= episode.steps(); ++t) real_path_.push_back(episode.observation(t));
  if (iteration_pending_) {
    iteration_pending_ = false;
    runs_->iterations.push_back({run_, iteration_, env_steps_, horizon_,
                                 cfg_.start_states, trajectories_, imagined_steps_,
                                 imagined_return_, episode.total_reward(), model_return_});
  }
  if (!warming_up()) begin_iteration();
}

std::vector<std::string> MbpgAgent::metric_columns() const {
  return {"steps",           "env_steps",           "return",       "terminated",
          "imagined_return", "imagined_minus_real", "model_return", "model_minus_real",
          "policy_loss",     "value_loss",          "policy_std",   "model_fits"};
}

std::vector<double> MbpgAgent::episode_metrics() const {
  const double n = double(std::max<int64_t>(ppo_steps_, 1));
  const bool fresh = iteration_pending_;  // this episode ran the policy of a new iteration
  return {fresh ? imagined_return_ : 0.0, fresh ? imagined_return_ - real_return_ : 0.0,
          fresh ? model_return_ : 0.0,     fresh ? model_return_ - real_return_ : 0.0,
          policy_loss_ / n, value_loss_ / n, learner_.policy_std(last_obs_), double(fits_)};
}

void MbpgAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  eval_.add_figure(figures);
  Figure real{"real_return", "Real return per iteration", "real env steps", "return of the real episode",
              {}, false};
  Figure gap{"imagined_minus_real", "Imagined minus real return", "iteration",
             "imagined - real return", {}, false};
  Figure forecast{"forecast_minus_real", "Model forecast minus real return", "iteration",
                  "forecast - real return", {}, false};
  const bool several = !runs_->iterations.empty() && runs_->iterations.front().run != run_;
  for (const MbpgIterationRow& r : runs_->iterations) {
    const std::string tag = several ? " run " + std::to_string(r.run) : "";
    Series& rs = real.series_named(several ? "run " + std::to_string(r.run) : "real");
    rs.x.push_back(double(r.env_steps));
    rs.y.push_back(r.real_return);
    Series& g = gap.series_named(several ? "run " + std::to_string(r.run) : "imagined - real");
    g.x.push_back(double(r.iteration));
    g.y.push_back(r.imagined_return - r.real_return);
    Series& fg = forecast.series_named(several ? "run " + std::to_string(r.run) : "forecast - real");
    fg.x.push_back(double(r.iteration));
    fg.y.push_back(r.model_return - r.real_return);
  }
  figures.push_back(std::move(real));
  figures.push_back(std::move(gap));
  figures.push_back(std::move(forecast));
}

void MbpgAgent::publish(Snapshot& s) const {
  const char* phase = warming_up()         ? "random (initial data)"
                      : training_          ? "fitting the model"
                      : imagining_         ? "imagining trajectories"
                      : learner_.updating() ? "PPO on imagined data"
                                           : "real episode";
  add_phase(s, phase);
  s.stats.push_back({"iteration", std::to_string(iteration_)});
  s.stats.push_back({"rollouts", "H = " + std::to_string(cfg_.rollout_horizon) + " from " +
                                     (cfg_.start_states == "real_starts" ? "real episode starts"
                                                                         : "replay states")});
  s.stats.push_back({"imagined", std::to_string(trajectories_) + " trajectories, " +
                                     std::to_string(imagined_steps_) + " steps"});
  if (!runs_->iterations.empty() && runs_->iterations.back().run == run_) {
    const MbpgIterationRow& r = runs_->iterations.back();
    s.stats.push_back({"imagined return", short_number(r.imagined_return)});
    s.stats.push_back({"real return", short_number(r.real_return)});
    s.stats.push_back({"imagined - real", short_number(r.imagined_return - r.real_return)});
    s.stats.push_back({"model forecast", short_number(r.model_return)});
  }
  s.stats.push_back({"model fits", std::to_string(fits_)});
  s.stats.push_back({"PPO updates", std::to_string(learner_.updates())});
  s.stats.push_back({"policy std", short_number(learner_.policy_std(last_obs_))});
  eval_.publish(s);
  if (shown_.empty() && real_path_.empty()) return;
  auto v = std::make_shared<BranchedRolloutView>();
  v->rollouts = shown_;
  v->horizon = horizon_ > 0 ? horizon_ : cfg_.rollout_horizon;
  v->ensemble_size = model_->members();
  v->label = cfg_.start_states == "real_starts" ? "imagined episodes" : "imagined branches";
  v->replay_starts = cfg_.start_states != "real_starts";
  v->has_schedule = false;
  v->real_path = real_path_;
  s.branched_rollouts = std::move(v);
}

void MbpgAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const MbpgAgentConfig& c = static_cast<const ConfigSettings<MbpgAgentConfig>&>(settings).cfg;
  learner_.set_config(c.ppo);
  model_->set_training_config(c.model);
  cfg_ = c;
  static_cast<ActorCriticConfig&>(cfg_.ppo) = learner_.config();  // what the learner kept
}

void MbpgAgent::write_outputs(const std::filesystem::path& dir) const {
  eval_.write(dir);
  Table t({"run", "iteration", "env_steps", "rollout_horizon", "start_states", "trajectories",
           "imagined_steps", "imagined_return", "real_return", "imagined_minus_real",
           "model_return", "model_minus_real"});
  for (const MbpgIterationRow& r : runs_->iterations)
    t.add_row({r.run, r.iteration, r.env_steps, r.rollout_horizon, r.start_states, r.trajectories,
               r.imagined_steps, r.imagined_return, r.real_return,
               r.imagined_return - r.real_return, r.model_return,
               r.model_return - r.real_return});
  t.write_csv(dir / "mbpg_iterations.csv");
}

void MbpgAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("learner", [&](StateVisitor& lv) { learner_.visit_state(lv); });
  visit_dataset(v, dataset_);
  model_->visit_state(v, dataset_);
  v.field("rng", rng_);
  v.field("explore_rng", explore_rng_);
  v.field("forecast_rng", forecast_rng_);
  {  // row-major, obs_dim columns
    const Eigen::Index dim = last_obs_.size();
    std::vector<double> flat;
    for (const Vec& x : episode_starts_) flat.insert(flat.end(), x.data(), x.data() + dim);
    v.field("episode_starts", flat);
    if (v.loading()) {
      episode_starts_.clear();
      for (size_t i = 0; i + size_t(dim) <= flat.size(); i += size_t(dim))
        episode_starts_.push_back(Eigen::Map<const Vec>(flat.data() + i, dim));
    }
  }
  v.field("training", training_);
  v.field("imagining", imagining_);
  v.field("iteration", iteration_);
  v.field("model_fits", fits_);
  v.field("env_steps", env_steps_);
  v.field("horizon", horizon_);
  v.field("trajectories", trajectories_);
  v.field("imagined_steps", imagined_steps_);
  v.field("imagined_reward", imagined_reward_);
  v.field("ppo_steps", ppo_steps_);
  v.field("policy_loss", policy_loss_);
  v.field("value_loss", value_loss_);
  v.field("imagined_return", imagined_return_);
  v.field("real_return", real_return_);
  v.field("model_return", model_return_);
  v.field("iteration_pending", iteration_pending_);
  v.field("last_obs", last_obs_);
  visit_records(v, "iterations", runs_->iterations, [](MbpgIterationRow& r, StateVisitor& rv) {
    rv.field("run", r.run);
    rv.field("iteration", r.iteration);
    rv.field("env_steps", r.env_steps);
    rv.field("rollout_horizon", r.rollout_horizon);
    rv.field("start_states", r.start_states);
    rv.field("trajectories", r.trajectories);
    rv.field("imagined_steps", r.imagined_steps);
    rv.field("imagined_return", r.imagined_return);
    rv.field("real_return", r.real_return);
    rv.field("model_return", r.model_return);
  });
  eval_.visit_state(v);
}

AgentFamily mbpg_family() {
  AgentFamily f;
  f.name = "mbpg";
  f.description =
      "v2.5: model-based policy gradient (ME-TRPO style): PPO on imagined trajectories of a "
      "learned model (model.type), a random rollout member per step";
  f.category = "policy learning";
  f.default_episodes = 30;
  f.agents = {{"policy learning", "mbpg",
               "v2.5 of deck 001 (Kurutach et al. 2018, ME-TRPO with PPO): fit an ensemble, PPO "
               "on imagined trajectories only, one real episode per iteration",
               "mbpg"}};
  // The learning curve and the iteration rows collect every run's.
  f.read = read_shared_settings<MbpgAgentConfig, MbpgAgent, MbpgRuns>;
  f.visit_fields = visit_config_json<MbpgAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    check_bounded_box("mbpg", env, env_node);
  };
  return f;
}

}  // namespace dynalab
