#pragma once
// What the GUI draws: an immutable picture of an experiment after a tick. The worker builds it
// and publishes a shared_ptr<const Snapshot>; nothing in it is mutated after publication.
// Beyond the common part, an agent publishes the views it has (core/views.h): a Q table, a plan,
// a learned model, a critic map, branched rollouts, local controllers; a null view is one this
// agent does not have.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/env.h"
#include "core/figure.h"
#include "core/trajectory.h"
#include "core/views.h"

namespace dynalab {

struct Snapshot {
  std::string experiment;      ///< experiment name
  std::string family;          ///< the agent family (core/agents/registry.h: "tabular", "planning", ...)
  int64_t tick = 0;            ///< ticks done so far
  int run = 0, runs = 1;       ///< current run index and run count
  int episode = 0;             ///< current episode within the run (0-based)
  int64_t total_steps = 0;     ///< real env steps in this run
  uint64_t seed = 0;           ///< the experiment's base seed (config "seed"; runs derive theirs)
  bool finished = false;       ///< no more ticks to do
  std::shared_ptr<const Env> world;  ///< a frozen copy of the env for drawing (never stepped)
  Vec obs;                           ///< the current observation of the env
  bool episode_terminated = false;   ///< the last episode ended by termination (goal, pit, fall)
  Trajectory trajectory;             ///< the episode in progress (a warm-up one has a negative id)
  std::vector<double> returns;       ///< return of every finished episode of this run
  std::vector<std::string> metric_columns;   ///< metrics.csv's columns after run,episode
  std::vector<std::vector<double>> metrics;  ///< this run's finished episodes, one row of
                                             ///< metric_columns each (what lesson claims measure)
  std::vector<Figure> figures;       ///< live plots
  std::vector<std::pair<std::string, std::string>> stats;  ///< labelled counters for the status panel
  std::string message;               ///< a status message, e.g. "model diverged"
  // The agent's views (null: it has none of that kind).
  std::shared_ptr<const QTableView> q_table;  ///< action values over discrete states
  std::shared_ptr<const PlanView> plan;       ///< a planner's traces and plan
  std::shared_ptr<const ModelView> model;     ///< a learned dynamics model and its data
  std::shared_ptr<const PolicyValueView> policy_value;  ///< a policy learner's critic map
  std::shared_ptr<const BranchedRolloutView> branched_rollouts;  ///< MBPO's imagined data
  std::shared_ptr<const PathwiseRolloutView> pathwise_rollout;   ///< v2.0's rollout and gradient
  std::shared_ptr<const LocalControllerView> local_controllers;  ///< guided policy search's iterations
  std::shared_ptr<const ParticleCloudView> particle_cloud;       ///< PILCO's predicted particles
  std::shared_ptr<const SearchTreeView> search_tree;             ///< a reversible planner's imagined tree
  std::shared_ptr<const SuccessorView> successor;                ///< a successor representation M
  std::shared_ptr<const GpiView> gpi;  ///< successor features: the GPI policy and its sources
  std::shared_ptr<const VinView> vin;                            ///< a VIN's reward and value maps, paths
  std::shared_ptr<const FutureDensityView> future_density;       ///< C-learning's future-state density
  std::shared_ptr<const LatentView> latent;                       ///< the latent agent's filmstrip and latent map
};

/// Appends an agent's "phase" status line: `phase` while the run goes on, "run finished" once
/// s.finished (set before Agent::publish). An agent may have begun its after-episode work (a
/// refit) when the last episode ended; no tick runs it once the run is over, so its own phase
/// would read "fitting" forever.
inline void add_phase(Snapshot& s, std::string phase) {
  s.stats.emplace_back("phase", s.finished ? std::string("run finished") : std::move(phase));
}

}  // namespace dynalab
