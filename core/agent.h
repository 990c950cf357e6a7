#pragma once
// The agent seam (issue 16). Every algorithm family (tabular Dyna, MPC, a policy learner, ...)
// implements Agent; one EpisodicExperiment (core/episodic_experiment.h) runs any of them and owns
// what every family shares: runs, episodes, seeds, metrics.csv, trajectories, the episode plots,
// the snapshot's common part and sessions. A family is its own folder under core/agents/ plus one
// line in core/agents/registry.cpp.
//
// The loop, one bounded unit of work per tick:
//   if agent.thinking():  agent.think(env, obs, clock)        a training epoch, a planner iteration
//   else:                 a = agent.act(obs); step the env;   one real env step
//                         agent.observe(transition)
// with begin_episode / end_episode around each real episode. An agent may first collect
// warm-up data with its own base policy (warming_up(): MBRL's random_steps); those episodes are
// numbered -1, -2, ..., reset from their own seed stream and not recorded as episodes.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/dataset.h"
#include "core/env.h"
#include "core/figure.h"
#include "core/live_edit.h"
#include "core/rng.h"
#include "core/trajectory.h"

namespace dynalab {

struct Snapshot;
class StateVisitor;
class AgentSettings;

/// Where the experiment is (read-only for the agent).
struct AgentClock {
  int run = 0;            ///< run index
  int episode = 0;        ///< real episode index within the run (0-based)
  int episode_steps = 0;  ///< real env steps of the current episode so far
  int64_t run_steps = 0;  ///< real env steps of the run so far (warm-up included)
};

/// The random streams of one run. Every draw of run `run` derives from the experiment seed:
/// stream 0 is the agent's (rng()), streams 1 and 2 are the experiment's episode resets (real,
/// warm-up), and an agent may derive numbered streams of its own from 3 on (stream()).
struct RunSeed {
  uint64_t seed = 0;
  int run = 0;
  Rng rng() const { return Rng::derive(seed, {uint64_t(run), 0}); }
  Rng stream(uint64_t id) const { return Rng::derive(seed, {uint64_t(run), id}); }
  Rng stream(uint64_t id, uint64_t k) const { return Rng::derive(seed, {uint64_t(run), id, k}); }
};

/// The per-episode curve the experiment plots for a family.
enum class EpisodeCurve {
  return_per_episode,  ///< "Return per episode" (figure id return_per_episode)
  steps_per_episode,   ///< "Steps per episode", log scale (the Dyna maze's figure)
};

class Agent {
 public:
  virtual ~Agent() = default;

  // --- The loop ---
  /// True if the next tick is internal work (think()); false if it is a real env step (act()).
  virtual bool thinking() const { return false; }
  /// One bounded unit of internal work. `real` is the real env in the state that produced `obs`
  /// (an oracle planner copies it; it is never stepped here).
  virtual void think(const Env& real, const Vec& obs, const AgentClock& clock) {
    (void)real, (void)obs, (void)clock;
  }
  /// The action for `obs`: a box action (the env clips it) or a discrete index as a 1-vector.
  virtual Vec act(const Vec& obs) = 0;
  /// Called on every real step just before act(), with the real env in the state that produced
  /// `obs` (never stepped here). An agent that later restarts the true dynamics from real states
  /// (MBPO's closed-loop model error, core/analysis/closed_loop_error.h) records
  /// real.get_state() here: an observation alone does not determine a simulator's state.
  virtual void before_step(const Env& real, const Vec& obs) { (void)real, (void)obs; }
  /// True while the agent collects warm-up data with its base policy (see above).
  virtual bool warming_up() const { return false; }
  /// A real transition. t.action is the action the env applied (clipped); t.episode is the
  /// episode index, or -1, -2, ... during warm-up. `truncated`: a time limit ended the episode.
  virtual void observe(const Transition& t, bool truncated) = 0;
  /// The reset seed of real episode `episode` when the agent chooses its episodes' start states
  /// (guided policy search: each start condition begins from the same state every time it comes
  /// round); nullopt (the default) takes the experiment's own stream. Asked just before the reset.
  virtual std::optional<uint64_t> episode_reset_seed(int episode) const {
    (void)episode;
    return std::nullopt;
  }
  /// An episode begins at observation `obs` (also called before each warm-up episode, with the
  /// index of the next real episode).
  virtual void begin_episode(int episode, const Vec& obs) { (void)episode, (void)obs; }
  /// A real episode ended (terminated or truncated); `episode` is its whole recording.
  virtual void end_episode(const Trajectory& episode) { (void)episode; }

