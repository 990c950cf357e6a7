#pragma once
// dynalab-cli: the headless front end. Each subcommand file adds its CLI11 subcommand (options,
// --help text and the function it runs); main.cpp holds the explicit list. Exit codes: 0
// success, 2 bad input (one line on stderr naming the flag, or the file and key), 1 anything
// else (app/common/command_line.h).

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/common/command_line.h"

namespace dynalab {
class Experiment;
}

namespace dynalab::cli {

void add_list_command(CLI::App& app);
void add_show_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_lessons_command(CLI::App& app);
/// lesson NAME --step K --out DIR: runs every variant of a lesson step until its condition
/// (core/lesson_step_run.h), writes their outputs, prints one line per variant.
void add_lesson_command(CLI::App& app);
/// rollout ENV: one episode of an env under a simple policy, written to DIR/trajectories.csv.
void add_rollout_command(CLI::App& app);
/// check FILE: validates one input file by its extension (dataset and weights shapes from an
/// mbrl --experiment); prints "ok: ..." or throws InputError.
void add_check_command(CLI::App& app);
/// analysis RECIPE EXPERIMENT: runs the experiment to a point and writes the recipe's CSV + SVG
/// (core/analysis/recipe_files.h).
void add_analysis_command(CLI::App& app);
/// sweep EXPERIMENT --seeds --grid --out DIR [--jobs N] [--emit slurm|parallel] and
/// aggregate DIR --out FIG_DIR (core/sweep/).
void add_sweep_command(CLI::App& app);
/// ladder [LADDER] --out DIR: the sample-efficiency ladder (core/analysis/ladder.h).
void add_ladder_command(CLI::App& app);

/// The experiment options of show, run and analysis: EXPERIMENT with --seed/--runs/--set, or
/// (with sessions) --load-session DIR.
struct ExperimentArgs {
  std::vector<std::string> positional;  ///< EXPERIMENT: one is expected
  std::vector<std::string> sets;
  long long seed = 0, runs = 1;
  std::string load_session;
  const CLI::App* cmd = nullptr;
  bool has(const char* flag) const { return cmd->count(flag) > 0; }
};
/// Adds EXPERIMENT, --seed, --runs, --set (and --load-session when `sessions`) to `cmd`.
void add_experiment_options(CLI::App& cmd, ExperimentArgs& a, bool sessions);

/// The experiment of `run` and `analysis`: a fresh one from the one positional EXPERIMENT with
/// --seed/--runs/--set, or the one saved in --load-session DIR. Errors start with `cmd`.
std::unique_ptr<Experiment> experiment_for_run(const ExperimentArgs& a, const char* cmd);
/// Ticks `e` `ticks` times (or to its end when ticks < 0, or earlier if it finishes).
void run_ticks(Experiment& e, long long ticks);
/// Adds --ticks N (to the end when not given) to `cmd`.
void add_ticks_option(CLI::App& cmd, long long& ticks);
/// This dynalab-cli's own path (/proc/self/exe): sweep's run lines call it, bench finds the GUI
/// beside it. Throws std::runtime_error if the system does not say.
std::filesystem::path cli_executable();
/// `text` quoted for a POSIX shell ('...', with ' written as '\''): sweep's run lines and
/// bench's GUI command (defined in sweep_jobs.cpp).
std::string shell_quote(const std::string& text);

}  // namespace dynalab::cli
