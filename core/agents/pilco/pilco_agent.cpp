#include "core/agents/pilco/pilco_agent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/dataset_state.h"
#include "core/figure.h"
#include "core/gradients/pathwise_gradient.h"
#include "core/gradients/squashed_policy_state.h"
#include "core/io/csv.h"
#include "core/io/input_error.h"
#include "core/io/table.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kNoScore = -std::numeric_limits<double>::infinity();  // no iterate scored yet

// The cost's target: the config's, else the env's unstable equilibrium (the pendulum upright).
SaturatingCost make_cost(const PilcoAgentConfig& cfg, const Env& env) {
  const int S = env.observation_space().dim();
  Vec target(S), weights = Vec::Ones(S);
  if (!cfg.cost_target.empty()) {
    if (int(cfg.cost_target.size()) != S)
      throw InputError("cost_target: " + std::to_string(S) + " values (the observation of " +
                       env.name() + "), got " + std::to_string(cfg.cost_target.size()));
    target = Eigen::Map<const Vec>(cfg.cost_target.data(), S);
  } else if (const auto eq = env.unstable_equilibrium()) {
    target = eq->obs;
  } else {
    throw InputError("cost_target: required for env \"" + env.name() +
                     "\" (it has no unstable equilibrium to aim at)");
  }
  if (!cfg.cost_weights.empty()) {
    if (int(cfg.cost_weights.size()) != S)
      throw InputError("cost_weights: " + std::to_string(S) + " values, got " +
                       std::to_string(cfg.cost_weights.size()));
    weights = Eigen::Map<const Vec>(cfg.cost_weights.data(), S);
  }
  return SaturatingCost(target, weights, cfg.cost_width);
}

Series labelled(const std::string& label) {
  Series s;
  s.label = label;
  return s;
}

// The q-quantile of xs (sorted in place), linear between order statistics.
double quantile(std::vector<double>& xs, double q) {
  std::sort(xs.begin(), xs.end());
  const double at = q * double(xs.size() - 1);
  const size_t i = size_t(at);
  if (i + 1 >= xs.size()) return xs.back();
  return xs[i] + (at - double(i)) * (xs[i + 1] - xs[i]);
}

}  // namespace

PilcoAgent::PilcoAgent(const PilcoAgentConfig& cfg, const Env& env, const RunSeed& seed)
    : cfg_(cfg),
      dataset_(env.observation_space().dim(), env.action_space().dim()),
      start_env_(env.clone()),
      cost_(make_cost(cfg, env)),
      model_(std::make_shared<GpDynamics>(cfg.model, env.observation_space().dim(),
                                          env.action_space().dim(), seed.stream(4).next_u64())),
      policy_(env.observation_space().dim(), env.action_space().low, env.action_space().high,
              cfg.policy_hidden, Activation::tanh, SquashedPolicy::squash_named(cfg.policy_squash)),
      rng_(seed.stream(5)),
      noise_rng_(seed.stream(7)),
      predict_rng_(seed.stream(8)),
      control_dt_(env.control_dt().value_or(0)),
      predicted_cost_(kNaN) {
  Rng init = seed.rng();
  policy_.init(init, cfg_.policy_init_scale);
  adam_.reset(policy_.params().size());
  start_search();  // sizes the search's state from the start: sessions save fixed sizes
}

void PilcoAgent::start_search() {
  cem_mean_ = policy_.params();
  cem_std_ = Eigen::VectorXd::Constant(cem_mean_.size(), cfg_.cem_std);
  cem_restarts_ = 0;
  best_params_ = policy_.params();
  best_objective_ = kNoScore;
}

PilcoAgent::SearchDraws PilcoAgent::search_draws() {
  Rng fixed = search_rng_;
  Rng& draws = cfg_.fixed_draws ? fixed : rng_;
  SearchDraws d;
  d.starts = particle_starts(cfg_.particles, draws);
  if (!cfg_.mean_model_only)
    d.noise = StateNoise::draw(cfg_.particles, cfg_.horizon, particles_->state_dim(), draws);
  return d;
}

