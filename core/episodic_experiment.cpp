#include "core/episodic_experiment.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "core/agents/registry.h"
#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/session.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

EpisodicExperiment::EpisodicExperiment(std::string name, std::string family, EpisodicConfig cfg,
                                       std::unique_ptr<AgentSettings> settings, std::unique_ptr<Env> env,
                                       Json resolved)
    : name_(std::move(name)),
      family_(std::move(family)),
      cfg_(std::move(cfg)),
      settings_(std::move(settings)),
      prototype_(std::move(env)) {
  config_ = std::move(resolved);
  cumulative_.resize(cfg_.steps > 0 ? cfg_.runs : 0);
  start_run(0);
}

void EpisodicExperiment::start_run(int run) {
  run_ = run;
  episode_ = 0;
  warmup_episodes_ = 0;
  run_steps_ = 0;
  run_reward_ = 0;
  env_ = prototype_->clone();
  agent_ = settings_->make(*env_, RunSeed{cfg_.seed, run});
  // Reserve at most a million steps up front: `steps` may be up to 1e9, and memory should grow
  // with the steps actually run, not with the configured maximum.
  if (cfg_.steps > 0) cumulative_[run].reserve(std::min<size_t>(size_t(cfg_.steps), size_t(1) << 20));
  start_episode();
}

Vec EpisodicExperiment::true_observation() const {
  const auto pixels = env_->pixel_layout();
  return pixels ? pixels->true_observation() : Vec();
}

void EpisodicExperiment::start_episode() {
  // Warm-up episodes and real episodes draw their start states from separate streams.
  const bool warmup = agent_->warming_up();
  const RunSeed seed{cfg_.seed, run_};
  const std::optional<uint64_t> chosen = warmup ? std::nullopt : agent_->episode_reset_seed(episode_);
  obs_ = env_->reset(chosen ? *chosen
                            : seed.stream(warmup ? 2 : 1, uint64_t(warmup ? warmup_episodes_ : episode_)).next_u64());
  agent_->begin_episode(episode_, obs_);
  current_ = Trajectory(run_, warmup ? -1 - warmup_episodes_ : episode_, obs_, env_->action_space().dim(),
                        true_observation());
}

bool EpisodicExperiment::tick() {
  if (finished_) return false;
  ++ticks_;
  if (episode_pending_) {  // the finished episode was on screen until now
    episode_pending_ = false;
    start_episode();
  }
  if (agent_->thinking())
    agent_->think(*env_, obs_, clock());
  else
    step_env();
  return true;
}

void EpisodicExperiment::step_env() {
  const bool warmup = agent_->warming_up();
  agent_->before_step(*env_, obs_);
  const Vec a = agent_->act(obs_);
  const StepResult r = env_->step(a);
  const Vec applied = env_->action_space().clip(a);
  const Vec obs = obs_;
  obs_ = r.obs;
  ++run_steps_;
  if (cfg_.steps > 0) {
    run_reward_ += r.reward;
    cumulative_[run_].push_back(run_reward_);
  }
  agent_->observe({warmup ? -1 - warmup_episodes_ : episode_, obs, applied, r.reward, r.obs, r.terminated},
                  r.truncated);
  const bool done = r.terminated || r.truncated;
  if (warmup) {  // warm-up data: restart when the episode or the warm-up ends
    if (done) ++warmup_episodes_;
    if (cfg_.steps > 0 && run_steps_ >= cfg_.steps)
      next_run_or_finish();
    else if (done || !agent_->warming_up())
      start_episode();
    return;
  }
  current_.push(applied, r.reward, r.obs, true_observation());
  if (done) {
    end_episode(r.terminated);
  } else if (cfg_.steps > 0 && run_steps_ >= cfg_.steps) {
    finished_episodes_.push_back(current_);  // cut by the step budget: in trajectories, not in metrics
    next_run_or_finish();
  }
}

void EpisodicExperiment::end_episode(bool terminated) {
  current_.terminated = terminated;
  rows_.push_back({run_, episode_, current_.steps(), run_steps_, current_.total_reward(), terminated,
                   agent_->episode_metrics()});
  agent_->end_episode(current_);
  finished_episodes_.push_back(current_);  // current_ stays what the final snapshot shows
  ++episode_;
  const bool run_over = cfg_.steps > 0 ? run_steps_ >= cfg_.steps : episode_ >= cfg_.episodes;
  if (run_over)
    next_run_or_finish();
  else
    episode_pending_ = true;  // reset on the next tick: a pause here shows where the episode ended
}

