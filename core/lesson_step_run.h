#pragma once
// Running one lesson step headless, as the GUI's lesson player runs it on screen: each variant
// (or the step's one experiment) is built with the step's overrides, wrapped in the step's gate
// (core/lesson_gate.h) and ticked until its "run until" condition holds; a step without one runs
// kStepTicksWithoutUntil ticks (or to its end). dynalab-cli lesson NAME --step K --out DIR.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/experiment.h"
#include "core/lesson.h"

namespace dynalab {

/// Ticks a step without a "run until" condition runs before it pauses (GUI and CLI).
inline constexpr int64_t kStepTicksWithoutUntil = 300;

/// Step k (1-based) of `lesson`. Throws InputError "lesson 'NAME': no step K (it has N)".
const LessonStep& lesson_step(const Lesson& lesson, int k);

/// Number of experiments a step runs side by side (1 without variants).
int variant_count(const LessonStep& step);

/// The config of variant `v` (0-based; 0 for a step without variants) of step k (1-based),
/// overrides applied; with `seed_offset` > 0 its "seed" is moved by that much (the further seeds
/// `lessons --verify` checks a claim on). Throws InputError "FILE: steps[k-1]: ..." on a bad
/// override.
ExperimentSource variant_source(const Lesson& lesson, int k, int v, uint64_t seed_offset = 0);

/// Where one variant stopped.
struct VariantRun {
  std::string label;     ///< the variant's label ("" without variants)
  std::string folder;    ///< its output subfolder (a file-name-safe form of the label)
  std::string met;       ///< the condition that held (LessonUntil::met), "ticks 300" or "finished"
  bool capped = false;   ///< stopped by the tick cap before any condition held
  Progress at;           ///< the counters where it stopped
};

/// Every variant of a step, run to its pause.
struct StepRun {
  std::vector<VariantRun> variants;
  std::vector<std::unique_ptr<Experiment>> experiments;  ///< in variant order, paused
  std::vector<std::shared_ptr<const Snapshot>> snapshots;  ///< each one's snapshot at the pause
};

/// Runs every variant of step k (1-based) to its condition, at most `max_ticks` ticks each (the
/// step's own until.max_ticks if smaller), each variant's seed moved by `seed_offset`.
/// Throws InputError on a bad step.
StepRun run_step(const Lesson& lesson, int k, int64_t max_ticks, const EnvRegistry& envs,
                 uint64_t seed_offset = 0);

/// Runs every variant of step k (1-based) to its condition, at most `max_ticks` ticks each (the
/// step's own until.max_ticks if smaller), and writes each one's run outputs
/// (core/export/run_outputs.h) to dir/<folder>, and the step's figures (shown_figures of
/// step.plots) to dir/figures. Throws InputError on a bad step or an unwritable folder.
std::vector<VariantRun> run_lesson_step(const Lesson& lesson, int k,
                                        const std::filesystem::path& dir, int64_t max_ticks,
                                        const EnvRegistry& envs);

}  // namespace dynalab
