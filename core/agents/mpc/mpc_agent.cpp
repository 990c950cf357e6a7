#include "core/agents/mpc/mpc_agent.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "core/agents/mpc/system_id_view.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {
constexpr double kNoLoss = std::numeric_limits<double>::quiet_NaN();  // written as "nan"

void append_number(std::string& out, double x) {
  out += ',';
  out += format_number(x);
}

// The figure "planner_objective" in the planner's own words. An iterating planner (CEM, MPPI):
// its objective after each iteration of the latest replan. Random shooting has one pass and
// nothing it refines, so a per-iteration plot would be a single point: it shows the predicted
// return of every guess of the latest replan instead, best first (how many guesses are good).
Figure planner_objective_figure(const TrajectoryOptimizer& planner, const PlanTrace& t) {
  if (planner.iteration_name().empty()) {
    Figure f{"planner_objective", "Predicted return of every guess (latest replan), best first",
             "guess (sorted by predicted return)", "predicted return", {}, false};
    std::vector<float> r;
    for (float v : t.returns)
      if (std::isfinite(v)) r.push_back(v);
    std::sort(r.begin(), r.end(), std::greater<>());
    auto& s = f.series_named("guesses");
    for (size_t i = 0; i < r.size(); ++i) {
      s.x.push_back(double(i + 1));
      s.y.push_back(r[i]);
    }
    return f;
  }
  Figure f{"planner_objective", "Planner objective per " + planner.iteration_name() + " (latest replan)",
           planner.iteration_name(), "objective (predicted return)", {}, false};
  auto& s = f.series_named(planner.name());
  const auto& o = t.objective_per_iteration;
  for (size_t i = 0; i < o.size(); ++i) {
    s.x.push_back(double(i + 1));
    s.y.push_back(o[i]);
  }
  return f;
}
}  // namespace

MpcAgent::MpcAgent(const MpcSettingsConfig& cfg, const Env& env, const RunSeed& seed,
                   std::shared_ptr<std::vector<DivergenceRow>> divergence)
    : cfg_(cfg),
      world_(env.clone()),
      agent_(cfg.agent, env, seed.rng().next_u64()),
      seed_(seed),
      divergence_(std::move(divergence)) {}

bool MpcAgent::thinking() const {
  const MbrlPhase p = agent_.phase();
  return p == MbrlPhase::train || p == MbrlPhase::plan;
}

void MpcAgent::think(const Env& real, const Vec& obs, const AgentClock& clock) {
  if (agent_.phase() == MbrlPhase::train) {  // one epoch over the dataset
    capture_training_data();
    agent_.train_epoch();
  } else if (agent_.phase() == MbrlPhase::plan) {  // one planner iteration
    agent_.plan_iteration(real, obs);
    if (agent_.trace().iteration == 0) replan_traces_.clear();
    replan_traces_.push_back(std::make_shared<const PlanTrace>(agent_.trace()));
    widen_fan_scale(agent_.trace());
    if (cfg_.output.plan_traces) record_plan_iteration(clock);
  }
}

Vec MpcAgent::act(const Vec&) {
  // Warm-up: the random base policy pi_0; then the next action of the current plan.
  return agent_.phase() == MbrlPhase::collect ? agent_.random_action() : agent_.act();
}

void MpcAgent::observe(const Transition& t, bool) {
  ++env_steps_;
  last_obs_ = t.next_obs;
  agent_.observe(t);
  if (t.episode >= 0) record_disagreement(t.obs, t.action, env_steps_);
}

void MpcAgent::widen_fan_scale(const PlanTrace& t) {
  const std::vector<PathEnd> ends = candidate_ends(t, *world_);
  const int P = std::min<int>(int(t.returns.size()), int(ends.size()));
  double lo = INFINITY, hi = -INFINITY;
  for (bool safe_only : {true, false}) {  // every candidate fails: scale them all
    for (int p = 0; p < P; ++p)
      if (std::isfinite(t.returns[p]) && (!safe_only || ends[p] != PathEnd::failure))
        lo = std::min(lo, double(t.returns[p])), hi = std::max(hi, double(t.returns[p]));
    if (lo <= hi) break;
  }
  if (!(lo <= hi)) return;
  if (fan_lo_ > fan_hi_) fan_lo_ = lo, fan_hi_ = hi;
  fan_lo_ = std::min(fan_lo_, lo), fan_hi_ = std::max(fan_hi_, hi);
}

void MpcAgent::begin_episode(int episode, const Vec& obs) {
  fan_lo_ = 1, fan_hi_ = 0;  // a new episode, a new scale
  last_obs_ = obs;
  agent_.begin_episode(episode);
}

void MpcAgent::end_episode(const Trajectory& episode) {
  record_divergence(episode);  // before agent_.end_episode(): the reference is the data that planned it
  agent_.end_episode();
}