void EpisodicExperiment::next_run_or_finish() {
  if (run_ + 1 < cfg_.runs)
    start_run(run_ + 1);
  else
    finished_ = true;
}

std::map<std::string, Apply> EpisodicExperiment::config_applies() const {
  std::map<std::string, Apply> a = dynalab::config_applies(cfg_);
  for (const auto& [k, v] : settings_->applies()) a[k] = v;
  return a;
}

void EpisodicExperiment::apply_live(const LiveEdit& edit) {
  EpisodicConfig cfg;
  ConfigNode node(edit.merged, "live edit");
  cfg.visit(node);  // validates; only live fields differ from cfg_
  std::unique_ptr<AgentSettings> settings = settings_->read_live(edit);
  agent_->apply_live(*settings, edit);
  settings_ = std::move(settings);  // later runs' agents are built with the edited values
  cfg_ = cfg;
}

std::vector<Figure> EpisodicExperiment::figures() const {
  std::vector<Figure> figs;
  const bool steps = agent_->episode_curve() == EpisodeCurve::steps_per_episode;
  std::vector<EpisodeValue> values;
  for (const auto& row : rows_) values.push_back({row.run, row.episode, steps ? double(row.steps) : row.ret});
  if (steps)  // log scale: the first episode takes thousands of steps, the learned ones about 14
    figs.push_back(episode_figure("steps_per_episode", "Steps per episode", "steps", true, values, run_));
  else
    figs.push_back(episode_figure("return_per_episode", "Return per episode", "return", false, values, run_));
  if (cfg_.steps > 0) {
    Figure cum{"cumulative_reward", "Cumulative reward", "time step", "cumulative reward", {}, false};
    const auto& c = cumulative_[run_];
    auto& s = cum.series_named("run " + std::to_string(run_));
    const size_t stride = std::max<size_t>(1, c.size() / 600);  // a plot needs no more points
    for (size_t i = 0; i < c.size(); i += stride) {
      s.x.push_back(double(i + 1));
      s.y.push_back(c[i]);
    }
    figs.push_back(std::move(cum));
  }
  agent_->add_figures(figs, clock());
  return figs;
}

Progress EpisodicExperiment::progress() const {
  Progress p;
  p.experiment = name_;
  p.family = family_;
  p.tick = ticks_;
  p.run = run_;
  p.runs = cfg_.runs;
  p.episode = episode_;
  p.total_steps = run_steps_;
  p.finished = finished_;
  p.episode_terminated = !rows_.empty() && rows_.back().run == run_ && rows_.back().terminated;
  p.obs = obs_;
  return p;
}

std::shared_ptr<const Snapshot> EpisodicExperiment::snapshot() const {
  auto s = std::make_shared<Snapshot>();
  set_progress(*s, progress());
  s->seed = cfg_.seed;
  s->world = env_->clone();
  s->figures = figures();
  s->trajectory = current_;
  s->metric_columns = agent_->metric_columns();
  for (const auto& row : rows_)
    if (row.run == run_) {
      s->returns.push_back(row.ret);
      s->metrics.push_back(metric_values(row, s->metric_columns));
    }
  // Between an episode's end and the next tick the snapshot still shows that episode; a
  // finished run shows its last one (not "11 / 10").
  const bool ended = episode_pending_ || finished_;
  const std::string episodes = std::to_string(ended ? episode_ : episode_ + 1) +
                               (cfg_.steps > 0 ? "" : " / " + std::to_string(cfg_.episodes)) +
                               (finished_ ? " (run finished)" : episode_pending_ ? " (ended)" : "");
  s->stats = {{"run", std::to_string(run_ + 1) + " / " + std::to_string(cfg_.runs)},
              {"episode", episodes},
              {"steps this episode", std::to_string(current_.steps())},
              {"return this episode", format_number(current_.total_reward())}};
  agent_->publish(*s);  // its phase line says "run finished" once s->finished (add_phase)
  return s;
}

