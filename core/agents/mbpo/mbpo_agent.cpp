#include "core/agents/mbpo/mbpo_agent.h"

#include <algorithm>
#include <cmath>

#include "core/agents/mbpo/branched_rollout.h"
#include "core/agents/mbpo/mixed_batch.h"
#include "core/dataset_state.h"
#include "core/io/csv.h"
#include "core/io/input_error.h"
#include "core/io/table.h"
#include "core/planning/env_functions.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

int64_t MbpoAgentConfig::model_buffer_capacity() const {
  const int max_k =
      rollout_schedule.size() == 4 ? std::max(rollout_schedule[2], rollout_schedule[3]) : 1;
  // mbrl-lib: rollouts_per_epoch = rollout_batch_size * epoch_length / freq_train_model.
  const double per_epoch =
      double(rollout_batch_size) * double(epoch_length) / double(model_train_freq);
  return std::max<int64_t>(1, int64_t(std::ceil(model_retain_epochs * per_epoch * max_k)));
}

std::unique_ptr<ModelStepper> mbpo_model_stepper(const MbpoAgentConfig& cfg, const Env& env,
                                                 std::shared_ptr<const DynamicsModel> model) {
  return mbpo_model_stepper(cfg.model, env, std::move(model));
}

std::unique_ptr<ModelStepper> mbpo_model_stepper(const ModelConfig& model_cfg, const Env& env,
                                                 std::shared_ptr<const DynamicsModel> model) {
  const int obs_dim = env.observation_space().dim(), action_dim = env.action_space().dim();
  const Vec probe = Vec::Zero(obs_dim), no_action = Vec::Zero(action_dim);
  BatchRewardFn reward;
  if (!model_cfg.learn_reward) {
    if (!env.reward(probe, no_action, probe))
      throw InputError("model.learn_reward: expected true: env '" + env.name() +
                       "' has no closed-form reward for the model's rollouts");
    reward = env_reward(env);
  }
  BatchTerminationFn termination;
  if (env.terminated(probe, no_action, probe)) {
    termination = env_termination(env);
  } else if (!model_cfg.learn_termination) {
    throw InputError("model.learn_termination: expected true: env '" + env.name() +
                     "' cannot say in closed form when a transition terminates, so the model "
                     "must learn it to stop branched rollouts");
  }
  ModelEnvConfig rc;
  rc.particles = 1;
  rc.propagation = "ts1";
  rc.termination = "env";  // the closed form, or the learned output where the env has none
  rc.threads = 1;
  return std::make_unique<ModelStepper>(std::move(model), rc, reward, termination);
}

MbpoAgent::MbpoAgent(const MbpoAgentConfig& cfg, const Env& env, const RunSeed& seed,
                     std::shared_ptr<MbpoRuns> runs)
    : cfg_(cfg),
      scale_{env.action_space()},
      learner_(cfg.sac, env.observation_space().dim(), env.action_space().dim(), seed.rng()),
      eval_(env, seed, std::shared_ptr<std::vector<LearningCurveRow>>(runs, &runs->curve)),
      dataset_(env.observation_space().dim(), env.action_space().dim()),
      reward_env_(env.clone()),
      model_(make_learned_model(cfg.model, env.observation_space().dim(),
                                env.action_space().dim(), seed.stream(4).next_u64())),
      model_buffer_(env.observation_space().dim(), env.action_space().dim(),
                    cfg.model_buffer_capacity()),
      rng_(seed.stream(5)),
      value_map_(env),
      runs_(std::move(runs)),
      run_(seed.run),
      real_states_(env.observation_space().dim(), cfg.sac.buffer_size),
      model_error_rng_(seed.stream(6)) {
  stepper_ = mbpo_model_stepper(cfg_, *reward_env_, model_);
  rollout_k_ = rollout_horizon_at(0);
}

int MbpoAgent::rollout_horizon_at(int64_t env_steps) const {
  if (cfg_.rollout_horizon > 0) return cfg_.rollout_horizon;
  const int64_t since = std::max<int64_t>(0, env_steps - cfg_.initial_exploration_steps);
  return rollout_horizon(cfg_.rollout_schedule, since / cfg_.epoch_length + 1);
}

