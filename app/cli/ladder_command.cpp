// dynalab-cli ladder [LADDER] [--seeds N] [--jobs N] [--rungs A,B] --out DIR: the
// sample-efficiency ladder (core/analysis/ladder.h) run headless, its figure and tables written.

#include <cmath>
#include <cstdio>
#include <thread>

#include "app/cli/cli.h"
#include "app/cli/progress_bar.h"
#include "core/analysis/ladder.h"
#include "core/io/csv.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

/// Env steps as digits ("25000"), or "never".
std::string steps_text(double s) {
  return std::isfinite(s) ? std::to_string(int64_t(s)) : std::string("never");
}

struct LadderArgs {
  std::string ladder = "pendulum", out;
  std::vector<std::string> rungs;
  long long seeds = 3, jobs = 0;
  bool check_order = false;
};

void ladder(const LadderArgs& a) {
  if (a.out.empty()) throw InputError("ladder: --out DIR is required");
  const LadderSpec spec = read_ladder(a.ladder);
  for (const std::string& r : a.rungs) {
    bool known = false;
    for (const LadderRung& rung : spec.rungs) known = known || rung.label == r;
    if (!known) throw InputError("ladder: --rungs: '" + r + "' is not a rung of " + spec.source);
  }
  const int jobs = a.jobs > 0 ? int(a.jobs) : int(std::max(1u, std::thread::hardware_concurrency()));
  const std::filesystem::path out(a.out);
  ProgressBar bar("ladder", 0, "runs");
  const auto results = run_ladder(spec, int(a.seeds), jobs, a.rungs, env_registry(), out / "runs",
                                  [&bar](int done, int total) { bar.update(double(done), double(total)); });
  bar.finish();
  write_ladder(spec, results, out);
  std::printf("%-12s %-28s %12s %14s %10s %10s\n", "rung", "steps to threshold (seeds)", "median",
              "interaction s", "final", "wall s");
  for (const LadderResult& r : results) {
    std::string per_seed;
    double final_sum = 0, wall = 0;
    for (const LadderRun& run : r.runs) {
      const double s = steps_to_threshold(run.curve, spec.threshold);
      per_seed += (per_seed.empty() ? "" : " ") + steps_text(s);
      if (!run.curve.empty()) final_sum += run.curve.back().value / double(r.runs.size());
      wall = std::max(wall, run.wall_s);
      if (!run.error.empty()) std::printf("  %s seed %llu failed: %s\n", r.rung.label.c_str(),
                                          (unsigned long long)run.seed, run.error.c_str());
    }
    const double m = median_steps_to_threshold(r, spec.threshold);
    const std::string seconds = r.control_dt > 0 ? interaction_s_to_threshold_text(r, spec.threshold) : "-";
    std::printf("%-12s %-28s %12s %14s %10s %10s\n", r.rung.label.c_str(), per_seed.c_str(),
                steps_text(m).c_str(), seconds.c_str(), short_number(final_sum).c_str(),
                short_number(wall).c_str());
  }
  std::string order;
  const bool in_order = ladder_in_order(spec, results, order);
  std::printf("median env steps to a return of %s: %s (%s)\n", short_number(spec.threshold).c_str(),
              order.c_str(), in_order ? "in the ladder's order" : "NOT in the ladder's order");
  std::printf("wrote %s\n", (out / "ladder.svg").string().c_str());
  if (a.check_order && !in_order) throw cmdline::ExitCode{1};
}

}  // namespace

void add_ladder_command(CLI::App& app) {
  auto a = std::make_shared<LadderArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ladder", "the sample-efficiency ladder: every rung on N seeds, return vs env steps (log) as SVG + CSV");
  cmd->add_option("LADDER", a->ladder, "a ladder in assets/ladders/ (default pendulum) or a .json file");
  cmd->add_option("--seeds", a->seeds, "seeds per rung (0, 1, ...)")->type_name("N")->check(cmdline::integer_in(1, 1000));
  cmd->add_option("--jobs", a->jobs, "runs at a time (default: the cores; wall-clock times grow with it)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 256));
  cmd->add_option("--rungs", a->rungs, "only these rungs (labels, comma-separated)")->delimiter(',');
  cmd->add_option("--out", a->out, "write ladder.svg, ladder.csv, ladder_summary.csv and runs/ here")
      ->type_name("DIR");
  cmd->add_flag("--check-order", a->check_order,
                "exit 1 unless the rungs' median env steps to the threshold come out in the ladder's order");
  cmd->callback([a] { ladder(*a); });
}

}  // namespace dynalab::cli
