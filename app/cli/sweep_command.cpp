// dynalab-cli sweep EXPERIMENT --seeds 0-29 [--grid key=v1,v2 ...] --out DIR [--jobs N]
//   [--emit slurm|parallel]: every (config, seed) as its own `dynalab-cli run` process, N at a
//   time, resumable (core/sweep/sweep_plan.h); or the same run lines for a scheduler.
// dynalab-cli aggregate DIR --out FIG_DIR: mean +- standard error over the runs of a sweep, as
//   SVG + PNG + CSV figures and a tidy long table (core/sweep/aggregate.h).

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <thread>

#include "app/cli/cli.h"
#include "app/cli/progress_bar.h"
#include "app/cli/svg_png.h"
#include "app/cli/sweep_jobs.h"
#include "core/export/figure_svg.h"
#include "core/io/atomic_file.h"
#include "core/sweep/aggregate.h"
#include "core/sweep/sweep_plan.h"
#include "envs/registry.h"

extern char** environ;

namespace dynalab::cli {

namespace {

struct SweepArgs {
  std::string experiment, seeds = "0", out, emit;
  std::vector<std::string> grid;
  long long jobs = 0;
};

/// Starts `/bin/sh -c line`; returns its pid.
pid_t spawn_shell(const std::string& line) {
  const char* argv[] = {"/bin/sh", "-c", line.c_str(), nullptr};
  pid_t pid = 0;
  if (const int err = posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ))
    throw std::runtime_error(std::string("sweep: cannot start /bin/sh: ") + std::strerror(err));
  return pid;
}

/// The last non-empty line of a run's stderr.log (why it failed), or "".
std::string last_log_line(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

/// Set by Ctrl-C: the runs (same process group) get the signal too; the sweep waits for them,
/// says how far it got and how to go on.
volatile std::sig_atomic_t interrupted = 0;

/// Runs the lines of the unfinished runs, `jobs` at a time. Returns the failed runs' indices.
std::vector<size_t> run_locally(const std::vector<std::string>& lines, const std::vector<size_t>& todo, int jobs) {
  std::signal(SIGINT, [](int) { interrupted = 1; });
  ProgressBar bar("sweep", double(todo.size()), "runs");
  std::map<pid_t, size_t> running;
  std::vector<size_t> failed;
  size_t next = 0, done = 0;
  while (next < todo.size() || !running.empty()) {
    while (!interrupted && next < todo.size() && int(running.size()) < jobs) {
      running[spawn_shell(lines[todo[next]])] = todo[next];
      ++next;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0 && running.count(pid)) {
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed.push_back(running[pid]);
      running.erase(pid);
      ++done;
    } else if (pid <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    bar.update(double(done));
    if (interrupted && running.empty()) break;
  }
  bar.finish();
  std::signal(SIGINT, SIG_DFL);
  if (interrupted) {
    std::fprintf(stderr, "sweep: interrupted after %zu of %zu runs; run the same command to resume\n",
                 done - failed.size(), todo.size());
    throw cmdline::ExitCode{130};
  }
  return failed;
}

void sweep(const SweepArgs& a) {
  if (a.experiment.empty()) throw InputError("sweep: expected EXPERIMENT (a registered name or a JSON file)");
  if (a.out.empty()) throw InputError("sweep: --out DIR is required");
  std::vector<SweepAxis> grid;
  for (const std::string& g : a.grid) grid.push_back(parse_grid_axis(g));
  const SweepPlan plan = plan_sweep(a.experiment, parse_seed_list(a.seeds), grid, env_registry());
  const std::filesystem::path dir = std::filesystem::absolute(a.out).lexically_normal();
  // A folder with other things in it (a run's outputs, an aggregate) is not a sweep to resume.
  if (std::filesystem::is_directory(dir) && !std::filesystem::is_empty(dir) && !std::filesystem::exists(dir / "sweep.json"))
    throw InputError("sweep: --out " + dir.string() + " is a folder with files but no sweep.json: choose a new or empty folder");
  if (std::filesystem::exists(dir / "sweep.json") && !same_sweep(read_sweep_manifest(dir), plan))
    throw InputError("sweep: " + (dir / "sweep.json").string() +
                     " holds another sweep (experiment, seeds or grid differ): choose another --out");
  ensure_directory(dir);
  write_sweep_manifest(plan, dir);
  const std::filesystem::path cli = cli_executable();
  std::vector<std::string> lines;
  std::string commands;
  for (const SweepRun& run : plan.runs) {
    lines.push_back(sweep_command_line(run, plan, cli, dir));
    commands += lines.back() + "\n";
  }
  const int jobs = a.jobs > 0 ? int(a.jobs) : int(std::max(1u, std::thread::hardware_concurrency()));
  if (!a.emit.empty()) {
    const std::filesystem::path commands_file = dir / "sweep_commands.txt";
    write_file_atomic(commands_file, commands);
    if (a.emit == "slurm") {
      ensure_directory(dir / "slurm_logs");
      write_file_atomic(dir / "sweep.slurm", slurm_array_script(plan, commands_file, dir / "slurm_logs",
                                                                a.jobs > 0 ? int(a.jobs) : 0));
      std::printf("wrote %s (%zu array tasks) and %s\nsubmit: sbatch %s\n", (dir / "sweep.slurm").c_str(),
                  plan.runs.size(), commands_file.c_str(), (dir / "sweep.slurm").c_str());
    } else {
      std::printf("wrote %s (%zu runs, one per line)\nrun: parallel --jobs %d < %s\n", commands_file.c_str(),
                  plan.runs.size(), jobs, commands_file.c_str());
    }
    std::printf("then: dynalab-cli aggregate %s --out %s\n", dir.c_str(), (dir / "figures").c_str());
    return;
  }
  std::vector<size_t> todo;
  for (size_t i = 0; i < plan.runs.size(); ++i)
    if (!sweep_run_done(plan.runs[i], dir)) todo.push_back(i);
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<size_t> failed = run_locally(lines, todo, jobs);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("sweep %s: %zu runs (%zu already done, %zu ran, %zu failed) in %.1f s with %d jobs; runs in %s\n",
              plan.experiment.c_str(), plan.runs.size(), plan.runs.size() - todo.size(), todo.size() - failed.size(),
              failed.size(), secs, jobs, (dir / "runs").c_str());
  for (size_t i : failed) {
    const std::filesystem::path log = dir / (plan.runs[i].dir + ".partial") / "stderr.log";
    if (std::filesystem::exists(log))
      std::printf("  failed: %s: %s (log: %s)\n", plan.runs[i].dir.c_str(), last_log_line(log).c_str(), log.c_str());
    else
      std::printf("  failed: %s: its folder could not be made (see the shell's message above)\n", plan.runs[i].dir.c_str());
  }
  if (!failed.empty()) {
    std::printf("run the same command again to retry the failed runs\n");
    throw cmdline::ExitCode{1};
  }
  std::printf("next: dynalab-cli aggregate %s --out %s\n", dir.c_str(), (dir / "figures").c_str());
}

struct AggregateArgs {
  std::string dir, out, y_scale = "auto";
  std::vector<std::string> metrics;
  double x_min = -1e300;
};

void aggregate(const AggregateArgs& a) {
  if (a.dir.empty()) throw InputError("aggregate: expected DIR (the --out folder of a sweep)");
  if (a.out.empty()) throw InputError("aggregate: --out FIG_DIR is required");
  const SweepResults r = read_sweep_results(a.dir);
  if (r.values.empty())
    throw InputError("aggregate: " + a.dir + ": no finished run yet (" + std::to_string(r.unfinished.size()) +
                     " unfinished; run the sweep first)");
  const std::vector<SweepStat> stats = sweep_statistics(r);
  SweepFigureOptions opt;
  opt.metrics = a.metrics;
  opt.x_min = a.x_min;
  opt.y_scale = a.y_scale == "log"      ? SweepFigureOptions::YScale::log
                : a.y_scale == "linear" ? SweepFigureOptions::YScale::linear
                                        : SweepFigureOptions::YScale::automatic;
  const std::vector<Figure> figures = sweep_figures(r, stats, opt);
  const std::filesystem::path out = a.out;
  ensure_directory(out);
  sweep_tidy_table(r).write_csv(out / "tidy.csv");
  sweep_summary_table(r, stats).write_csv(out / "summary.csv");
  ProgressBar bar("aggregate", double(figures.size()), "figures");
  for (size_t i = 0; i < figures.size(); ++i) {
    write_figure_files(figures[i], out);
    write_svg_as_png(figure_to_svg(figures[i]), out / (figures[i].id + ".png"));
    bar.update(double(i + 1));
  }
  bar.finish();
  std::printf("aggregated %zu of %zu runs (%zu values, %zu metrics) into %s: tidy.csv, summary.csv and %zu figures "
              "(SVG + PNG + CSV)\n",
              r.plan.runs.size() - r.unfinished.size(), r.plan.runs.size(), r.values.size(), r.metrics.size(),
              out.c_str(), figures.size());
  if (!r.unfinished.empty())
    std::printf("  %zu runs are not finished (first: %s); their curves are missing from the means\n",
                r.unfinished.size(), r.unfinished.front().c_str());
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "run EXPERIMENT for every (config, seed), each its own process, N at a time; resumable");
  cmd->add_option("EXPERIMENT", a->experiment, "a registered experiment (see `list`) or a JSON file");
  cmd->add_option("--seeds", a->seeds, "seeds: 0-29, or 0,3,7 (default 0)")->type_name("LIST");
  cmd->add_option("--grid", a->grid, "a config key and its values, KEY=V1,V2 (repeatable: every combination)")
      ->type_name("KEY=V1,V2")
      ->take_all();
  cmd->add_option("--out", a->out, "the sweep folder: sweep.json and runs/CONFIG/seed_S/")->type_name("DIR");
  cmd->add_option("--jobs", a->jobs, "runs at a time (default: the cores)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 256));
  cmd->add_option("--emit", a->emit,
                  "write the runs for a scheduler instead of running them: slurm (a job-array script) or "
                  "parallel (a GNU parallel job list)")
      ->check(cmdline::one_of({"slurm", "parallel"}));
  cmd->callback([a] { sweep(*a); });

  auto g = std::make_shared<AggregateArgs>();
  CLI::App* agg = app.add_subcommand(
      "aggregate", "mean +- standard error of every metric over a sweep's runs: SVG + PNG + CSV, and a tidy CSV");
  agg->add_option("DIR", g->dir, "the --out folder of a sweep");
  agg->add_option("--out", g->out, "write tidy.csv, summary.csv and METRIC.svg/.png/.csv here")->type_name("FIG_DIR");
  agg->add_option("--metrics", g->metrics, "only these metrics' figures (comma-separated)")->delimiter(',');
  agg->add_option("--x-min", g->x_min, "leave out points with x below this (Figure 8.2 starts at episode 2)")
      ->type_name("X")
      ->check(cmdline::finite_where([](double) { return true; }, "a number"));
  agg->add_option("--y-scale", g->y_scale, "auto (log when a metric spans orders of magnitude), linear or log")
      ->check(cmdline::one_of({"auto", "linear", "log"}));
  agg->callback([g] { aggregate(*g); });
}

}  // namespace dynalab::cli
