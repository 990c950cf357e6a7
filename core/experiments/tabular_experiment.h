#pragma once
// Tabular agents on a discrete env (grid worlds, discretised physics worlds). One tick = one real
// env step with its direct update and its planning updates. Runs repeat with seeds derived from
// the config's seed, so `--runs 30` is reproducible.

#include <deque>

#include "core/agents/tabular_agent.h"
#include "core/env_registry.h"
#include "core/experiment.h"

namespace dynalab {

struct TabularExperimentConfig {
  std::string category = "tabular", description;
  uint64_t seed = 0;
  int runs = 1;
  int episodes = 50;  ///< episodes per run (when steps == 0)
  int64_t steps = 0;  ///< env steps per run; > 0 runs by steps and records cumulative reward
  TabularConfig agent;

  template <class V>
  void visit(V& v) {
    v.field("category", category, Apply::live);
    v.field("description", description, Apply::live);
    v.field("seed", seed, Range::at_least(0), Apply::on_reset, "base seed; runs derive theirs from it");
    v.field("runs", runs, Range::closed(1, 100000), Apply::on_reset, "independent runs");
    v.field("episodes", episodes, Range::closed(1, 1e7), Apply::on_reset, "episodes per run");
    v.field("steps", steps, Range::closed(0, 1e9), Apply::on_reset, "env steps per run (0: by episodes)");
    v.section("agent", agent);
  }
};

/// What the GUI needs to draw Dyna: Q table, learned model, planning updates, the agent's path.
struct TabularSnapshot : Snapshot {
  int n_states = 0, n_actions = 0;
  std::vector<double> q;            ///< n_states * n_actions
  std::vector<ModelEntry> model;    ///< the learned model's entries
  struct Update {
    int64_t tick;  ///< the tick in which it happened (fade by age)
    QUpdate update;
    bool planning;
  };
  std::vector<Update> recent_updates;  ///< updates of the last few ticks, newest last
  std::vector<int> episode_path;       ///< states visited this episode, in order
  int64_t real_updates = 0, planning_updates = 0;
  double aliased_fraction = 0;         ///< model pairs whose outcome changed (stochastic in truth)
  TabularConfig agent;
};

class TabularExperiment : public Experiment {
 public:
  TabularExperiment(std::string name, TabularExperimentConfig cfg, std::unique_ptr<Env> env, Json resolved);
  bool tick() override;
  bool finished() const override { return finished_; }
  std::shared_ptr<const Snapshot> snapshot() const override;
  Progress progress() const override;
  void write_outputs(const std::filesystem::path& dir) const override;

  struct EpisodeRow {
    int run, episode, steps;
    double ret;
  };
  const std::vector<EpisodeRow>& episodes() const { return rows_; }
  /// Cumulative reward after every step of every run (steps mode), row = run.
  const std::vector<std::vector<double>>& cumulative_reward() const { return cumulative_; }
  const TabularAgent& agent() const { return *agent_; }
  Env* env() override { return env_.get(); }
  const TabularExperimentConfig& settings() const { return cfg_; }
  /// Session support (tabular_session.cpp).
  void save_state(const std::filesystem::path& dir, Json& state) const override;
  void load_state(const std::filesystem::path& dir, const SessionReader& state) override;

 protected:
  std::map<std::string, Apply> config_applies() const override { return dynalab::config_applies(cfg_); }
  /// The agent's live parameters (alpha, epsilon, gamma, n, kappa, theta) from the next step.
  void apply_live(const LiveEdit& edit) override;

 private:
  void start_run(int run);
  void end_episode();
  std::vector<Figure> figures() const;

  std::string name_;
  TabularExperimentConfig cfg_;
  std::unique_ptr<Env> prototype_, env_;
  std::unique_ptr<TabularAgent> agent_;
  int run_ = 0, episode_ = 0, episode_steps_ = 0, state_ = 0;
  int64_t run_steps_ = 0, ticks_ = 0;
  double episode_return_ = 0, run_reward_ = 0;
  bool finished_ = false;
  std::vector<EpisodeRow> rows_;
  std::vector<std::vector<double>> cumulative_;  // per run, after every step
  std::vector<int> path_;
  std::deque<TabularSnapshot::Update> recent_;
};

/// Factory for the "tabular" experiment kind.
std::unique_ptr<Experiment> make_tabular_experiment(ConfigNode& root, const ExperimentSource& src,
                                                    const EnvRegistry& envs);

}  // namespace dynalab
