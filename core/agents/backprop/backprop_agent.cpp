#include "core/agents/backprop/backprop_agent.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/dataset_state.h"
#include "core/gradients/env_dynamics.h"
#include "core/gradients/learned_dynamics.h"
#include "core/gradients/squashed_policy_state.h"
#include "core/io/csv.h"
#include "core/io/input_error.h"
#include "core/io/table.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

// The closed-form reward the imagined rollouts use, or a config error naming the env.
std::unique_ptr<Env> backprop_reward_env(const Env& env) {
  const Vec s = Vec::Zero(env.observation_space().dim()), a = Vec::Zero(env.action_space().dim());
  if (!env.reward(s, a, s))
    throw InputError("env.name: \"" + env.name() +
                     "\" has no closed-form reward to backpropagate through (backprop family)");
  return env.clone();
}

}  // namespace

BackpropAgent::BackpropAgent(const BackpropAgentConfig& cfg, const Env& env, const RunSeed& seed,
                             std::shared_ptr<BackpropRuns> runs)
    : cfg_(cfg),
      run_(seed.run),
      dataset_(env.observation_space().dim(), env.action_space().dim()),
      reward_env_(backprop_reward_env(env)),
      model_(make_learned_model(cfg.model, env.observation_space().dim(),
                                env.action_space().dim(), seed.stream(4).next_u64())),
      policy_(env.observation_space().dim(), env.action_space().low, env.action_space().high,
              cfg.policy_hidden),
      rng_(seed.stream(5)),
      noise_rng_(seed.stream(7)),
      analysis_rng_(seed.stream(6)),
      eval_(env, seed, std::shared_ptr<std::vector<LearningCurveRow>>(runs, &runs->curve)),
      runs_(std::move(runs)),
      equilibrium_(env.unstable_equilibrium()) {
  Rng init = seed.rng();
  policy_.init(init);
  adam_.reset(policy_.params().size());  // sized from the start: sessions save fixed sizes
}

bool BackpropAgent::thinking() const { return training_ || updates_left_ > 0 || analysing_; }

void BackpropAgent::think(const Env&, const Vec&, const AgentClock&) {
  if (training_) {  // one epoch of the refit on all real data
    const EpochStats st = model_->train_epoch(rng_);
    if (!st.done) return;
    training_ = false;
    ++fits_;
    updates_left_ = cfg_.policy_updates;
    clipped_updates_ = iteration_updates_ = 0;
    if (updates_left_ == 0) finish_iteration();
    return;
  }
  if (updates_left_ > 0) {
    policy_update();
    if (--updates_left_ == 0) finish_iteration();
    return;
  }
  if (analysing_) analysis_step();
}

void BackpropAgent::finish_iteration() {
  ++iteration_;
  model_rate_ = model_equilibrium_rate();
  if (cfg_.analysis_every <= 0 || cfg_.analysis_horizons.empty() ||
      iteration_ % cfg_.analysis_every != 0)
    return;
  batches_.clear();
  for (int b = 0; b < cfg_.analysis_batches; ++b)
    batches_.push_back(sample_starts(cfg_.analysis_starts, analysis_rng_));
  partial_ = {};
  analysis_next_ = 0;
  analysing_ = true;
}

std::vector<Vec> BackpropAgent::sample_starts(int n, Rng& rng) const {
  std::vector<Vec> starts;
  starts.reserve(size_t(n));
  const bool first_states = cfg_.start_states == "episode_starts";
  for (int i = 0; i < n; ++i)
    starts.push_back(first_states ? episode_starts_[size_t(rng.below(episode_starts_.size()))]
                                  : dataset_.at(size_t(rng.below(dataset_.size()))).obs);
  return starts;
}

void BackpropAgent::policy_update() {
  const auto f = learned_dynamics(*model_, cfg_.model_member);
  const EnvReward r(*reward_env_);
  PathwiseOptions o;
  o.horizon = cfg_.horizon;
  o.gamma = cfg_.gamma;
  o.truncation = cfg_.truncation;
  o.clip_norm = cfg_.clip_norm;
  const PathwiseResult p = pathwise_gradient(*f, r, policy_, sample_starts(cfg_.start_batch, rng_), o);
  objective_ = p.objective;
  log10_gradient_norm_ = std::log10(p.gradient_norm);
  ++iteration_updates_;
  if (p.clipped) ++clipped_updates_;
  shown_states_ = p.states.front();
  shown_sensitivity_ = p.action_sensitivity.front();
  // An overflowed gradient has no direction to follow; Adam's scaling handles the rest.
  if (!p.gradient.allFinite()) return;
  const Eigen::VectorXd ascent = -p.gradient;
  adam_.step(policy_.params(), ascent, cfg_.learning_rate, 0, nullptr);
}

