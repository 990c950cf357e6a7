#pragma once
// A sweep: one experiment run for every (config, seed), each run its own process writing the
// folder `dynalab-cli run --out` writes. The plan is the cartesian product of the grid's values
// (the first --grid key outermost) times the seeds, saved as DIR/sweep.json so `aggregate`
// knows which overrides each run had.
//
// Every run is one shell command line (app/cli/sweep_jobs.h): `dynalab-cli sweep` runs the lines
// N at a time on this machine, `--emit parallel` hands the same lines to GNU parallel and `--emit
// slurm` to a Slurm job array, so a sweep behaves the same on a laptop and on a cluster:
//   - a run writes into RUN.partial/ (its stderr in RUN.partial/stderr.log) and is renamed to
//     RUN/ only when it exits 0, so a folder RUN/ with its metrics.csv is a finished run
//     (sweep_run_done);
//   - a line whose run is done does nothing: a sweep that stopped (Ctrl-C, a node lost)
//     resumes by running the same command again.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace dynalab {

class EnvRegistry;

/// One --grid axis: a config key and the values it takes ("agent.planning_steps=0,5,50").
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

/// One run of a sweep.
struct SweepRun {
  std::string dir;  ///< relative to the sweep folder: "runs/planning_steps=5/seed_3"
  uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> overrides;  ///< (key, value), grid order
  /// "planning_steps=5 alpha=0.1" (the keys' last parts, space-separated: no comma, so a CSV
  /// cell needs no quotes), or the experiment's name without a grid
  std::string config_label;
};

struct SweepPlan {
  std::string experiment;  ///< a registered name, or an absolute path to a JSON file
  /// FNV-1a of every config's resolved JSON: a sweep resumed after its experiment file (or a
  /// default) changed would mix two experiments under one label, so it is refused.
  uint64_t fingerprint = 0;
  std::vector<uint64_t> seeds;
  std::vector<SweepAxis> grid;
  std::vector<SweepRun> runs;  ///< configs (grid order) times seeds
};

/// "0-29", "3", "0,5,9-11": the seeds, in order, duplicates removed. Throws InputError naming
/// --seeds for anything else (a reversed range, more than 100000 seeds).
std::vector<uint64_t> parse_seed_list(const std::string& text);

/// "key=v1,v2,...": one grid axis. Throws InputError naming --grid when there is no '=', no
/// value, or an empty value.
SweepAxis parse_grid_axis(const std::string& text);

/// The plan of a sweep of `experiment` (a registered name or a JSON file) over `seeds` and
/// `grid`. Every config of the grid is built once (with the first seed) to check it, so an
/// unknown key or a bad value fails here with one line naming --grid, the key and the value,
/// before any run starts. Throws InputError.
SweepPlan plan_sweep(const std::string& experiment, const std::vector<uint64_t>& seeds,
                     const std::vector<SweepAxis>& grid, const EnvRegistry& envs);

/// Writes dir/sweep.json (experiment, seeds, grid, runs) atomically. Throws InputError naming
/// the path.
void write_sweep_manifest(const SweepPlan& plan, const std::filesystem::path& dir);
/// Reads dir/sweep.json. Throws InputError naming the file (and key) if missing or malformed.
SweepPlan read_sweep_manifest(const std::filesystem::path& dir);
/// True if the two plans run the same experiment (fingerprint included), seeds and grid.
bool same_sweep(const SweepPlan& a, const SweepPlan& b);

/// True if the run's folder under the sweep folder `dir` holds its metrics.csv.
bool sweep_run_done(const SweepRun& run, const std::filesystem::path& dir);

}  // namespace dynalab
