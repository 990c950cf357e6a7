#pragma once
// The shell side of a sweep (core/sweep/sweep_plan.h): each run as one resumable command line,
// and the Slurm job-array script that runs those lines on a cluster. Front-end text, not
// learning: it lives with the CLI, and nothing here depends on a scheduler being present.

#include <filesystem>
#include <string>

#include "core/sweep/sweep_plan.h"

namespace dynalab::cli {

/// The shell command line of one run (see sweep_plan.h): `cli` is the dynalab-cli executable,
/// `dir` the sweep folder, both absolute. Does nothing when the run is done (its metrics.csv is
/// there); else runs it into RUN.partial/ (stderr in RUN.partial/stderr.log) and renames it.
std::string sweep_command_line(const SweepRun& run, const SweepPlan& plan, const std::filesystem::path& cli,
                               const std::filesystem::path& dir);

/// A Slurm batch script running line K+1 of `commands_file` as array task K (0-based),
/// at most `max_parallel` tasks at a time (0: no limit); logs in log_dir/%A_%a.out.
std::string slurm_array_script(const SweepPlan& plan, const std::filesystem::path& commands_file,
                               const std::filesystem::path& log_dir, int max_parallel);

}  // namespace dynalab::cli
