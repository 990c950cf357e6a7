#include "core/experiments/mbrl_experiment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/export/atomic_file.h"
#include "core/export/csv.h"
#include "core/rng.h"

namespace dynalab {

namespace {
constexpr double kNoLoss = std::numeric_limits<double>::quiet_NaN();  // written as "nan"

void append_number(std::string& out, double x) {
  out += ',';
  out += format_number(x);
}
}  // namespace

MbrlExperiment::MbrlExperiment(std::string name, MbrlExperimentConfig cfg, std::unique_ptr<Env> env,
                               Json resolved)
    : name_(std::move(name)), cfg_(std::move(cfg)), prototype_(std::move(env)) {
  config_ = std::move(resolved);
  start_run(0);
}

void MbrlExperiment::start_run(int run) {
  run_ = run;
  episode_ = 0;
  random_episodes_ = 0;
  run_steps_ = 0;
  disagreement_x_.clear();
  disagreement_y_.clear();
  fit_data_.reset();
  captured_fit_ = -1;
  visitation_.reset();
  evd_distance_.clear();
  evd_error_.clear();
  evd_episode_.clear();
  env_ = prototype_->clone();
  agent_ = std::make_unique<MbrlAgent>(cfg_.agent, *env_,
                                       Rng::derive(cfg_.seed, {uint64_t(run), 0}).next_u64());
  start_episode();
}

void MbrlExperiment::start_episode() {
  // Random-data episodes and planned episodes draw their start states from separate streams.
  const bool collecting = agent_->phase() == MbrlPhase::collect;
  obs_ = env_->reset(Rng::derive(cfg_.seed, {uint64_t(run_), collecting ? 2u : 1u,
                                             uint64_t(collecting ? random_episodes_ : episode_)})
                         .next_u64());
  agent_->begin_episode(episode_);
  episode_steps_ = 0;
  episode_return_ = 0;
  ep_obs_.assign(obs_.data(), obs_.data() + obs_.size());
  ep_actions_.clear();
  ep_rewards_.clear();
}

void MbrlExperiment::end_episode(bool terminated) {
  const EpochStats& fit = agent_->last_fit();
  const bool probabilistic = agent_->model() && agent_->model()->probabilistic();
  rows_.push_back({run_, episode_, run_steps_, episode_return_, terminated,
                   agent_->model() ? fit.train_loss : kNoLoss,
                   agent_->model() ? (probabilistic ? fit.val_nll : fit.val_mse) : kNoLoss});
  record_divergence();  // before end_episode(): the reference is the data that planned it
  agent_->end_episode();
  ++episode_;
  if (episode_ < cfg_.episodes) {
    start_episode();
  } else if (run_ + 1 < cfg_.runs) {
    start_run(run_ + 1);
  } else {
    finished_ = true;
  }
}

void MbrlExperiment::record_plan_iteration() {
  const PlanTrace& t = agent_->trace();
  const int HA = t.horizon * t.action_dim;
  if (plan_traces_csv_.empty()) {
    plan_traces_csv_ =
        "run,episode,t,replan,iteration,candidates,finite_candidates,objective,best_return,"
        "worst_return";
    for (const char* what : {"mean", "std", "plan"})
      for (int h = 0; h < t.horizon; ++h)
        for (int d = 0; d < t.action_dim; ++d)
          plan_traces_csv_ +=
              std::string(",") + what + "_" + std::to_string(h) + "_" + std::to_string(d);
    plan_traces_csv_ += '\n';
  }
  int finite = 0;
  double best = -std::numeric_limits<double>::infinity(), worst = -best;
  for (float r : t.returns)
    if (std::isfinite(r)) ++finite, best = std::max(best, double(r)), worst = std::min(worst, double(r));
  std::string& s = plan_traces_csv_;
  s += std::to_string(run_) + "," + std::to_string(episode_) + "," +
       std::to_string(episode_steps_) + "," + std::to_string(agent_->replans()) + "," +
       std::to_string(t.iteration) + "," + std::to_string(t.candidates) + "," +
       std::to_string(finite);
  append_number(s, t.objective_per_iteration.empty() ? kNoLoss : t.objective_per_iteration.back());
  append_number(s, best);
  append_number(s, worst);
  for (const auto* v : {&t.mean, &t.stddev, &t.plan})
    for (int j = 0; j < HA; ++j) append_number(s, (*v)[j]);
  s += '\n';
}

void MbrlExperiment::apply_live(const LiveEdit& edit) {
  MbrlExperimentConfig cfg;
  ConfigNode node(edit.merged, "live edit");
  cfg.visit(node);  // validates; only live fields differ from cfg_
  const bool planner = std::any_of(edit.live.begin(), edit.live.end(), [](const std::string& k) {
    return k.rfind("planner.", 0) == 0;
  });
  agent_->set_live_config(cfg.agent, planner);
  cfg_ = cfg;
}

bool MbrlExperiment::tick() {
  if (finished_) return false;
  ++ticks_;
  switch (agent_->phase()) {
    case MbrlPhase::collect:  // one step of the random base policy pi_0
      step_env(agent_->random_action(), false);
      break;
    case MbrlPhase::train:  // one epoch over the dataset
      capture_training_data();
      agent_->train_epoch();
      break;
    case MbrlPhase::plan:  // one planner iteration
      agent_->plan_iteration(*env_, obs_);
      if (agent_->trace().iteration == 0) replan_traces_.clear();
      replan_traces_.push_back(std::make_shared<const PlanTrace>(agent_->trace()));
      if (cfg_.output.plan_traces) record_plan_iteration();
      break;
    case MbrlPhase::act:  // one real env step with the next planned action
      step_env(agent_->act(), true);
      break;
  }
  return true;
}

void MbrlExperiment::step_env(const Vec& a, bool planned) {
  const StepResult r = env_->step(a);
  const Vec clipped = env_->action_space().clip(a);
  const Vec obs = obs_;
  obs_ = r.obs;
  ++run_steps_;
  agent_->observe({planned ? episode_ : -1 - random_episodes_, obs, clipped, r.reward, r.obs, r.terminated});
  if (!planned) {  // random data: restart when the episode or the random phase ends
    if (r.terminated || r.truncated) ++random_episodes_;
    if (r.terminated || r.truncated || agent_->phase() != MbrlPhase::collect) start_episode();
    return;
  }
  record_disagreement(obs, clipped);
  if (trajectories_csv_.empty()) {
    trajectories_csv_ = "run,episode,t";
    for (const auto& n : env_->observation_names())
      trajectories_csv_ += "," + (n.rfind("obs_", 0) == 0 ? n : "obs_" + n);
    for (int d = 0; d < clipped.size(); ++d) trajectories_csv_ += ",action_" + std::to_string(d);
    trajectories_csv_ += ",reward\n";
  }
  std::string& s = trajectories_csv_;
  s += std::to_string(run_) + "," + std::to_string(episode_) + "," + std::to_string(episode_steps_);
  for (int d = 0; d < obs.size(); ++d) append_number(s, obs[d]);
  for (int d = 0; d < clipped.size(); ++d) append_number(s, clipped[d]);
  append_number(s, r.reward);
  s += '\n';
  ep_actions_.insert(ep_actions_.end(), clipped.data(), clipped.data() + clipped.size());
  ep_rewards_.push_back(r.reward);
  ep_obs_.insert(ep_obs_.end(), r.obs.data(), r.obs.data() + r.obs.size());
  episode_return_ += r.reward;
  ++episode_steps_;
  if (r.terminated || r.truncated) end_episode(r.terminated);
}

void MbrlExperiment::record_disagreement(const Vec& s, const Vec& a) {
  const auto model = agent_->model();
  if (!model) return;  // oracle dynamics: no epistemic uncertainty to show
  // One predict of one row per env step: cheap next to planning.
  RowMatrixXf obs = s.cast<float>().transpose(), act = a.cast<float>().transpose();
  model->predict(obs, act, disagreement_pred_);
  const auto& elites = model->elites();
  const int n = int(elites.size());
  double total = 0;
  // The means predict s' - s, so their spread is the spread of the predicted s' (same s).
  for (int d = 0; d < model->obs_dim(); ++d) {
    double mean = 0, sq = 0;
    for (int e : elites) mean += disagreement_pred_.mean[e](0, d);
    mean /= n;
    for (int e : elites) {
      const double dev = disagreement_pred_.mean[e](0, d) - mean;
      sq += dev * dev;
    }
    total += sq / n;
  }
  disagreement_x_.push_back(double(run_steps_));
  disagreement_y_.push_back(total);
}

std::vector<Figure> MbrlExperiment::figures() const {
  std::vector<Figure> figs;
  std::vector<EpisodeValue> returns;
  for (const auto& row : rows_) returns.push_back({row.run, row.episode, row.ret});
  figs.push_back(episode_figure("return_per_episode", "Return per episode", "return", false, returns, run_));
  Figure obj{"planner_objective",
             "Planner objective per iteration (latest replan)",
             "iteration",
             "objective (predicted return)",
             {},
             false};
  auto& s = obj.series_named(agent_->planner().name());
  const auto& o = agent_->trace().objective_per_iteration;
  for (size_t i = 0; i < o.size(); ++i) {
    s.x.push_back(double(i + 1));
    s.y.push_back(o[i]);
  }
  figs.push_back(std::move(obj));
  if (agent_->model()) {
    Figure loss{"model_loss", "Model loss per training epoch", "epoch (all fits)", "loss (normalised)", {}, false};
    // Both series exist before either is referenced: series_named may grow the vector.
    loss.series_named("train");
    loss.series_named(agent_->model()->probabilistic() ? "validation NLL" : "validation MSE");
    Series &tr = loss.series[0], &va = loss.series[1];
    const auto& epochs = agent_->epochs();
    // A diverged epoch has no loss (NaN): it is left out rather than plotted or exported.
    for (size_t i = 0; i < epochs.size(); ++i) {
      const double v = agent_->model()->probabilistic() ? epochs[i].val_nll : epochs[i].val_mse;
      if (std::isfinite(epochs[i].train_loss)) {
        tr.x.push_back(double(i + 1));
        tr.y.push_back(epochs[i].train_loss);
      }
      if (std::isfinite(v)) {
        va.x.push_back(double(i + 1));
        va.y.push_back(v);
      }
    }
    figs.push_back(std::move(loss));
    Figure dis{"disagreement", "Ensemble disagreement over time (current run)", "env step",
               "variance of elite means of s' (summed over dims)", {}, false};
    auto& ds = dis.series_named("elites");
    ds.x = disagreement_x_;
    ds.y = disagreement_y_;
    figs.push_back(std::move(dis));
  }
  return figs;
}

Progress MbrlExperiment::progress() const {
  Progress p;
  p.experiment = name_;
  p.kind = "mbrl";
  p.tick = ticks_;
  p.run = run_;
  p.runs = cfg_.runs;
  p.episode = episode_;
  p.total_steps = run_steps_;
  p.finished = finished_;
  p.obs = obs_;
  p.episode_terminated = !rows_.empty() && rows_.back().run == run_ && rows_.back().terminated;
  return p;
}

std::shared_ptr<const Snapshot> MbrlExperiment::snapshot() const {
  auto s = std::make_shared<MbrlSnapshot>();
  set_progress(*s, progress());
  s->world = env_->clone();
  s->figures = figures();
  s->trace = agent_->trace();
  s->replan_traces = replan_traces_;
  s->planning = agent_->planning();
  s->obs_dim = env_->observation_space().dim();
  s->action_dim = env_->action_space().dim();
  s->episode_obs = ep_obs_;
  s->episode_actions = ep_actions_;
  s->episode_rewards = ep_rewards_;
  for (const auto& row : rows_)
    if (row.run == run_) s->returns.push_back(row.ret);
  s->plan = agent_->current_plan();
  s->plan_index = agent_->plan_index();
  s->replan_every = cfg_.agent.replan_every;
  s->predicted_return = agent_->predicted_return();
  s->planner_kind = agent_->planner().name();
  s->model_kind = cfg_.agent.dynamics == "oracle" ? "oracle" : cfg_.agent.model.prediction;
  static const char* phases[] = {"collect", "train", "plan", "act"};
  s->phase = phases[static_cast<int>(agent_->phase())];
  s->dataset_size = agent_->dataset().size();
  for (const auto& row : divergence_)
    if (row.run == run_) s->divergence.push_back(row.kl);
  s->visitation = visitation_;
  if (agent_->model()) {
    s->model_diverged = agent_->model()->diverged();
    if (model_copy_fits_ != agent_->fits() || !model_copy_) {
      model_copy_ = std::make_shared<const Ensemble>(*agent_->model());
      model_copy_fits_ = agent_->fits();
      // No env step happens while training, so the dataset now is the one the fit used.
      model_data_ = agent_->fits() > 0 ? std::make_shared<const Dataset>(agent_->dataset())
                                       : nullptr;
    }
    s->model = model_copy_;
    s->training_data = model_data_;
  }
  if (s->model_diverged) s->message = "model diverged: training stopped, the last good weights are kept";
  if (!agent_->plan_valid() && agent_->replans() > 0)
    s->message = "no candidate had a finite return";
  s->stats = {{"run", std::to_string(run_ + 1) + " / " + std::to_string(cfg_.runs)},
              {"episode", std::to_string(episode_ + 1) + " / " + std::to_string(cfg_.episodes)},
              {"steps this episode", std::to_string(episode_steps_)},
              {"return this episode", format_number(episode_return_)},
              {"replans", std::to_string(agent_->replans())},
              {"planner",
               std::string(agent_->planner().name()) + (agent_->planning() ? " (planning)" : "")},
              {"phase", s->phase},
              {"version", cfg_.agent.version + (cfg_.agent.dynamics == "oracle" ? " (oracle)" : "")},
              {"dataset", std::to_string(s->dataset_size) + " transitions"},
              {"model fits", std::to_string(agent_->fits())}};
  return s;
}

void MbrlExperiment::write_outputs(const std::filesystem::path& dir) const {
  std::string metrics = "run,episode,env_steps,return,terminated,train_loss,val_loss\n";
  for (const auto& r : rows_) {
    metrics +=
        std::to_string(r.run) + "," + std::to_string(r.episode) + "," + std::to_string(r.env_steps);
    append_number(metrics, r.ret);
    metrics += r.terminated ? ",1" : ",0";
    append_number(metrics, r.train_loss);
    append_number(metrics, r.val_loss);
    metrics += '\n';
  }
  write_file_atomic(dir / "metrics.csv", metrics);
  write_file_atomic(dir / "trajectories.csv", trajectories_csv_);
  if (cfg_.output.plan_traces) write_file_atomic(dir / "plan_traces.csv", plan_traces_csv_);
  write_file_atomic(dir / "dataset.csv", agent_->dataset().to_csv());
  write_file_atomic(dir / "dataset.npy", agent_->dataset().to_npy());
  if (const auto model = agent_->model()) {
    ensure_directory(dir / "model");
    model->save(dir / "model" / "ensemble.bin");
    write_file_atomic(dir / "model" / "shape.txt", model->describe_shape() + "\n");
  }
  write_analysis(dir);
}

std::unique_ptr<Experiment> make_mbrl_experiment(ConfigNode& root, const ExperimentSource& src,
                                                 const EnvRegistry& envs) {
  MbrlExperimentConfig cfg;
  cfg.visit(root);
  ConfigNode env_node = root.child("env");
  auto env = envs.make(env_node);
  root.adopt("env", env_node);
  if (env->action_space().is_discrete())
    env_node.fail("name", "an env with a continuous (box) action space for planning (got '" +
                              env->name() + "')");
  return std::make_unique<MbrlExperiment>(src.name, std::move(cfg), std::move(env),
                                          root.resolved());
}

}  // namespace dynalab
