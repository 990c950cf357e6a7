#include "core/experiments/tabular_experiment.h"

#include <algorithm>
#include <cmath>

#include "core/export/atomic_file.h"
#include "core/export/csv.h"

namespace dynalab {

namespace {
constexpr size_t kRecentUpdates = 4000;  // enough for n = 50 over the ~60 ticks a flash lasts
}

TabularExperiment::TabularExperiment(std::string name, TabularExperimentConfig cfg, std::unique_ptr<Env> env,
                                     Json resolved)
    : name_(std::move(name)), cfg_(std::move(cfg)), prototype_(std::move(env)) {
  config_ = std::move(resolved);
  cumulative_.resize(cfg_.steps > 0 ? cfg_.runs : 0);
  start_run(0);
}

void TabularExperiment::start_run(int run) {
  run_ = run;
  episode_ = 0;
  run_steps_ = 0;
  run_reward_ = 0;
  env_ = prototype_->clone();
  agent_ = std::make_unique<TabularAgent>(env_->observation_space().n, env_->action_space().n, cfg_.agent,
                                          Rng::derive(cfg_.seed, {uint64_t(run), 0}));
  state_ = static_cast<int>(env_->reset(Rng::derive(cfg_.seed, {uint64_t(run), 1, 0}).next_u64())[0]);
  episode_steps_ = 0;
  episode_return_ = 0;
  path_ = {state_};
  // Reserve at most a million steps up front: `steps` may be up to 1e9, and memory should grow
  // with the steps actually run, not with the configured maximum.
  if (cfg_.steps > 0) cumulative_[run].reserve(std::min<size_t>(cfg_.steps, size_t(1) << 20));
}

void TabularExperiment::apply_live(const LiveEdit& edit) {
  TabularExperimentConfig cfg;
  ConfigNode node(edit.merged, "live edit");
  cfg.visit(node);  // validates; only live fields differ from cfg_
  cfg_ = cfg;
  agent_->set_config(cfg_.agent);
}

void TabularExperiment::end_episode() {
  rows_.push_back({run_, episode_, episode_steps_, episode_return_});
  ++episode_;
  state_ = static_cast<int>(env_->reset(Rng::derive(cfg_.seed, {uint64_t(run_), 1, uint64_t(episode_)}).next_u64())[0]);
  episode_steps_ = 0;
  episode_return_ = 0;
  path_ = {state_};
}

bool TabularExperiment::tick() {
  if (finished_) return false;
  ++ticks_;
  const int a = agent_->act(state_);
  const StepResult r = env_->step(Vec::Constant(1, a));
  const int next = static_cast<int>(r.obs[0]);
  const auto& updates = agent_->learn(state_, a, r.reward, next, r.terminated);
  const bool prioritized = cfg_.agent.algorithm == "prioritized_sweeping";
  for (size_t i = 0; i < updates.size(); ++i) recent_.push_back({ticks_, updates[i], prioritized || i > 0});
  while (recent_.size() > kRecentUpdates) recent_.pop_front();
  state_ = next;
  path_.push_back(state_);
  ++episode_steps_;
  ++run_steps_;
  episode_return_ += r.reward;
  if (cfg_.steps > 0) {
    run_reward_ += r.reward;
    cumulative_[run_].push_back(run_reward_);
  }
  if (r.terminated || r.truncated) end_episode();
  const bool run_over = cfg_.steps > 0 ? run_steps_ >= cfg_.steps : episode_ >= cfg_.episodes;
  if (run_over) {
    if (run_ + 1 < cfg_.runs)
      start_run(run_ + 1);
    else
      finished_ = true;
  }
  return true;
}

std::vector<Figure> TabularExperiment::figures() const {
  std::vector<Figure> figs;
  std::vector<EpisodeValue> steps;
  for (const auto& row : rows_) steps.push_back({row.run, row.episode, double(row.steps)});
  // Log scale: the first episode takes thousands of steps, the learned ones about 14.
  figs.push_back(episode_figure("steps_per_episode", "Steps per episode", "steps", true, steps, run_));
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
  return figs;
}

Progress TabularExperiment::progress() const {
  Progress p;
  p.experiment = name_;
  p.kind = "tabular";
  p.tick = ticks_;
  p.run = run_;
  p.runs = cfg_.runs;
  p.episode = episode_;
  p.total_steps = run_steps_;
  p.finished = finished_;
  p.obs = Vec::Constant(1, state_);
  return p;
}

std::shared_ptr<const Snapshot> TabularExperiment::snapshot() const {
  auto s = std::make_shared<TabularSnapshot>();
  set_progress(*s, progress());
  s->world = env_->clone();
  s->figures = figures();
  s->n_states = env_->observation_space().n;
  s->n_actions = env_->action_space().n;
  s->q = agent_->q_table();
  s->model = agent_->model().entries();
  s->recent_updates.assign(recent_.begin(), recent_.end());
  s->episode_path = path_;
  s->real_updates = agent_->real_updates();
  s->planning_updates = agent_->planning_updates();
  s->aliased_fraction = agent_->model().aliased_fraction();
  s->agent = cfg_.agent;
  s->stats = {{"run", std::to_string(run_ + 1) + " / " + std::to_string(cfg_.runs)},
              {"episode", std::to_string(episode_ + 1)},
              {"steps this episode", std::to_string(episode_steps_)},
              {"real updates", std::to_string(s->real_updates)},
              {"planning updates", std::to_string(s->planning_updates)},
              {"model pairs known", std::to_string(s->model.size())},
              {"aliased pairs", format_number(std::round(1000 * s->aliased_fraction) / 10) + "%"}};
  return s;
}

void TabularExperiment::write_outputs(const std::filesystem::path& dir) const {
  std::string metrics = "run,episode,steps,return\n";
  for (const auto& r : rows_)
    metrics += std::to_string(r.run) + "," + std::to_string(r.episode) + "," + std::to_string(r.steps) + "," +
               format_number(r.ret) + "\n";
  write_file_atomic(dir / "metrics.csv", metrics);
  if (cfg_.steps > 0) {
    std::string cum = "run,step,cumulative_reward\n";
    for (size_t run = 0; run < cumulative_.size(); ++run)
      for (size_t i = 0; i < cumulative_[run].size(); ++i)
        cum += std::to_string(run) + "," + std::to_string(i + 1) + "," + format_number(cumulative_[run][i]) + "\n";
    write_file_atomic(dir / "cumulative_reward.csv", cum);
  }
  // The learned model of the last run: how often each (s, a) led to a different next state
  // than the stored one (0 in a deterministic world; aliasing on a discretised physics world).
  std::string model = "state,action,visits,outcome_changes,next_state,reward\n";
  for (const auto& e : agent_->model().entries())
    model += std::to_string(e.state) + "," + std::to_string(e.action) + "," + std::to_string(e.visits) + "," +
             std::to_string(e.outcome_changes) + "," + std::to_string(e.next_state) + "," + format_number(e.reward) + "\n";
  write_file_atomic(dir / "model.csv", model);
}

std::unique_ptr<Experiment> make_tabular_experiment(ConfigNode& root, const ExperimentSource& src,
                                                    const EnvRegistry& envs) {
  TabularExperimentConfig cfg;
  cfg.visit(root);
  ConfigNode env_node = root.child("env");
  auto env = envs.make(env_node, "grid_world");
  root.adopt("env", env_node);
  if (!env->observation_space().is_discrete() || !env->action_space().is_discrete())
    env_node.fail("name", "an env with discrete observations and actions for a tabular agent (got '" + env->name() +
                              "'; wrap a physics env with the discretiser)");
  return std::make_unique<TabularExperiment>(src.name, std::move(cfg), std::move(env), root.resolved());
}

}  // namespace dynalab