std::vector<double> EpisodicExperiment::metric_values(const EpisodeRow& r,
                                                      const std::vector<std::string>& columns) {
  std::vector<double> out;
  size_t own = 0;  // the agent's own columns, in order
  for (const auto& c : columns) {
    if (c == "steps")
      out.push_back(r.steps);
    else if (c == "env_steps")
      out.push_back(double(r.env_steps));
    else if (c == "return")
      out.push_back(r.ret);
    else if (c == "terminated")
      out.push_back(r.terminated ? 1 : 0);
    else
      out.push_back(own < r.agent_metrics.size() ? r.agent_metrics[own++] : 0.0);
  }
  return out;
}

Table EpisodicExperiment::metrics_table() const {
  const std::vector<std::string> columns = agent_->metric_columns();
  std::vector<std::string> header = {"run", "episode"};
  header.insert(header.end(), columns.begin(), columns.end());
  Table t(header);
  for (const auto& r : rows_) {
    std::vector<TableCell> row = {r.run, r.episode};
    const std::vector<double> values = metric_values(r, columns);
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == "steps" || columns[i] == "env_steps" || columns[i] == "terminated")
        row.emplace_back((long long)values[i]);  // counts print as integers
      else
        row.emplace_back(values[i]);
    }
    t.add_row(row);
  }
  return t;
}

std::vector<Trajectory> EpisodicExperiment::recorded_trajectories() const {
  std::vector<Trajectory> all = finished_episodes_;
  if (!finished_ && !episode_pending_ && current_.episode >= 0) all.push_back(current_);  // in progress
  return all;
}

std::vector<std::string> EpisodicExperiment::trajectory_columns() const {
  std::vector<std::string> cols = {"run", "episode", "t"};
  for (const auto& n : env_->observation_names()) cols.push_back(n.rfind("obs_", 0) == 0 ? n : "obs_" + n);
  for (int d = 0; d < env_->action_space().dim(); ++d) cols.push_back("action_" + std::to_string(d));
  cols.push_back("reward");
  if (const auto pixels = env_->pixel_layout())
    for (const auto& n : pixels->inner->observation_names()) cols.push_back("true_" + n);
  return cols;
}

void EpisodicExperiment::write_outputs(const std::filesystem::path& dir) const {
  metrics_table().write_csv(dir / "metrics.csv");
  Table traj(trajectory_columns());
  for (const Trajectory& e : recorded_trajectories())
    for (int t = 0; t < e.steps(); ++t) {
      std::vector<TableCell> row = {e.run, e.episode, t};
      for (double x : e.step_values(t)) row.emplace_back(x);
      traj.add_row(row);
    }
  traj.write_csv(dir / "trajectories.csv");
  if (cfg_.steps > 0) {
    Table cum({"run", "step", "cumulative_reward"});
    for (size_t run = 0; run < cumulative_.size(); ++run)
      for (size_t i = 0; i < cumulative_[run].size(); ++i) cum.add_row({run, i + 1, cumulative_[run][i]});
    cum.write_csv(dir / "cumulative_reward.csv");
  }
  agent_->write_outputs(dir);
}

namespace {

// `true_dim`: the length of the true state this experiment's env records (0 without a camera).
void visit_trajectory(Trajectory& e, StateVisitor& v, int true_dim) {
  v.field("run", e.run);
  v.field("episode", e.episode);
  v.bounded("obs_dim", e.obs_dim, 0, 1 << 20);
  v.bounded("action_dim", e.action_dim, 0, 1 << 20);
  v.field("obs", e.obs);
  v.field("actions", e.actions);
  v.field("rewards", e.rewards);
  v.field("terminated", e.terminated);
  if (v.loading() && (e.obs.size() != (e.rewards.size() + 1) * size_t(e.obs_dim) ||
                      e.actions.size() != e.rewards.size() * size_t(e.action_dim)))
    v.fail("obs", "(steps + 1) x obs_dim observations and steps x action_dim actions");
  bool has_true_state = e.true_dim > 0;
  v.optional("true_state", has_true_state, [&](StateVisitor& tv) {
    tv.bounded("dim", e.true_dim, true_dim, true_dim);
    tv.field("values", e.true_obs);
    if (tv.loading() && e.true_obs.size() != (e.rewards.size() + 1) * size_t(e.true_dim))
      tv.fail("values", "(steps + 1) x dim values");
  });
  if (v.loading() && !has_true_state) {  // a session saved before the true state was recorded
    e.true_dim = true_dim;
    e.true_obs.assign((e.rewards.size() + 1) * size_t(true_dim), std::numeric_limits<double>::quiet_NaN());
  }
}

}  // namespace