void MbpoAgent::think(const Env&, const Vec&, const AgentClock&) {
  if (training_) {  // one epoch of the refit on all real data
    const EpochStats st = model_->train_epoch(rng_);
    if (st.done) {
      training_ = false;
      ++fits_;
      rollout_k_ = rollout_horizon_at(env_steps_);
      rollouts_left_ = cfg_.rollout_batch_size;
      measure_model_error();
    }
    return;
  }
  if (rollouts_left_ > 0) {  // a chunk of the branched rollouts of this refit
    const int n = std::min(rollouts_left_, kRolloutChunk);
    const auto to_env = [this](const Vec& u) { return scale_.to_env(u); };
    // The view shows the first rollouts of each refit (its first chunk).
    const bool first_chunk = rollouts_left_ == cfg_.rollout_batch_size;
    branched_rollout(*stepper_, learner_.buffer(), n, rollout_k_, learner_, to_env, rng_,
                     rng_.next_u64(), model_buffer_, first_chunk ? &shown_rollouts_ : nullptr,
                     kShownRollouts);
    rollouts_left_ -= n;
    return;
  }
  if (pending_updates_ > 0) {
    last_real_rows_ = sample_mixed_batch(learner_.buffer(), model_buffer_, cfg_.sac.batch_size,
                                         cfg_.real_data_ratio, rng_, batch_, scratch_);
    SacLosses l;
    if (cfg_.mve_horizon > 0 && fits_ > 0) {
      const auto to_env = [this](const Vec& u) { return scale_.to_env(u); };
      mve_targets(*stepper_, learner_, batch_, cfg_.mve_horizon, cfg_.sac.gamma, to_env,
                  rng_.next_u64(), mve_);
      l = learner_.update_with_targets(batch_, mve_.x, mve_.y);
    } else {
      l = learner_.update(batch_);
    }
    --pending_updates_;
    episode_.add(l);
  }
}

void MbpoAgent::measure_model_error() {
  if (cfg_.model_error_starts <= 0 || real_states_.size() == 0) return;
  const std::vector<RealStart> starts = real_states_.sample(cfg_.model_error_starts, model_error_rng_);
  const auto policy = [this](const Vec& obs) {
    return scale_.to_env(learner_.deterministic_action(obs));
  };
  ClosedLoopErrorOptions o;
  o.horizon = kModelErrorHorizon;
  model_error_ = closed_loop_error(model_mean_step(*model_), *reward_env_, starts, policy, o);
  model_error_env_steps_ = env_steps_;
  for (int h = 0; h < kModelErrorHorizon; ++h)
    runs_->model_error.push_back({run_, env_steps_, h + 1, model_error_.closed_loop.error[size_t(h)],
                                  model_error_.open_loop.error[size_t(h)],
                                  model_error_.closed_loop.count[size_t(h)]});
}

void MbpoAgent::before_step(const Env& real, const Vec& obs) {
  // Only while the analysis is on (memory): switched on live, it starts from the states since.
  if (cfg_.model_error_starts > 0) real_states_.add(obs, real.get_state());
}

Vec MbpoAgent::act(const Vec& obs) {
  return scale_.to_env(env_steps_ < cfg_.initial_exploration_steps ? learner_.random_action()
                                                                   : learner_.sample_action(obs));
}

void MbpoAgent::observe(const Transition& t, bool) {
  ++env_steps_;
  dataset_.add(t);
  learner_.add(t.obs, scale_.to_unit(t.action), t.reward, t.next_obs, t.terminated);
  if (env_steps_ >= cfg_.initial_exploration_steps) {
    const int64_t since = env_steps_ - cfg_.initial_exploration_steps;
    if (since % cfg_.model_train_freq == 0 && !model_->diverged()) {
      model_->begin_training(dataset_, rng_);  // warm start from the current weights
      training_ = true;
    }
    pending_updates_ += cfg_.num_sac_updates_per_step;
  }
  if (env_steps_ % cfg_.evaluation.eval_every == 0)
    eval_.record(learner_.deterministic_policy(), cfg_.evaluation.eval_episodes, env_steps_);
}

void MbpoAgent::end_episode(const Trajectory&) { episode_.reset(); }

std::vector<std::string> MbpoAgent::metric_columns() const {
  return {"steps",       "env_steps",  "return",          "terminated",   "alpha",
          "critic_loss", "actor_loss", "rollout_horizon", "model_buffer", "model_fits"};
}

std::vector<double> MbpoAgent::episode_metrics() const {
  std::vector<double> m = episode_.metrics(learner_.alpha());
  m.insert(m.end(), {double(rollout_k_), double(model_buffer_.size()), double(fits_)});
  return m;
}

void MbpoAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  eval_.add_figure(figures);
  // The latest refit's model error vs k, at the plots' size (the Policy learning panel's copy
  // follows the k slider; this one the k the rollouts used).
  figures.push_back(model_error_vs_k_figure(model_error_.closed_loop.error,
                                            model_error_.open_loop.error, rollout_k_));
}

