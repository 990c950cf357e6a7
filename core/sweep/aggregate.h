#pragma once
// The results of a sweep (core/sweep/sweep_plan.h) gathered over its runs: every metric of
// every finished run as one tidy long table, and per config the mean with its standard error
// (the band RL papers and Sutton & Barto draw) at every x, as figures.
//
// What is a metric: every column of a run's metrics.csv but run and episode, at x = the episode
// counted from 1 (as the app's per-episode plots count it); and every column of its
// learning_curve.csv but run and wall_s (not deterministic), at x = env_steps.
// A run of an experiment with runs > 1 contributes each of its runs as one sample.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/figure.h"
#include "core/io/table.h"
#include "core/sweep/sweep_plan.h"

namespace dynalab {

/// One value of one run (a row of the tidy table).
struct SweepValue {
  size_t run = 0;      ///< index into SweepPlan::runs
  int sub_run = 0;     ///< the `run` column inside that run's files (0 unless runs > 1)
  size_t metric = 0;   ///< index into SweepResults::metrics
  double x = 0, value = 0;
};

struct SweepMetric {
  std::string name;    ///< the CSV column ("steps", "return", "eval_return")
  std::string x_name;  ///< "episode" or "env_steps"
};

struct SweepResults {
  SweepPlan plan;
  std::vector<SweepMetric> metrics;  ///< in the order first met
  std::vector<SweepValue> values;    ///< run by run, file order
  std::vector<std::string> unfinished;  ///< run folders not (yet) there, sweep order
};

/// Reads dir/sweep.json and every finished run's metrics.csv and learning_curve.csv. Throws
/// InputError naming the file (and column or line) for a missing manifest or a damaged CSV (a
/// bad number, a short row, an x twice); a run not yet finished (no metrics.csv) is listed in
/// `unfinished`, not an error.
SweepResults read_sweep_results(const std::filesystem::path& dir);

/// Mean and standard error of one metric of one config at one x.
struct SweepStat {
  size_t config = 0;  ///< index into sweep_configs(plan)
  size_t metric = 0;  ///< index into SweepResults::metrics
  double x = 0;
  int n = 0;          ///< samples (runs) at this x
  double mean = 0;
  double se = 0;      ///< sample standard deviation / sqrt(n); NaN when n < 2
};

/// The configs of a plan in grid order: the first run of each config label.
std::vector<const SweepRun*> sweep_configs(const SweepPlan& plan);

/// The statistics, ordered by config, metric, then x.
std::vector<SweepStat> sweep_statistics(const SweepResults& r);

/// experiment,<grid keys...>,seed,run,x,metric,value: one row per value (pandas reads it with
/// read_csv alone).
Table sweep_tidy_table(const SweepResults& r);
/// experiment,<grid keys...>,config,metric,x_name,x,n,mean,se.
Table sweep_summary_table(const SweepResults& r, const std::vector<SweepStat>& stats);

struct SweepFigureOptions {
  std::vector<std::string> metrics;  ///< only these (empty: every metric)
  double x_min = -1e300;             ///< drop points with x below (Figure 8.2 starts at episode 2)
  enum class YScale { automatic, linear, log } y_scale = YScale::automatic;
};

/// One figure per metric (id = the metric): per config, the mean as a line with its standard
/// error as a band, labelled "CONFIG (n = N)". Throws InputError if options.metrics names a
/// metric the runs do not have or one left with no point by x_min, or if a log y scale is
/// asked for a metric whose band reaches zero or below.
std::vector<Figure> sweep_figures(const SweepResults& r, const std::vector<SweepStat>& stats,
                                  const SweepFigureOptions& options);

/// The sweep metric behind one of the app's live plots ("steps_per_episode" -> "steps",
/// "return_per_episode" -> "return", "learning_curve" -> "eval_return"), or "" if none: the
/// plots a finished sweep can be drawn behind as a ghost.
std::string sweep_metric_of_figure(const std::string& figure_id);

/// A finished sweep's mean and band for one metric, read back from an aggregate's
/// summary.csv: per config, its label and points (x, mean, se, n).
struct SweepGhost {
  struct Curve {
    std::string config;                         ///< "planning_steps=5"
    std::vector<std::pair<std::string, std::string>> overrides;  ///< (key, value)
    std::vector<double> x, mean, se;
    int n = 0;                                  ///< runs at the first x
  };
  std::string source;      ///< the summary.csv path
  std::string experiment;  ///< the swept experiment's name (a file's stem)
  std::string metric;
  std::vector<Curve> curves;
};

/// Reads `path` (an aggregate's summary.csv, the folder holding it, or a sweep folder whose
/// figures/ holds it) and keeps `metric`.
/// Throws InputError naming the file and column when it is not a summary.
SweepGhost read_sweep_ghost(const std::filesystem::path& path, const std::string& metric);

}  // namespace dynalab