  // --- What it reports ---
  /// metrics.csv's columns after "run,episode": any of the experiment's own columns ("steps"
  /// of the episode, cumulative "env_steps" of the run, "return", "terminated" as 0/1) and the
  /// agent's own, whose values episode_metrics() returns in order.
  virtual std::vector<std::string> metric_columns() const { return {"steps", "env_steps", "return", "terminated"}; }
  /// The values of the agent's own metric columns for the episode that is ending (called just
  /// before end_episode()).
  virtual std::vector<double> episode_metrics() const { return {}; }
  virtual EpisodeCurve episode_curve() const { return EpisodeCurve::return_per_episode; }
  /// The agent's own live plots, after the experiment's episode plots.
  virtual void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const {
    (void)figures, (void)clock;
  }
  /// Called after the experiment filled the snapshot's common part: sets the views the agent
  /// has (core/views.h: q_table, plan, model), appends its status lines to s.stats (its phase
  /// with add_phase, core/snapshot.h: "run finished" once s.finished), may set s.message.
  virtual void publish(Snapshot& s) const { (void)s; }
  /// Writes the agent's own output files into `dir` (metrics.csv and trajectories.csv are the
  /// experiment's).
  virtual void write_outputs(const std::filesystem::path& dir) const { (void)dir; }

  // --- Edits and sessions ---
  /// A live config edit: `settings` were re-read from `edit.merged` (the whole experiment config
  /// with the live changes, validated: only Apply::live fields differ) by this agent's family;
  /// `edit.live` names the changed key paths. Applies from the next tick (a planner's from its
  /// next replan). Throws InputError if a value is invalid for the running agent.
  virtual void apply_live(const AgentSettings& settings, const LiveEdit& edit) { (void)settings, (void)edit; }
  /// Every piece of state the next ticks depend on, for save and load alike. When loading, the
  /// real env and its observation `obs` are already restored (a planner may replay from them).
  virtual void visit_state(StateVisitor& v, const Env& real, const Vec& obs) = 0;
};

/// A family's config, read once from the experiment file: builds one agent per run.
class AgentSettings {
 public:
  virtual ~AgentSettings() = default;
  /// A fresh agent for `env`'s spaces (env is the run's real env, just built, not yet reset);
  /// every random draw comes from `seed`'s streams.
  virtual std::unique_ptr<Agent> make(const Env& env, const RunSeed& seed) const = 0;
  /// Key path -> Apply of the family's config fields (config_applies of its struct).
  virtual std::map<std::string, Apply> applies() const = 0;
  /// The settings re-read from a live edit's merged config (see Agent::apply_live). Throws
  /// InputError naming the key if a value is invalid.
  virtual std::unique_ptr<AgentSettings> read_live(const LiveEdit& edit) const = 0;
};

/// AgentSettings of a family whose fields are one config struct `C` (with a visit() that reads
/// them from the experiment file's top level). A family derives from it, implements make(), and
/// with() (the same settings with another config: a live edit).
template <class C>
class ConfigSettings : public AgentSettings {
 public:
  explicit ConfigSettings(C c) : cfg(std::move(c)) {}
  std::map<std::string, Apply> applies() const override { return config_applies(cfg); }
  std::unique_ptr<AgentSettings> read_live(const LiveEdit& edit) const override {
    C c;
    ConfigNode node(edit.merged, "live edit");
    c.visit(node);  // validates; only live fields differ from cfg
    return with(std::move(c));
  }
  C cfg;

 protected:
  virtual std::unique_ptr<AgentSettings> with(C c) const = 0;
};

/// The settings of a family whose agent A is built as A(cfg, env, seed) from its config C (most
/// families; one whose runs share an object uses SharedSettingsFor below).
template <class C, class A>
class SettingsFor : public ConfigSettings<C> {
 public:
  using ConfigSettings<C>::ConfigSettings;
  std::unique_ptr<Agent> make(const Env& env, const RunSeed& seed) const override {
    return std::make_unique<A>(this->cfg, env, seed);
  }

 protected:
  std::unique_ptr<AgentSettings> with(C c) const override { return std::make_unique<SettingsFor>(std::move(c)); }
};

/// The settings of a family whose runs' agents share one object of type S (rows that every run
/// appends to one output file): A is built as A(cfg, env, seed, shared); a live edit keeps the
/// object.
template <class C, class A, class S>
class SharedSettingsFor : public ConfigSettings<C> {
 public:
  SharedSettingsFor(C c, std::shared_ptr<S> shared) : ConfigSettings<C>(std::move(c)), shared_(std::move(shared)) {}
  std::unique_ptr<Agent> make(const Env& env, const RunSeed& seed) const override {
    return std::make_unique<A>(this->cfg, env, seed, shared_);
  }

 protected:
  std::unique_ptr<AgentSettings> with(C c) const override {
    return std::make_unique<SharedSettingsFor>(std::move(c), shared_);
  }

 private:
  std::shared_ptr<S> shared_;
};

/// AgentFamily::read for settings S over config C: C's fields from the experiment file.
template <class S, class C>
std::unique_ptr<AgentSettings> read_settings(ConfigNode& root) {
  C c;
  c.visit(root);
  return std::make_unique<S>(std::move(c));
}

/// AgentFamily::read for SharedSettingsFor<C, A, S>: C's fields, and a fresh S for the runs to share.
template <class C, class A, class S>
std::unique_ptr<AgentSettings> read_shared_settings(ConfigNode& root) {
  C c;
  c.visit(root);
  return std::make_unique<SharedSettingsFor<C, A, S>>(std::move(c), std::make_shared<S>());
}

}  // namespace dynalab