std::vector<Vec> PilcoAgent::particle_starts(int n, Rng& rng) const {
  std::vector<Vec> starts;
  starts.reserve(size_t(n));
  for (int i = 0; i < n; ++i) starts.push_back(start_env_->reset(rng.next_u64()));
  return starts;
}

void PilcoAgent::think(const Env&, const Vec&, const AgentClock&) {
  if (training_) {
    model_->train_epoch(rng_);
    if (!model_->training_done()) return;
    training_ = false;
    ++fits_;
    particles_ = std::make_unique<GpParticleDynamics>(*model_, cfg_.mean_model_only);
    updates_left_ = cfg_.policy_updates;
    start_search();
    search_rng_ = Rng(rng_.next_u64());
    if (updates_left_ == 0) predict_trial();
    return;
  }
  if (updates_left_ > 0) {
    if (cfg_.policy_optimizer == "cem")
      cem_iteration();
    else
      policy_update();
    if (--updates_left_ == 0) {
      if (cfg_.policy_optimizer == "gradient") run_best_iterate();
      predict_trial();
    }
  }
}

void PilcoAgent::policy_update() {
  PathwiseOptions o;
  o.horizon = cfg_.horizon;
  o.clip_norm = cfg_.clip_norm;
  const SearchDraws d = search_draws();
  if (!cfg_.mean_model_only) o.state_noise = &d.noise;
  // With dropout, the gradient of the dropped-out policy params o mask, carried back to params
  // by the mask (a mask of ones changes no bit).
  const Eigen::VectorXd mask = cfg_.dropout > 0 ? policy_.dropout_mask(cfg_.dropout, rng_)
                                                : Eigen::VectorXd::Ones(policy_.params().size());
  SquashedPolicy dropped = policy_;
  dropped.params() = policy_.params().cwiseProduct(mask);
  const PathwiseResult p = pathwise_gradient(*particles_, cost_, dropped, d.starts, o);
  objective_ = p.objective;
  // The policy before this step, scored on this step's draws; with dropout the score is a
  // thinned policy's, not this one's, so only run_best_iterate() scores it.
  if (cfg_.dropout == 0 && p.objective > best_objective_) {
    best_objective_ = p.objective;
    best_params_ = policy_.params();
  }
  if (!p.gradient.allFinite()) return;
  const Eigen::VectorXd ascent = -p.gradient.cwiseProduct(mask);  // Adam minimises; the return is -cost
  adam_.step(policy_.params(), ascent, cfg_.learning_rate, 0, nullptr);
}

void PilcoAgent::run_best_iterate() {
  // The last Adam step's policy has not been scored yet: score it on draws of its own.
  const SearchDraws d = search_draws();
  const double objective =
      -candidate_costs({policy_.params()}, d.starts, cfg_.mean_model_only ? nullptr : &d.noise)[0];
  if (objective > best_objective_) {
    best_objective_ = objective;
    best_params_ = policy_.params();
  }
  policy_.params() = best_params_;
  objective_ = best_objective_;
}

std::vector<double> PilcoAgent::candidate_costs(const std::vector<Eigen::VectorXd>& params,
                                                const std::vector<Vec>& starts,
                                                const StateNoise* noise) const {
  const size_t K = params.size(), P = starts.size();
  SquashedPolicy pi = policy_;
  std::vector<Vec> x(K * P), u(K * P), eps(K * P, Vec::Zero(particles_->state_dim())), next;
  for (size_t k = 0; k < K; ++k)
    for (size_t i = 0; i < P; ++i) x[k * P + i] = starts[i];
  std::vector<double> cost(K, 0.0);
  SquashedPolicy::Mat obs(Eigen::Index(P), pi.obs_dim());
  for (int t = 0; t < cfg_.horizon; ++t) {
    for (size_t k = 0; k < K; ++k) {
      pi.params() = params[k];
      for (size_t i = 0; i < P; ++i) obs.row(Eigen::Index(i)) = x[k * P + i].transpose();
      const SquashedPolicy::Mat a = pi.act(obs);
      for (size_t i = 0; i < P; ++i) {
        u[k * P + i] = a.row(Eigen::Index(i)).transpose();
        if (noise) eps[k * P + i] = noise->eps[i][size_t(t)];
      }
    }
    particles_->sample_batch(x, u, eps, next);
    x.swap(next);
    for (size_t r = 0; r < K * P; ++r) cost[r / P] += cost_.cost(x[r]);
  }
  for (double& c : cost) c /= double(P);
  return cost;
}

