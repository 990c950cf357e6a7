#pragma once
// Where an experiment is, without building a Snapshot: the counters a lesson gate, a scripted
// driver or a "step until the next env step" command need after every tick. A Snapshot copies
// the world, the figures and the model; progress() copies a few numbers and the observation.

#include <cstdint>
#include <string>

#include "core/snapshot.h"
#include "core/space.h"

namespace dynalab {

struct Progress {
  std::string experiment;           ///< experiment name (as Snapshot::experiment)
  std::string family;          ///< the agent family (core/agents/registry.h: "tabular", "planning", ...)
  int64_t tick = 0;                 ///< ticks done so far
  int run = 0, runs = 1;            ///< current run index and run count
  int episode = 0;                  ///< current episode within the run (0-based)
  int64_t total_steps = 0;          ///< real env steps in this run
  bool finished = false;            ///< no more ticks to do
  bool episode_terminated = false;  ///< the last episode ended by termination (goal, pit, fall)
  Vec obs;                          ///< the current observation (obs_dim values)
};

/// The progress fields of a snapshot already built (no extra work).
inline Progress progress_of(const Snapshot& s) {
  return {s.experiment, s.family,        s.tick,     s.run,
          s.runs,       s.episode,     s.total_steps, s.finished,
          s.episode_terminated, s.obs};
}

/// Copies `p` into the snapshot's counter fields (experiments build both from one place).
inline void set_progress(Snapshot& s, const Progress& p) {
  s.experiment = p.experiment;
  s.family = p.family;
  s.tick = p.tick;
  s.run = p.run;
  s.runs = p.runs;
  s.episode = p.episode;
  s.total_steps = p.total_steps;
  s.finished = p.finished;
  s.episode_terminated = p.episode_terminated;
  s.obs = p.obs;
}

}  // namespace dynalab
