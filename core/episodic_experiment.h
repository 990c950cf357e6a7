#pragma once
// The one experiment of every agent family (issue 16): runs an Agent (core/agent.h) on a real
// env for `runs` independent runs of `episodes` episodes (or `steps` env steps), one bounded unit
// of work per tick, and owns what families share: seeds, episode bookkeeping, metrics,
// trajectories, the episode plots, the snapshot's common part and sessions.
//
// Seeds (as before the seam, so every preset's numbers are unchanged): run r's agent draws from
// Rng::derive(seed, {r, 0}); real episode k of run r starts from reset seed
// Rng::derive(seed, {r, 1, k}).next_u64() (or the agent's Agent::episode_reset_seed(k), when it
// picks its start states), warm-up episode k from Rng::derive(seed, {r, 2, k}).
//
// Outputs (write_outputs):
//   metrics.csv          run,episode,<agent.metric_columns()>  one row per finished real episode
//                        (steps = env steps of the episode, env_steps = env steps of the run so
//                        far, warm-up included; return; terminated = 1 if the MDP ended it, 0 if
//                        truncated; then the agent's own columns)
//   trajectories.csv     run,episode,t,obs_<name>...,action_<d>...,reward  every real step
//                        (obs before the action; warm-up steps are not recorded)
//   cumulative_reward.csv  run,step,cumulative_reward  (runs by steps only)
//   and the agent's own files (Agent::write_outputs).

#include <deque>

#include "core/agent.h"
#include "core/env_registry.h"
#include "core/experiment.h"
#include "core/io/table.h"

namespace dynalab {

struct EpisodicConfig {
  std::string category, description;
  uint64_t seed = 0;
  int runs = 1;
  int episodes = 10;  ///< real episodes per run (when steps == 0)
  int64_t steps = 0;  ///< env steps per run; > 0 runs by steps and records cumulative reward

  template <class V>
  void visit(V& v) {
    v.field("category", category, Apply::live);
    v.field("description", description, Apply::live);
    v.field("seed", seed, Range::at_least(0), Apply::on_reset, "base seed; runs derive theirs from it");
    v.field("runs", runs, Range::closed(1, 100000), Apply::on_reset, "independent runs");
    v.field("episodes", episodes, Range::closed(1, 1e7), Apply::on_reset, "episodes per run");
    v.field("steps", steps, Range::closed(0, 1e9), Apply::on_reset, "env steps per run (0: by episodes)");
  }
};

class EpisodicExperiment : public Experiment {
 public:
  /// `family`: the registry name (Progress::family); `settings` builds each run's agent.
  EpisodicExperiment(std::string name, std::string family, EpisodicConfig cfg,
                     std::unique_ptr<AgentSettings> settings, std::unique_ptr<Env> env, Json resolved);
  bool tick() override;
  bool finished() const override { return finished_; }
  std::shared_ptr<const Snapshot> snapshot() const override;
  Progress progress() const override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void save_state(const std::filesystem::path& dir, Json& state) const override;
  void load_state(const std::filesystem::path& dir, const SessionReader& state) override;
  Env* env() override { return env_.get(); }

  /// One finished real episode.
  struct EpisodeRow {
    int run = 0, episode = 0, steps = 0;
    int64_t env_steps = 0;  ///< env steps of the run when it ended (warm-up included)
    double ret = 0;
    bool terminated = false;
    std::vector<double> agent_metrics;  ///< Agent::episode_metrics() at its end
  };
  const std::vector<EpisodeRow>& episodes() const { return rows_; }
  /// Every finished real episode of every run, in order.
  const std::vector<Trajectory>& trajectories() const { return finished_episodes_; }
  std::vector<Trajectory> recorded_trajectories() const override;
  std::vector<std::string> trajectory_columns() const override;
  /// The real episode in progress, or the one that just ended until the next tick starts the next
  /// (empty during warm-up).
  const Trajectory& current_episode() const { return current_; }
  /// Cumulative reward after every step of every run (runs by steps), row = run.
  const std::vector<std::vector<double>>& cumulative_reward() const { return cumulative_; }
  const Agent& agent() const { return *agent_; }
  Agent& agent() { return *agent_; }
  const EpisodicConfig& settings() const { return cfg_; }
  AgentClock clock() const { return {run_, episode_, current_.steps(), run_steps_}; }

 protected:
  std::map<std::string, Apply> config_applies() const override;
  void apply_live(const LiveEdit& edit) override;

 private:
  void start_run(int run);
  void start_episode();
  void step_env();
  void end_episode(bool terminated);
  void next_run_or_finish();
  /// The true state behind the env's observation now (Env::pixel_layout); empty for an env whose
  /// observation is its state.
  Vec true_observation() const;
  void visit_state(StateVisitor& v);
  Table metrics_table() const;
  /// `r`'s value in each of `columns` (the common ones, then the agent's own in order).
  static std::vector<double> metric_values(const EpisodeRow& r, const std::vector<std::string>& columns);
  std::vector<Figure> figures() const;

  std::string name_, family_;
  EpisodicConfig cfg_;
  std::unique_ptr<AgentSettings> settings_;
  std::unique_ptr<Env> prototype_, env_;
  std::unique_ptr<Agent> agent_;
  int run_ = 0, episode_ = 0, warmup_episodes_ = 0;
  int64_t run_steps_ = 0, ticks_ = 0;
  double run_reward_ = 0;
  bool finished_ = false;
  // An episode ended and the next one starts on the next tick: until then the env, current_ and
  // the agent's views still show how it ended (a lesson paused at "episode N" shows the result).
  bool episode_pending_ = false;
  Vec obs_;
  Trajectory current_;  // the real episode in progress
  std::vector<EpisodeRow> rows_;
  std::vector<Trajectory> finished_episodes_;
  std::vector<std::vector<double>> cumulative_;  // per run, after every step
};

/// Builds the experiment of `family` from the config `root` ("family" already read).
std::unique_ptr<Experiment> make_episodic_experiment(const std::string& family, ConfigNode& root,
                                                     const ExperimentSource& src, const EnvRegistry& envs);

}  // namespace dynalab
