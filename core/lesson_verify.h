#pragma once
// Checking every lesson step's claims (core/lesson_claims.h) headless, the way the GUI's lesson
// player runs the step: each variant to its pause, on the step's own seed and on further seeds
// (seed + 1, seed + 2, ...), so a claim that holds only on a hand-picked seed shows up as false.
// A step marked "one_run" is checked on its own seed only (its text says "this run").
// dynalab-cli lessons --verify; the reference suite runs it over every lesson.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/lesson.h"
#include "core/lesson_claims.h"

namespace dynalab {

class EnvRegistry;

/// One step's claims on each seed it was run on.
struct StepVerification {
  std::string lesson;  ///< the lesson's name
  int step = 0;        ///< 1-based
  std::vector<uint64_t> seed_offsets;            ///< 0 = the step's own seed
  std::vector<std::vector<ClaimResult>> results; ///< [claim][seed]
  std::vector<std::string> errors;  ///< per seed: why the step could not be run to its pause ("" if it was)
  std::vector<double> seconds;      ///< per seed: wall-clock seconds of its run (where the time goes)
  /// True when the step has claims, ran to its pause on every seed and every claim held.
  bool holds() const;
};

/// Verifies `steps` (lesson index into `lessons`, 1-based step), each on `seeds` seeds (1 for a
/// one_run step), `jobs` runs at a time (each run is deterministic and independent, so the
/// results do not depend on `jobs`). `on_done(done, total)` is called after every run, from
/// whichever thread ran it (serialised). Runs are capped at `max_ticks` ticks each.
std::vector<StepVerification> verify_steps(const std::vector<Lesson>& lessons,
                                           const std::vector<std::pair<int, int>>& steps, int seeds,
                                           int jobs, int64_t max_ticks, const EnvRegistry& envs,
                                           const std::function<void(int, int)>& on_done = {});

}  // namespace dynalab