void BackpropAgent::analysis_step() {
  const auto f = learned_dynamics(*model_, cfg_.model_member);
  const EnvReward r(*reward_env_);
  GradientVsHorizonOptions o;
  o.horizons = {cfg_.analysis_horizons[analysis_next_]};
  o.gamma = cfg_.gamma;
  o.clip_norm = cfg_.clip_norm;
  o.truncation = cfg_.truncation;
  const Space& box = reward_env_->action_space();
  o.action_noise_std = cfg_.analysis_action_noise * 0.5 * (box.high[0] - box.low[0]);
  o.noise_seed = analysis_rng_.next_u64();
  const GradientVsHorizon g = gradient_vs_horizon(*f, r, policy_, batches_, o);
  partial_.rows.push_back(g.rows.front());
  runs_->analysis.push_back({run_, iteration_, g.rows.front(), model_equilibrium_rate()});
  if (++analysis_next_ < cfg_.analysis_horizons.size()) return;
  partial_.growth_rate_per_step = growth_rate_per_step(partial_.rows);
  partial_.equilibrium_rate_per_step = model_equilibrium_rate();
  analysis_ = partial_;
  analysing_ = false;
}

double BackpropAgent::model_equilibrium_rate() const {
  if (!equilibrium_) return std::numeric_limits<double>::quiet_NaN();
  const auto f = learned_dynamics(*model_, cfg_.model_member);
  return equilibrium_growth_rate(*f, equilibrium_->obs, Vec::Zero(f->action_dim()));
}

Vec BackpropAgent::act(const Vec& obs) {
  const Space& box = reward_env_->action_space();
  if (warming_up()) return box.sample(noise_rng_);
  Vec a = policy_.act(obs);
  for (Eigen::Index d = 0; d < a.size(); ++d)
    a[d] += cfg_.exploration_noise * 0.5 * (box.high[d] - box.low[d]) * noise_rng_.normal();
  return box.clip(a);
}

void BackpropAgent::begin_episode(int, const Vec& obs) { episode_starts_.push_back(obs); }

void BackpropAgent::observe(const Transition& t, bool) {
  ++env_steps_;
  dataset_.add(t);
  // The warm-up's last step starts the first iteration; later ones start at episode ends.
  if (int64_t(dataset_.size()) == cfg_.random_steps) begin_fit();
  if (env_steps_ % cfg_.evaluation.eval_every == 0)
    eval_.record([this](const Vec& obs) { return policy_.act(obs); }, cfg_.evaluation.eval_episodes,
                 env_steps_);
}

void BackpropAgent::begin_fit() {
  if (training_ || model_->diverged()) return;
  model_->begin_training(dataset_, rng_);  // warm start from the current weights
  training_ = true;
}

void BackpropAgent::end_episode(const Trajectory&) {
  if (!warming_up()) begin_fit();
}

std::vector<std::string> BackpropAgent::metric_columns() const {
  return {"steps",     "env_steps",           "return",  "terminated",
          "objective", "log10_gradient_norm", "clipped", "model_fits", "model_equilibrium_rate"};
}

std::vector<double> BackpropAgent::episode_metrics() const {
  const double clipped = iteration_updates_ > 0 ? double(clipped_updates_) / iteration_updates_ : 0;
  return {objective_, log10_gradient_norm_, clipped, double(fits_), model_rate_};
}

void BackpropAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  eval_.add_figure(figures);
  add_gradient_vs_horizon_figures(figures, analysis_, equilibrium_, cfg_.analysis_action_noise > 0);
}

void BackpropAgent::publish(Snapshot& s) const {
  const char* phase = warming_up()        ? "random (initial data)"
                      : training_         ? "fitting the model"
                      : updates_left_ > 0 ? "backprop through the model into the policy"
                      : analysing_        ? "gradient analysis"
                                          : "running the policy";
  add_phase(s, phase);
  s.stats.push_back({"iteration", std::to_string(iteration_)});
  s.stats.push_back({"horizon H", std::to_string(cfg_.horizon)});
  s.stats.push_back({"imagined return", short_number(objective_)});
  s.stats.push_back({"log10 |dJ/dtheta|", short_number(log10_gradient_norm_)});
  if (cfg_.clip_norm > 0)
    s.stats.push_back({"clipped", std::to_string(clipped_updates_) + " of " +
                                      std::to_string(iteration_updates_) + " updates"});
  s.stats.push_back({"model fits", std::to_string(fits_)});
  eval_.publish(s);
  if (!shown_states_.empty()) {
    auto v = std::make_shared<PathwiseRolloutView>();
    v->states = shown_states_;
    v->sensitivity = shown_sensitivity_;
    v->horizon = int(shown_sensitivity_.size());
    s.pathwise_rollout = std::move(v);
  }
}

void BackpropAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const BackpropAgentConfig& c = static_cast<const ConfigSettings<BackpropAgentConfig>&>(settings).cfg;
  model_->set_training_config(c.model);
  cfg_ = c;
}

void BackpropAgent::write_outputs(const std::filesystem::path& dir) const {
  eval_.write(dir);
  if (runs_->analysis.empty()) return;
  Table t({"run", "iteration", "horizon", "log10_gradient_norm", "cosine", "log10_state_jacobian",
           "objective", "log10_pathwise_variance", "log10_likelihood_ratio_variance",
           "model_equilibrium_rate"});
  for (const GradientAnalysisRow& a : runs_->analysis)
    t.add_row({a.run, a.iteration, a.row.horizon, a.row.log10_gradient_norm, a.row.cosine,
               a.row.log10_state_jacobian, a.row.objective, a.row.log10_pathwise_variance,
               a.row.log10_likelihood_ratio_variance, a.equilibrium_rate});
  t.write_csv(dir / "gradient_vs_horizon.csv");
}

void BackpropAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  visit_dataset(v, dataset_);
  // A loaded record's Vec arrives empty: sized here to the observation.
  const Eigen::Index obs_dim = dataset_.obs_dim();
  auto visit_obs = [obs_dim](Vec& x, StateVisitor& rv) {
    if (rv.loading()) x.resize(obs_dim);
    rv.field("obs", x);
  };
  visit_records(v, "episode_starts", episode_starts_, visit_obs);
  model_->visit_state(v, dataset_);
  visit_policy_state(v, policy_, adam_);
  v.field("rng", rng_);
  v.field("noise_rng", noise_rng_);
  v.field("analysis_rng", analysis_rng_);
  v.field("env_steps", env_steps_);
  v.field("training", training_);
  v.field("updates_left", updates_left_);
  v.field("iteration", iteration_);
  v.field("model_fits", fits_);
  v.field("model_equilibrium_rate", model_rate_);
  v.field("objective", objective_);
  v.field("log10_gradient_norm", log10_gradient_norm_);
  v.field("clipped_updates", clipped_updates_);
  v.field("iteration_updates", iteration_updates_);
  v.section("analysis", [&](StateVisitor& av) {
    av.field("analysing", analysing_);
    int next = int(analysis_next_);
    av.field("next", next);
    analysis_next_ = size_t(next);
    visit_records(av, "batches", batches_, [&](std::vector<Vec>& batch, StateVisitor& bv) {
      visit_records(bv, "starts", batch, visit_obs);
    });
    auto rows = [](GradientVsHorizonRow& r, StateVisitor& rv) {
      rv.field("horizon", r.horizon);
      rv.field("log10_gradient_norm", r.log10_gradient_norm);
      rv.field("cosine", r.cosine);
      rv.field("log10_state_jacobian", r.log10_state_jacobian);
      rv.field("objective", r.objective);
      rv.field("log10_pathwise_variance", r.log10_pathwise_variance);
      rv.field("log10_likelihood_ratio_variance", r.log10_likelihood_ratio_variance);
    };
    visit_records(av, "partial", partial_.rows, rows);
    visit_records(av, "latest", analysis_.rows, rows);
    visit_records(av, "rows", runs_->analysis, [&](GradientAnalysisRow& a, StateVisitor& rv) {
      rv.field("run", a.run);
      rv.field("iteration", a.iteration);
      rv.field("model_equilibrium_rate", a.equilibrium_rate);
      rows(a.row, rv);
    });
    av.field("equilibrium_rate", analysis_.equilibrium_rate_per_step);
    if (av.loading()) {
      partial_.growth_rate_per_step = growth_rate_per_step(partial_.rows);
      analysis_.growth_rate_per_step = growth_rate_per_step(analysis_.rows);
    }
  });
  eval_.visit_state(v);
}

AgentFamily backprop_family() {
  AgentFamily f;
  f.name = "backprop";
  f.description =
      "v2.0: backprop through a learned model into a deterministic policy (pathwise gradient)";
  f.category = "policy learning";
  f.default_episodes = 30;
  f.agents = {{"policy learning", "backprop",
               "v2.0 of deck 001: fit a model, backpropagate the imagined return into the policy",
               "backprop"}};
  f.read = read_shared_settings<BackpropAgentConfig, BackpropAgent, BackpropRuns>;
  f.visit_fields = visit_config_json<BackpropAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    check_bounded_box("backprop", env, env_node);
  };
  return f;
}

}  // namespace dynalab