std::vector<double> MpcAgent::episode_metrics() const {
  // System identification: the least-squares residual (real units^2); no held-out score.
  if (agent_.system_id()) return {agent_.fits() > 0 ? agent_.last_fit().train_loss : kNoLoss, kNoLoss};
  const auto model = agent_.model();
  if (!model) return {kNoLoss, kNoLoss};
  const EpochStats& fit = agent_.last_fit();
  return {fit.train_loss, model->probabilistic() ? fit.val_nll : fit.val_mse};
}

void MpcAgent::record_plan_iteration(const AgentClock& clock) {
  const PlanTrace& t = agent_.trace();
  const int HA = t.horizon * t.action_dim;
  if (plan_traces_csv_.empty()) {
    plan_traces_csv_ =
        "run,episode,t,replan,iteration,candidates,finite_candidates,objective,best_return,"
        "worst_return";
    for (const char* what : {"mean", "std", "plan"})
      for (int h = 0; h < t.horizon; ++h)
        for (int d = 0; d < t.action_dim; ++d)
          plan_traces_csv_ += std::string(",") + what + "_" + std::to_string(h) + "_" + std::to_string(d);
    plan_traces_csv_ += '\n';
  }
  int finite = 0;
  double best = -std::numeric_limits<double>::infinity(), worst = -best;
  for (float r : t.returns)
    if (std::isfinite(r)) ++finite, best = std::max(best, double(r)), worst = std::min(worst, double(r));
  std::string& s = plan_traces_csv_;
  s += std::to_string(clock.run) + "," + std::to_string(clock.episode) + "," +
       std::to_string(clock.episode_steps) + "," + std::to_string(agent_.replans()) + "," +
       std::to_string(t.iteration) + "," + std::to_string(t.candidates) + "," + std::to_string(finite);
  append_number(s, t.objective_per_iteration.empty() ? kNoLoss : t.objective_per_iteration.back());
  append_number(s, best);
  append_number(s, worst);
  for (const auto* v : {&t.mean, &t.stddev, &t.plan})  // std empty: no spread (iLQR), nan
    for (int j = 0; j < HA; ++j) append_number(s, j < int(v->size()) ? double((*v)[j]) : kNoLoss);
  s += '\n';
}

void MpcAgent::record_disagreement(const Vec& s, const Vec& a, int64_t env_step) {
  const auto model = agent_.model();
  if (!model) return;  // oracle dynamics: no epistemic uncertainty to show
  // One predict of one row per env step: cheap next to planning.
  RowMatrixXf obs = s.cast<float>().transpose(), act = a.cast<float>().transpose();
  // The means predict s' - s, so their spread is the spread of the predicted s' (same s).
  model->predict_moments(obs, act, model->rollout_members(), disagreement_moments_);
  disagreement_x_.push_back(double(env_step));
  disagreement_y_.push_back(disagreement_moments_.epistemic.row(0).head(model->obs_dim()).sum());
}

void MpcAgent::add_figures(std::vector<Figure>& figs, const AgentClock&) const {
  figs.push_back(planner_objective_figure(agent_.planner(), agent_.trace()));
  if (const auto sysid = agent_.system_id()) {
    figs.push_back(system_id_figure(*sysid));
    figs.push_back(system_id_ratio_figure(*sysid));
  }
  const auto model = agent_.model();
  if (!model) return;
  Figure loss{"model_loss", "Model loss per training epoch", "epoch (all fits)", "loss (normalised)", {}, false};
  // Both series exist before either is referenced: series_named may grow the vector.
  loss.series_named("train");
  loss.series_named(model->probabilistic() ? "validation NLL" : "validation MSE");
  Series &tr = loss.series[0], &va = loss.series[1];
  const auto& epochs = agent_.epochs();
  // A diverged epoch has no loss (NaN): it is left out rather than plotted or exported.
  for (size_t i = 0; i < epochs.size(); ++i) {
    const double v = model->probabilistic() ? epochs[i].val_nll : epochs[i].val_mse;
    if (std::isfinite(epochs[i].train_loss)) {
      tr.x.push_back(double(i + 1));
      tr.y.push_back(epochs[i].train_loss);
    }
    if (std::isfinite(v)) {
      va.x.push_back(double(i + 1));
      va.y.push_back(v);
    }
  }
  // A deterministic model's loss is an MSE that falls by orders of magnitude over the fits: a
  // log axis shows the later epochs. A probabilistic one's is a Gaussian NLL, which goes
  // negative: its axis stays linear (spans_orders_of_magnitude is false then).
  loss.log_y = spans_orders_of_magnitude(loss);
  figs.push_back(std::move(loss));
  Figure dis{"disagreement", "Ensemble disagreement over time (current run)", "env step",
             "variance of elite means of s' (summed over dims)", {}, false};
  auto& ds = dis.series_named("elites");
  ds.x = disagreement_x_;
  ds.y = disagreement_y_;
  // A variance: tiny on the data, orders of magnitude larger off it.
  dis.log_y = spans_orders_of_magnitude(dis);
  figs.push_back(std::move(dis));
}