void EpisodicExperiment::visit_state(StateVisitor& v) {
  int run = run_;
  v.bounded("run", run, 0, cfg_.runs - 1);
  if (v.loading() && run != run_) start_run(run);  // that run's fresh env and agent, then overwritten
  v.field("episode", episode_);
  v.field("warmup_episodes", warmup_episodes_);
  v.field("run_steps", run_steps_);
  v.field("ticks", ticks_);
  v.field("run_reward", run_reward_);
  v.field("finished", finished_);
  v.field("obs", obs_);
  // Present only between an episode's end and the next tick; absent in sessions saved before it
  // existed, which were never saved in that gap.
  v.optional("episode_pending", episode_pending_, [](StateVisitor&) {});
  visit_records(v, "rows", rows_, [](EpisodeRow& r, StateVisitor& rv) {
    rv.field("run", r.run);
    rv.field("episode", r.episode);
    rv.field("steps", r.steps);
    rv.field("env_steps", r.env_steps);
    rv.field("return", r.ret);
    rv.field("terminated", r.terminated);
    rv.field("agent_metrics", r.agent_metrics);
  });
  const auto pixels = env_->pixel_layout();
  const int true_dim = pixels ? int(pixels->true_observation().size()) : 0;
  visit_records(v, "trajectories", finished_episodes_,
                [&](Trajectory& e, StateVisitor& tv) { visit_trajectory(e, tv, true_dim); });
  v.section("current_episode", [&](StateVisitor& cv) { visit_trajectory(current_, cv, true_dim); });
  visit_records(v, "cumulative_reward", cumulative_,
                [](std::vector<double>& c, StateVisitor& cv) { cv.field("values", c); });
  if (v.loading() && cumulative_.size() != size_t(cfg_.steps > 0 ? cfg_.runs : 0))
    v.fail("cumulative_reward", "one record per run when running by steps, none otherwise");
  std::vector<double> env_state = env_->get_state();
  const size_t env_size = env_state.size();
  v.field("env_state", env_state);
  if (v.loading()) {
    if (env_state.size() != env_size) v.fail("env_state", std::to_string(env_size) + " values");
    try {
      env_->set_state(env_state);
    } catch (const std::invalid_argument& e) {  // the right length, not this env's layout
      v.fail("env_state", std::string("a state of this env (") + e.what() + ")");
    }
  }
  v.section("agent", [&](StateVisitor& av) { agent_->visit_state(av, *env_, obs_); });
}

void EpisodicExperiment::save_state(const std::filesystem::path& dir, Json& state) const {
  // Saving only reads: the visitor writes each field's value into `state`.
  state = save_state_json(dir, [&](StateVisitor& v) { const_cast<EpisodicExperiment*>(this)->visit_state(v); });
}

void EpisodicExperiment::load_state(const std::filesystem::path& dir, const SessionReader& state) {
  load_state_json(dir, state, [&](StateVisitor& v) { visit_state(v); });
}

std::unique_ptr<Experiment> make_episodic_experiment(const std::string& family, ConfigNode& root,
                                                     const ExperimentSource& src, const EnvRegistry& envs) {
  const AgentFamily* f = find_agent_family(family);
  if (!f) root.fail("family", "a registered agent family");
  EpisodicConfig cfg;
  cfg.category = f->category;
  cfg.episodes = f->default_episodes;
  cfg.visit(root);
  std::unique_ptr<AgentSettings> settings = f->read(root);
  ConfigNode env_node = root.child("env");
  auto env = f->default_env.empty() ? envs.make(env_node) : envs.make(env_node, f->default_env);
  root.adopt("env", env_node);
  if (f->check_env) f->check_env(*env, env_node);
  return std::make_unique<EpisodicExperiment>(src.name, family, std::move(cfg), std::move(settings), std::move(env),
                                              root.resolved());
}

}  // namespace dynalab