void PilcoAgent::cem_iteration() {
  const int K = cfg_.cem_population, E = std::min(cfg_.cem_elites, K);
  const SearchDraws d = search_draws();
  // Candidate 0 is the current policy, the last iteration's best (elitism); the others are
  // drawn around the elites' mean.
  std::vector<Eigen::VectorXd> cands(size_t(K), cem_mean_);
  cands[0] = policy_.params();
  for (int k = 1; k < K; ++k)
    for (Eigen::Index d = 0; d < cem_mean_.size(); ++d) cands[size_t(k)][d] += cem_std_[d] * rng_.normal();
  const std::vector<double> cost =
      candidate_costs(cands, d.starts, cfg_.mean_model_only ? nullptr : &d.noise);
  std::vector<int> order(static_cast<size_t>(K));
  for (int k = 0; k < K; ++k) order[size_t(k)] = k;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return cost[size_t(a)] < cost[size_t(b)]; });
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(cem_mean_.size()), var = mean;
  for (int e = 0; e < E; ++e) mean += cands[size_t(order[size_t(e)])];
  mean /= E;
  for (int e = 0; e < E; ++e) var += (cands[size_t(order[size_t(e)])] - mean).array().square().matrix();
  cem_std_ = (var / E).cwiseSqrt();
  cem_mean_ = mean;
  policy_.params() = cands[size_t(order[0])];
  if (cem_std_.mean() < cfg_.cem_restart_below * cfg_.cem_std) {
    cem_mean_ = policy_.params();
    cem_std_.setConstant(cfg_.cem_std);
    ++cem_restarts_;
  }
  objective_ = -cost[size_t(order[0])];
}

void PilcoAgent::predict_trial() {
  // The particles of the policy about to run, on draws of their own (no learning number moves).
  Rng& rng = predict_rng_;
  const std::vector<Vec> starts = particle_starts(cfg_.particles, rng);
  const StateNoise noise =
      StateNoise::draw(cfg_.particles, cfg_.horizon, particles_->state_dim(), rng);
  PilcoTrialPrediction pred;
  pred.trial = trials_;
  std::vector<Vec> x = starts, u(starts.size()), next;
  std::vector<std::vector<double>> dist(size_t(cfg_.horizon));
  particle_paths_.assign(starts.size(), {});
  for (size_t i = 0; i < x.size(); ++i) particle_paths_[i].push_back(x[i]);
  double total = 0;
  for (int t = 0; t < cfg_.horizon; ++t) {
    for (size_t i = 0; i < x.size(); ++i) u[i] = policy_.act(x[i]);
    std::vector<Vec> eps(x.size());
    for (size_t i = 0; i < x.size(); ++i) eps[i] = noise.eps[i][size_t(t)];
    particles_->sample_batch(x, u, eps, next);
    x = next;
    for (size_t i = 0; i < x.size(); ++i) particle_paths_[i].push_back(x[i]);
    for (const Vec& s : x) {
      dist[size_t(t)].push_back(cost_.distance(s));
      total += cost_.cost(s);
    }
  }
  for (auto& d : dist) {
    double m = 0;
    for (double v : d) m += v;
    pred.mean.push_back(m / double(d.size()));
    pred.low.push_back(quantile(d, 0.025));
    pred.high.push_back(quantile(d, 0.975));
  }
  predicted_cost_ = total / double(cfg_.particles);
  pred.predicted_cost = predicted_cost_;
  predictions_.push_back(std::move(pred));
}