void MpcAgent::publish(Snapshot& s) const {
  static const char* phases[] = {"collect", "train", "plan", "act"};
  auto p = std::make_shared<PlanView>();
  p->trace = agent_.trace();
  p->replan_traces = replan_traces_;
  p->planning = agent_.planning();
  p->plan = agent_.current_plan();
  p->plan_index = agent_.plan_index();
  p->replan_every = cfg_.agent.replan_every;
  p->predicted_return = agent_.predicted_return();
  p->optimizer = agent_.planner().name();
  p->elites_name = agent_.planner().elites_name();
  p->iteration_name = agent_.planner().iteration_name();
  p->return_lo = fan_lo_, p->return_hi = fan_hi_;
  p->phase = phases[static_cast<int>(agent_.phase())];
  p->obs_dim = world_->observation_space().dim();
  p->action_dim = world_->action_space().dim();
  auto m = std::make_shared<ModelView>();
  m->prediction = cfg_.agent.dynamics == "oracle" ? "oracle" : cfg_.agent.model.prediction;
  m->dataset_size = agent_.dataset().size();
  m->obs_dim = p->obs_dim;
  m->action_dim = p->action_dim;
  for (const auto& row : *divergence_)
    if (row.run == seed_.run) m->divergence.push_back(row.kl);
  m->visitation = visitation_;
  if (const auto model = agent_.model()) {
    m->diverged = model->diverged();
    if (model_copy_fits_ != agent_.fits() || !model_copy_) {
      model_copy_ = model->clone();
      model_copy_fits_ = agent_.fits();
      // The rows the fit used: the first publish after a fit may come after further env steps
      // (a headless run publishes only when asked), whose data the model has not seen.
      model_data_ = agent_.fits() > 0 ? std::make_shared<const Dataset>(agent_.dataset().head(size_t(agent_.fit_rows())))
                                      : nullptr;
    }
    m->model = model_copy_;
    m->training_data = model_data_;
  }
  if (const auto sysid = agent_.system_id()) add_system_id_stats(*sysid, s.stats);
  if (m->diverged) s.message = "model diverged: training stopped, the last good weights are kept";
  if (!agent_.plan_valid() && agent_.replans() > 0) s.message = "no candidate had a finite return";
  s.stats.push_back({"replans", std::to_string(agent_.replans())});
  s.stats.push_back({"planner", std::string(agent_.planner().name()) + (agent_.planning() ? " (planning)" : "")});
  add_phase(s, p->phase);
  s.stats.push_back({"version", cfg_.agent.version + (cfg_.agent.dynamics == "oracle" ? " (oracle)" : "")});
  s.stats.push_back({"dataset", std::to_string(m->dataset_size) + " transitions"});
  s.stats.push_back({"model fits", std::to_string(agent_.fits())});
  s.plan = std::move(p);
  s.model = std::move(m);
}

void MpcAgent::write_outputs(const std::filesystem::path& dir) const {
  if (cfg_.output.plan_traces) write_file_atomic(dir / "plan_traces.csv", plan_traces_csv_);
  write_file_atomic(dir / "dataset.csv", agent_.dataset().to_csv());
  write_file_atomic(dir / "dataset.npy", agent_.dataset().to_npy());
  if (const auto sysid = agent_.system_id()) {
    ensure_directory(dir / "model");
    write_file_atomic(dir / "model" / "system_id.csv", system_id_csv(*sysid));
  }
  if (const auto model = agent_.model()) {
    ensure_directory(dir / "model");
    write_file_atomic(dir / "model" / model->file_name(), model->to_bytes());
    write_file_atomic(dir / "model" / "shape.txt", model->describe_shape() + "\n");
  }
  write_analysis(dir);
}

void MpcAgent::apply_live(const AgentSettings& settings, const LiveEdit& edit) {
  const auto& c = static_cast<const ConfigSettings<MpcSettingsConfig>&>(settings).cfg;
  const bool planner = std::any_of(edit.live.begin(), edit.live.end(),
                                   [](const std::string& k) { return k.rfind("planner.", 0) == 0; });
  agent_.set_live_config(c.agent, planner);
  cfg_ = c;
}

AgentFamily mpc_family() {
  AgentFamily f;
  f.name = "planning";
  f.description = "model-based RL by planning (MPC with random shooting / CEM / MPPI; oracle or learned model)";
  f.category = "MPC";
  f.default_episodes = 5;
  f.agents = {
      {"MPC", "v0.5", "random data, fit the model once, plan and execute each plan open loop", "planning"},
      {"MPC", "v1.0", "v0.5, but every episode's data is aggregated and the model refit", "planning"},
      {"MPC", "v1.5", "MPC: execute replan_every actions of each plan, then replan; refit per episode", "planning"},
      {"mbrl", "pets", "v1.5 with a probabilistic ensemble and trajectory sampling (PETS)", "planning"},
  };
  // The divergence rows collect every run's.
  f.read = read_shared_settings<MpcSettingsConfig, MpcAgent, std::vector<DivergenceRow>>;
  f.visit_fields = visit_config_json<MpcSettingsConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    if (env.action_space().is_discrete())
      env_node.fail("name", "an env with a continuous (box) action space for planning (got '" + env.name() + "')");
  };
  return f;
}

}  // namespace dynalab