void MbpoAgent::publish(Snapshot& s) const {
  const char* phase = env_steps_ < cfg_.initial_exploration_steps ? "random (initial exploration)"
                      : training_                                 ? "fitting the model"
                      : rollouts_left_ > 0                        ? "branched rollouts"
                                                                  : "SAC on real + model data";
  add_phase(s, phase);
  s.stats.push_back({"real data", std::to_string(learner_.buffer().size()) + " transitions"});
  s.stats.push_back({"model data", std::to_string(model_buffer_.size()) + " transitions"});
  s.stats.push_back({"rollout k", std::to_string(rollout_k_)});
  s.stats.push_back({"model fits", std::to_string(fits_)});
  s.stats.push_back({"updates", std::to_string(learner_.updates())});
  s.stats.push_back({"alpha", short_number(learner_.alpha())});
  eval_.publish(s);
  s.policy_value = value_map_.current(learner_);
  auto v = std::make_shared<BranchedRolloutView>();
  v->rollouts = shown_rollouts_;
  v->horizon = rollout_k_;
  v->horizon_overridden = cfg_.rollout_horizon > 0;
  v->ensemble_size = model_->members();
  v->batch_rows = learner_.updates() > 0 ? cfg_.sac.batch_size : 0;
  v->real_rows = last_real_rows_;
  v->real_data_ratio = cfg_.real_data_ratio;
  v->model_error = model_error_.closed_loop.error;
  v->model_error_open_loop = model_error_.open_loop.error;
  v->model_error_env_steps = model_error_env_steps_;
  s.branched_rollouts = std::move(v);
}

void MbpoAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const MbpoAgentConfig& c = static_cast<const ConfigSettings<MbpoAgentConfig>&>(settings).cfg;
  learner_.set_config(c.sac);
  model_->set_training_config(c.model);
  cfg_ = c;
  cfg_.sac = learner_.config();
}

void MbpoAgent::write_outputs(const std::filesystem::path& dir) const {
  eval_.write(dir);
  if (runs_->model_error.empty()) return;
  Table t({"run", "env_steps", "k", "error", "open_loop_error", "count"});
  for (const ModelErrorRow& r : runs_->model_error)
    t.add_row({r.run, r.env_steps, r.k, r.error, r.open_loop_error, r.count});
  t.write_csv(dir / "model_error_vs_k.csv");
}

void MbpoAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("learner", [&](StateVisitor& lv) { learner_.visit_state(lv); });
  visit_dataset(v, dataset_);
  model_->visit_state(v, dataset_);
  v.section("model_buffer", [&](StateVisitor& bv) { model_buffer_.visit_state(bv); });
  v.field("rng", rng_);
  v.field("env_steps", env_steps_);
  v.field("training", training_);
  v.field("rollouts_left", rollouts_left_);
  v.field("rollout_k", rollout_k_);
  v.field("pending_updates", pending_updates_);
  v.field("model_fits", fits_);
  v.field("last_batch_real_rows", last_real_rows_);
  episode_.visit_state(v);
  eval_.visit_state(v);
  visit_model_error(v);
}

void MbpoAgent::visit_model_error(StateVisitor& v) {
  v.section("model_error", [&](StateVisitor& mv) {
    mv.section("real_states", [&](StateVisitor& rv) { real_states_.visit_state(rv); });
    mv.field("rng", model_error_rng_);
    mv.field("env_steps", model_error_env_steps_);
    visit_records(mv, "rows", runs_->model_error, [](ModelErrorRow& r, StateVisitor& rv) {
      rv.field("run", r.run);
      rv.field("env_steps", r.env_steps);
      rv.field("k", r.k);
      rv.field("error", r.error);
      rv.field("open_loop_error", r.open_loop_error);
      rv.field("count", r.count);
    });
    // The view's latest curve: this run's rows of its latest refit.
    if (!mv.loading()) return;
    model_error_ = {};
    for (const ModelErrorRow& r : runs_->model_error) {
      if (r.run != run_ || r.env_steps != model_error_env_steps_) continue;
      model_error_.closed_loop.horizon.push_back(r.k);
      model_error_.closed_loop.error.push_back(r.error);
      model_error_.closed_loop.count.push_back(r.count);
      model_error_.open_loop.horizon.push_back(r.k);
      model_error_.open_loop.error.push_back(r.open_loop_error);
    }
  });
}

AgentFamily mbpo_family() {
  AgentFamily f;
  f.name = "mbpo";
  f.description =
      "Model-Based Policy Optimization: SAC on real data plus short branched rollouts of a "
      "learned model (model.type: a probabilistic ensemble, a GP or a BNN)";
  f.category = "policy learning";
  f.default_episodes = 100;
  f.agents = {{"policy learning", "mbpo",
               "MBPO (Janner et al. 2019; mbrl-lib's mbpo.py): SAC + branched model rollouts",
               "mbpo"}};
  // The learning curve collects every run's evaluations.
  f.read = read_shared_settings<MbpoAgentConfig, MbpoAgent, MbpoRuns>;
  f.visit_fields = visit_config_json<MbpoAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    check_bounded_box("mbpo", env, env_node);
  };
  return f;
}

}  // namespace dynalab