Vec PilcoAgent::act(const Vec& obs) {
  if (warming_up()) return start_env_->action_space().sample(noise_rng_);
  return policy_.act(obs);
}

void PilcoAgent::begin_episode(int, const Vec& obs) {
  trial_cost_ = 0;
  trial_distance_.clear();
  trial_path_ = {obs};
}

void PilcoAgent::observe(const Transition& t, bool truncated) {
  const bool random_trial = warming_up();
  ++env_steps_;
  dataset_.add(t);
  trial_cost_ += cost_.cost(t.next_obs);
  trial_distance_.push_back(cost_.distance(t.next_obs));
  trial_path_.push_back(t.next_obs);
  // A random trial is warm-up data: the experiment calls no end_episode for it.
  if (random_trial && (t.terminated || truncated)) end_trial();
}

void PilcoAgent::end_episode(const Trajectory&) { end_trial(); }

void PilcoAgent::end_trial() {
  if (!predictions_.empty() && predictions_.back().trial == trials_) {
    PilcoTrialPrediction& p = predictions_.back();
    p.real = trial_distance_;
    p.real_cost = trial_cost_;
    p.interaction_s = double(env_steps_) * control_dt_;
  }
  ++trials_;
  predicted_cost_ = kNaN;
  if (warming_up() || model_->diverged()) return;
  model_->begin_training(dataset_, rng_);
  training_ = true;
}

std::vector<std::string> PilcoAgent::metric_columns() const {
  return {"steps", "env_steps", "return", "terminated", "cost", "predicted_cost", "held",
          "interaction_s", "gp_points", "band_coverage"};
}

std::vector<double> PilcoAgent::episode_metrics() const {
  const int n = int(trial_distance_.size());
  bool held = n >= cfg_.hold_steps;
  for (int i = std::max(0, n - cfg_.hold_steps); held && i < n; ++i)
    held = trial_distance_[size_t(i)] < cfg_.success_distance;
  // The share of the trial's steps whose real distance lies in the 95 % band the particles
  // predicted before it ran (NaN for a random trial: nothing was predicted).
  double coverage = kNaN;
  if (!predictions_.empty() && predictions_.back().trial == trials_ && n > 0) {
    const PilcoTrialPrediction& p = predictions_.back();
    int inside = 0;
    for (int i = 0; i < n && i < int(p.low.size()); ++i)
      inside += p.low[size_t(i)] <= trial_distance_[size_t(i)] &&
                trial_distance_[size_t(i)] <= p.high[size_t(i)];
    coverage = double(inside) / double(n);
  }
  return {trial_cost_,
          predicted_cost_,
          held ? 1.0 : 0.0,
          double(env_steps_) * control_dt_,
          double(model_->subset().size()),
          coverage};
}

void PilcoAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  if (predictions_.empty()) return;
  Figure costs;
  costs.id = "pilco_cost_per_trial";
  costs.title = "Cost per trial: predicted before it ran vs real";
  // Counted as the paper counts data: seconds of interaction at each trial's end (issue 19), the
  // trial number in the label; without a control_dt, trials.
  // A trial is as long as the particles' prediction of it (the horizon).
  const double trial_s = control_dt_ > 0 ? double(predictions_.front().mean.size()) * control_dt_ : 0.0;
  char xl[120];
  std::snprintf(xl, sizeof xl, "seconds of interaction (trial k ends at %g k s; trial 1 is random)", trial_s);
  costs.x_label = trial_s > 0 ? xl : "trial (the random one is 1)";
  costs.y_label = "summed saturating cost";
  costs.series = {labelled("real trial"), labelled("predicted by the particles")};
  Series &real = costs.series[0], &predicted = costs.series[1];
  for (const PilcoTrialPrediction& p : predictions_) {
    const double x = trial_s > 0 ? double(p.trial + 1) * trial_s : double(p.trial + 1);
    predicted.x.push_back(x);
    predicted.y.push_back(p.predicted_cost);
    if (std::isnan(p.real_cost)) continue;
    real.x.push_back(x);
    real.y.push_back(p.real_cost);
  }
  figures.push_back(std::move(costs));

  const PilcoTrialPrediction& p = predictions_.back();
  Figure band;
  band.id = "pilco_prediction";
  band.title = "Trial " + std::to_string(p.trial + 1) + ": distance from the target";
  band.x_label = control_dt_ > 0 ? "time in the trial, s" : "step";
  band.y_label = "distance";
  const double dt = control_dt_ > 0 ? control_dt_ : 1.0;
  band.series = {labelled("particles 97.5 %"), labelled("particles' mean"),
                 labelled("particles 2.5 %"),
                 labelled(trials_ > p.trial ? "real trial" : "real trial so far")};
  Series &hi = band.series[0], &mean = band.series[1], &lo = band.series[2], &trial = band.series[3];
  for (size_t k = 0; k < p.mean.size(); ++k) {
    const double t = double(k + 1) * dt;
    hi.x.push_back(t);
    hi.y.push_back(p.high[k]);
    mean.x.push_back(t);
    mean.y.push_back(p.mean[k]);
    lo.x.push_back(t);
    lo.y.push_back(p.low[k]);
  }
  // The trial in progress is this prediction's own trial; a finished one keeps its record.
  const std::vector<double>& seen = trials_ > p.trial ? p.real : trial_distance_;
  for (size_t k = 0; k < seen.size(); ++k) {
    trial.x.push_back(double(k + 1) * dt);
    trial.y.push_back(seen[k]);
  }
  hi.colour = lo.colour = 5;  // the band's edges light blue, its mean blue, the real trial orange
  mean.colour = 0;
  trial.colour = 1;
  figures.push_back(std::move(band));
}

void PilcoAgent::publish(Snapshot& s) const {
  const char* phase = warming_up()        ? "random trial (initial data)"
                      : training_         ? "fitting the GP"
                      : updates_left_ > 0 ? "optimising the policy on particles"
                                          : "running the policy";
  add_phase(s, phase);
  s.stats.push_back({"trial", std::to_string(trials_ + 1)});
  s.stats.push_back({"interaction", short_number(double(env_steps_) * control_dt_) + " s"});
  s.stats.push_back({"model", model_->describe_shape()});
  // Wall time: shown, never written (outputs are the same on every machine).
  s.stats.push_back({"last GP fit", short_number(model_->fit_seconds()) + " s"});
  s.stats.push_back({"particles", std::to_string(cfg_.particles) +
                                      (cfg_.mean_model_only ? " (mean model only)" : "")});
  // Which search runs, in the panel a lecturer reads first (the config pane is far down); the
  // config's own words, short enough for the panel's value column.
  s.stats.push_back({"policy search, squash", cfg_.policy_optimizer + ", " + cfg_.policy_squash});
  s.stats.push_back({"predicted cost", short_number(-objective_)});
  if (updates_left_ > 0)
    s.stats.push_back({"policy updates left", std::to_string(updates_left_)});
  publish_particles(s);
  if (cfg_.policy_optimizer == "cem" && fits_ > 0)
    s.stats.push_back({"CEM restarts", std::to_string(cem_restarts_) + " this trial"});
}

void PilcoAgent::publish_particles(Snapshot& s) const {
  // Shown while the policy they were predicted for runs: a new search makes them stale.
  if (particle_paths_.empty() || training_ || updates_left_ > 0) return;
  auto v = std::make_shared<ParticleCloudView>();
  v->particles = particle_paths_;
  v->real_path = trial_path_;
  s.particle_cloud = std::move(v);
  s.stats.push_back({"world view", "blue: the particles' tips at this step, ring: their 95 %"});
}

void PilcoAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const PilcoAgentConfig& c = static_cast<const ConfigSettings<PilcoAgentConfig>&>(settings).cfg;
  model_->set_training_config(c.model);
  const bool rebuild = c.mean_model_only != cfg_.mean_model_only && particles_;
  // A search scores policies by their particles' return: an edit of what is scored (another
  // optimiser, horizon, particle count or model) restarts it around the policy as it stands,
  // so no score from before the edit is compared with one after it.
  const bool restart = c.policy_optimizer != cfg_.policy_optimizer || c.horizon != cfg_.horizon ||
                       c.particles != cfg_.particles || c.mean_model_only != cfg_.mean_model_only;
  cfg_ = c;
  if (restart) start_search();
  if (rebuild) particles_ = std::make_unique<GpParticleDynamics>(*model_, cfg_.mean_model_only);
}

void PilcoAgent::write_outputs(const std::filesystem::path& dir) const {
  if (predictions_.empty()) return;
  Table t({"trial", "step", "predicted_distance_mean", "predicted_distance_low",
           "predicted_distance_high", "real_distance"});
  for (const PilcoTrialPrediction& p : predictions_)
    for (size_t k = 0; k < p.mean.size(); ++k)
      t.add_row({p.trial, int(k + 1), p.mean[k], p.low[k], p.high[k],
                 k < p.real.size() ? p.real[k] : kNaN});
  t.write_csv(dir / "predicted_vs_real.csv");
}

void PilcoAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  visit_dataset(v, dataset_);
  v.section("model", [&](StateVisitor& mv) { model_->visit_state(mv, dataset_); });
  visit_policy_state(v, policy_, adam_);
  v.field("rng", rng_);
  v.field("noise_rng", noise_rng_);
  v.field("predict_rng", predict_rng_);
  v.field("env_steps", env_steps_);
  v.field("training", training_);
  v.field("updates_left", updates_left_);
  v.field("trials", trials_);
  v.field("model_fits", fits_);
  v.field("predicted_cost", predicted_cost_);
  v.field("objective", objective_);
  v.field("cem_mean", cem_mean_);
  v.field("cem_std", cem_std_);
  v.field("cem_restarts", cem_restarts_);
  v.field("best_params", best_params_);
  v.field("best_objective", best_objective_);  // -inf before the search's first score
  v.field("search_rng", search_rng_);
  v.field("trial_cost", trial_cost_);
  v.field("trial_distance", trial_distance_);
  visit_records(v, "predictions", predictions_, [](PilcoTrialPrediction& p, StateVisitor& pv) {
    pv.field("trial", p.trial);
    pv.field("mean", p.mean);
    pv.field("low", p.low);
    pv.field("high", p.high);
    pv.field("real", p.real);
    pv.field("predicted_cost", p.predicted_cost);
    pv.field("real_cost", p.real_cost);
    pv.field("interaction_s", p.interaction_s);
  });
  if (v.loading() && fits_ > 0 && !training_)
    particles_ = std::make_unique<GpParticleDynamics>(*model_, cfg_.mean_model_only);
}

AgentFamily pilco_family() {
  AgentFamily f;
  f.name = "pilco";
  f.description =
      "PILCO: fit a GP, optimise a policy on particles through its predictive distribution";
  f.category = "policy learning";
  f.default_episodes = 10;
  f.agents = {{"policy learning", "pilco",
               "PILCO / MC-PILCO (deck 004): data-efficient policy search through a GP", "pilco"}};
  f.read = read_settings<SettingsFor<PilcoAgentConfig, PilcoAgent>, PilcoAgentConfig>;
  f.visit_fields = visit_config_json<PilcoAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    check_bounded_box("pilco", env, env_node);
  };
  return f;
}

}  // namespace dynalab
