// Sweeps and aggregation (core/sweep/, dynalab-cli sweep / aggregate): seed lists and grid axes
// parse or fail with one line naming the flag; a plan is configs x seeds and an unknown key fails
// before any run; a sweep runs every run as its own process, resumes by skipping finished runs
// and reports a failed one; the emitted Slurm script passes `bash -n` and runs its array tasks
// by hand; aggregate's means and standard errors are those of the runs' own files, and the
// Dyna maze's n = 50 reaches its plateau by episode 3 while n = 0 is still searching
// (Sutton & Barto, Figure 8.2).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>

#include "core/io/csv.h"
#include "core/sweep/aggregate.h"
#include "core/sweep/sweep_plan.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace test_sweep {

using namespace dynalab;
using namespace dynalab::test;

namespace {

/// The mean of column `column` at episode `episode` (0-based, as in metrics.csv) over the
/// metrics.csv files of `dirs`.
double mean_of_runs(const std::vector<std::filesystem::path>& dirs, const std::string& column, int episode) {
  double sum = 0;
  for (const auto& d : dirs)
    for (const auto& row : csv_rows(read_file(d / "metrics.csv")))
      if (std::stoi(row.at("episode")) == episode) sum += std::stod(row.at(column));
  return sum / double(dirs.size());
}

/// summary.csv's mean of `metric` for `config` at x.
double summary_mean(const std::filesystem::path& summary, const std::string& config, const std::string& metric, double x) {
  for (const auto& row : csv_rows(read_file(summary)))
    if (row.at("config") == config && row.at("metric") == metric && std::stod(row.at("x")) == x)
      return std::stod(row.at("mean"));
  return std::nan("");
}

/// run_cli under a pseudo-terminal (util-linux `script`), so stderr is a terminal.
CliResult run_cli_in_terminal(const std::string& args) {
  return run_cli_raw("script -qec \"" + std::string(DYNALAB_CLI) + " " + args + "\" /dev/null");  // args: no quotes
}

}  // namespace

TEST_CASE("seed lists and grid axes parse, or fail naming the flag") {
  CHECK(parse_seed_list("0-3") == std::vector<uint64_t>{0, 1, 2, 3});
  CHECK(parse_seed_list("7") == std::vector<uint64_t>{7});
  CHECK(parse_seed_list("5,0-2,1") == std::vector<uint64_t>{5, 0, 1, 2});
  for (const char* bad : {"", "a", "3-1", "1-", "-2", "0-200000", "1,,2"}) {
    CAPTURE(bad);
    CHECK(error_of([&] { parse_seed_list(bad); }).rfind("--seeds: ", 0) == 0);
  }
  const SweepAxis a = parse_grid_axis("agent.planning_steps=0,5,50");
  CHECK(a.key == "agent.planning_steps");
  CHECK(a.values == std::vector<std::string>{"0", "5", "50"});
  CHECK(error_of([] { parse_grid_axis("planning_steps"); }).rfind("--grid: expected KEY=V1,V2", 0) == 0);
  CHECK(error_of([] { parse_grid_axis("a=1,,2"); }) == "--grid a: an empty value in 'a=1,,2'");
}

TEST_CASE("a plan is every config of the grid times every seed; a bad key fails before any run") {
  const SweepPlan p = plan_sweep("dyna_maze", {0, 1}, {parse_grid_axis("agent.planning_steps=0,50"),
                                                       parse_grid_axis("agent.alpha=0.1,0.5")},
                                 env_registry());
  REQUIRE(p.runs.size() == 8);
  CHECK(p.runs[0].dir == "runs/planning_steps=0_alpha=0.1/seed_0");
  CHECK(p.runs[0].config_label == "planning_steps=0 alpha=0.1");
  CHECK(p.runs[3].config_label == "planning_steps=0 alpha=0.5");  // the last axis moves fastest
  CHECK(p.runs[7].overrides == std::vector<std::pair<std::string, std::string>>{{"agent.planning_steps", "50"},
                                                                               {"agent.alpha", "0.5"}});
  CHECK(p.runs[7].seed == 1);
  CHECK(error_of([] { plan_sweep("dyna_maze", {0}, {parse_grid_axis("agent.bogus=1")}, env_registry()); })
            .rfind("sweep: --grid agent.bogus=1: agent.bogus: unknown key", 0) == 0);
  CHECK(error_of([] { plan_sweep("dyna_maze", {0}, {parse_grid_axis("agent.planning_steps=1,x")}, env_registry()); })
            .rfind("sweep: --grid agent.planning_steps=x: ", 0) == 0);
  CHECK(error_of([] {
          plan_sweep("dyna_maze", {0}, {parse_grid_axis("agent.alpha=1"), parse_grid_axis("agent.alpha=2")},
                     env_registry());
        }) == "sweep: --grid names 'agent.alpha' twice");
  CHECK(error_of([] { plan_sweep("dyna_maze", {0}, {parse_grid_axis("seed=1,2")}, env_registry()); }) ==
        "sweep: --grid seed: give the seeds with --seeds (e.g. --seeds 0-29)");
  // The manifest reads back as the same sweep.
  const auto dir = temp_dir("sweep_manifest");
  write_sweep_manifest(p, dir);
  const SweepPlan back = read_sweep_manifest(dir);
  CHECK(same_sweep(back, p));
  CHECK(back.runs[5].dir == p.runs[5].dir);
  CHECK(back.runs[5].overrides == p.runs[5].overrides);
}

TEST_CASE("sweep runs each run as a process, resumes, reports failures; aggregate averages the runs") {
  const auto dir = temp_dir("sweep_cli");
  const std::string sweep = "sweep dyna_maze --seeds 0-2 --grid agent.planning_steps=0,50 --out " + dir.string();
  const CliResult r = run_cli(sweep + " --jobs 2");
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("6 runs (0 already done, 6 ran, 0 failed)") != std::string::npos);
  CHECK(r.output.find('\r') == std::string::npos);  // no progress bar when stderr is not a terminal
  std::vector<std::filesystem::path> n50;
  for (int s = 0; s < 3; ++s) {
    CHECK(std::filesystem::exists(dir / "runs/planning_steps=0" / ("seed_" + std::to_string(s)) / "metrics.csv"));
    n50.push_back(dir / "runs/planning_steps=50" / ("seed_" + std::to_string(s)));
  }
  // Each run is what `run --seed S --set ...` writes.
  CHECK(read_file(n50[1] / "config.json").find("\"planning_steps\": 50") != std::string::npos);
  CHECK(read_file(n50[1] / "config.json").find("\"seed\": 1") != std::string::npos);

  // Resumable: only the missing run runs again.
  std::filesystem::remove_all(n50[2]);
  const CliResult again = run_cli(sweep + " --jobs 1");
  CAPTURE(again.output);
  CHECK(again.output.find("6 runs (5 already done, 1 ran, 0 failed)") != std::string::npos);
  CHECK(std::filesystem::exists(n50[2] / "metrics.csv"));

  // Another sweep into the same folder is refused.
  const CliResult other = run_cli("sweep dyna_maze --seeds 0-3 --out " + dir.string());
  CHECK(other.exit_code == 2);
  CHECK(other.output.find("holds another sweep") != std::string::npos);

  // Aggregate: the means are the runs' own (episode 2 is x = 2, counted from 1).
  const auto figs = dir / "figures";
  const CliResult agg = run_cli("aggregate " + dir.string() + " --out " + figs.string());
  CAPTURE(agg.output);
  REQUIRE(agg.exit_code == 0);
  for (const char* f : {"tidy.csv", "summary.csv", "steps.svg", "steps.png", "steps.csv", "return.svg"})
    CHECK(std::filesystem::exists(figs / f));
  CHECK(summary_mean(figs / "summary.csv", "planning_steps=50", "steps", 2) ==
        doctest::Approx(mean_of_runs(n50, "steps", 1)).epsilon(1e-12));
  const std::string tidy = read_file(figs / "tidy.csv");
  CHECK(tidy.rfind("experiment,agent.planning_steps,seed,run,x,metric,value\n", 0) == 0);
  CHECK(tidy.find("\ndyna_maze,50,2,0,1,steps,") != std::string::npos);
  const std::string svg = read_file(figs / "steps.svg");
  CHECK(svg.find("class=\"band\"") != std::string::npos);
  CHECK(svg.find("planning_steps=50 (n = 3)") != std::string::npos);
  CHECK(read_file(figs / "steps.png").rfind("\x89PNG", 0) == 0);
  // A ghost for the app's steps-per-episode plot reads back from the summary.
  const SweepGhost g = read_sweep_ghost(figs, sweep_metric_of_figure("steps_per_episode"));
  REQUIRE(g.curves.size() == 2);
  CHECK(g.curves[1].config == "planning_steps=50");
  CHECK(g.curves[1].overrides == std::vector<std::pair<std::string, std::string>>{{"agent.planning_steps", "50"}});
  CHECK(g.curves[1].n == 3);
  CHECK(g.curves[1].x.size() == 50);
  CHECK(g.experiment == "dyna_maze");
  // The sweep folder itself works too (aggregate wrote its figures/).
  CHECK(read_sweep_ghost(dir, "steps").curves.size() == 2);

  // A run that fails (its config folder is a file) fails the sweep, named, exit 1; the others run.
  const auto broken = temp_dir("sweep_broken");
  const std::string broken_sweep = "sweep dyna_maze --seeds 0-1 --grid agent.planning_steps=0,50 --jobs 2 --out " + broken.string();
  REQUIRE(run_cli(broken_sweep + " --emit parallel").exit_code == 0);  // the plan, no run yet
  std::filesystem::create_directories(broken / "runs");
  std::ofstream(broken / "runs/planning_steps=50") << "not a folder";
  const CliResult failed = run_cli(broken_sweep);
  CAPTURE(failed.output);
  CHECK(failed.exit_code == 1);
  CHECK(failed.output.find("4 runs (0 already done, 2 ran, 2 failed)") != std::string::npos);
  CHECK(failed.output.find("failed: runs/planning_steps=50/seed_0: its folder could not be made") != std::string::npos);
}

TEST_CASE("on a terminal, sweep and run draw a progress bar with an ETA") {
  const auto dir = temp_dir("sweep_tty");
  // util-linux `script` gives the command a pseudo-terminal.
  const CliResult r = run_cli_in_terminal("sweep dyna_maze --seeds 0-3 --jobs 2 --out " + dir.string());
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("sweep [") != std::string::npos);
  CHECK(r.output.find("4/4 runs") != std::string::npos);
  CHECK(r.output.find("4 runs (0 already done, 4 ran, 0 failed)") != std::string::npos);
  const CliResult run = run_cli_in_terminal("run mountain_car_dyna --set episodes=20 --out " + (dir / "run").string());
  CAPTURE(run.output);
  CHECK(run.output.find("run [") != std::string::npos);
  CHECK(run.output.find("elapsed") != std::string::npos);
}

TEST_CASE("bad input to sweep and aggregate: one line, exit 2") {
  const auto dir = temp_dir("sweep_bad");
  std::ofstream(dir / "a_file") << "x";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sweep dyna_maze --grid agent.nope=1,2 --out " + (dir / "s1").string(), "agent.nope: unknown key"},
      {"sweep dyna_maze --seeds 9-1 --out " + (dir / "s2").string(), "--seeds: the range '9-1' runs backwards"},
      {"sweep dyna_maze --out " + (dir / "a_file/sub").string(), "a_file/sub"},
      {"sweep dyna_maze --emit pbs --out " + (dir / "s3").string(), "--emit"},
      {"sweep no_such_experiment --out " + (dir / "s4").string(), "no_such_experiment"},
      {"sweep dyna_maze", "--out DIR is required"},
      {"sweep dyna_maze --out " + dir.string(), "is a folder with files but no sweep.json"},
      {"aggregate " + dir.string() + " --out " + (dir / "f").string(), "sweep.json: not found"},
  };
  for (const auto& c : cases) {  // no structured binding: CAPTURE cannot capture one under clang
    const std::string &args = c.first, &needle = c.second;
    const CliResult r = run_cli(args);
    CAPTURE(args);
    CAPTURE(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(needle) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  }
  // A metric the runs do not have.
  const auto s = dir / "s5";
  REQUIRE(run_cli("sweep dyna_maze --seeds 0 --out " + s.string()).exit_code == 0);
  const CliResult m = run_cli("aggregate " + s.string() + " --metrics stepz --out " + (s / "f").string());
  CHECK(m.exit_code == 2);
  CHECK(m.output.find("no metric 'stepz' (they have: steps, env_steps, return") != std::string::npos);
}

TEST_CASE("a sweep refuses what would count a run twice or mix two experiments") {
  // A repeated value, and values that differ only where a folder name cannot.
  CHECK(error_of([] { plan_sweep("dyna_maze", {0}, {parse_grid_axis("agent.planning_steps=1,1")}, env_registry()); }) ==
        "sweep: --grid: 'planning_steps=1' and 'planning_steps=1' would share the folder runs/planning_steps=1 (a "
        "repeated or look-alike value)");
  CHECK(error_of([] { plan_sweep("dyna_maze", {0}, {parse_grid_axis("description=x/y,x_y")}, env_registry()); })
            .find("would share the folder runs/description=x_y") != std::string::npos);
  // An experiment file edited between a sweep and its resumption.
  const auto dir = temp_dir("sweep_edited");
  const auto exp = dir / "maze.json";
  const std::string text = read_file(test_data("../assets/experiments/dyna_maze.json"));
  std::ofstream(exp) << text;
  const std::string sweep = "sweep " + exp.string() + " --seeds 0-1 --out " + (dir / "s").string();
  REQUIRE(run_cli(sweep).exit_code == 0);
  std::string edited = text;
  edited.replace(edited.find("\"planning_steps\": 5"), 19, "\"planning_steps\": 50");
  std::ofstream(exp) << edited;
  const CliResult again = run_cli(sweep);
  CHECK(again.exit_code == 2);
  CHECK(again.output.find("holds another sweep") != std::string::npos);
  // A run folder without its metrics.csv is not done: the sweep runs it again.
  const auto s = dir / "s";
  std::filesystem::remove(s / "runs/default/seed_1/metrics.csv");
  std::ofstream(exp) << text;
  const CliResult resumed = run_cli(sweep);
  CAPTURE(resumed.output);
  CHECK(resumed.output.find("2 runs (1 already done, 1 ran, 0 failed)") != std::string::npos);
  // A damaged metrics.csv is an error naming the file and line, not a biased mean.
  const auto metrics = s / "runs/default/seed_1/metrics.csv";
  const std::string good = read_file(metrics);
  const std::string first_row = good.substr(good.find('\n') + 1, good.find('\n', good.find('\n') + 1) - good.find('\n'));
  std::ofstream(metrics) << good << first_row;  // episode 0 twice
  CliResult agg = run_cli("aggregate " + s.string() + " --out " + (s / "f").string());
  CHECK(agg.exit_code == 2);
  CHECK(agg.output.find("metrics.csv: line 52 repeats episode 0 of run 0") != std::string::npos);
  std::ofstream(metrics) << good.substr(0, good.size() - 8);  // cut off mid-row
  agg = run_cli("aggregate " + s.string() + " --out " + (s / "f").string());
  CHECK(agg.exit_code == 2);
  CHECK(agg.output.find("of the header's 10 fields") != std::string::npos);
  std::ofstream(metrics) << good;
  // A log axis for returns that reach zero or below; an --x-min past every point.
  agg = run_cli("aggregate " + s.string() + " --metrics aliased_fraction --y-scale log --out " + (s / "f").string());
  CHECK(agg.exit_code == 2);
  CHECK(agg.output.find("--y-scale log: aliased_fraction of maze (n = 2) reaches 0") != std::string::npos);
  agg = run_cli("aggregate " + s.string() + " --metrics steps --x-min 1e9 --out " + (s / "f").string());
  CHECK(agg.exit_code == 2);
  CHECK(agg.output.find("--x-min 1e+09: metric steps has no point at or after it") != std::string::npos);
  CHECK(run_cli("aggregate " + s.string() + " --out " + (s / "f").string()).exit_code == 0);
}

TEST_CASE("--emit slurm writes a job-array script that bash accepts and that runs its tasks by hand") {
  const auto dir = temp_dir("sweep_slurm");
  const CliResult r = run_cli("sweep dyna_maze --seeds 0-1 --grid agent.planning_steps=0,5 --emit slurm --jobs 3 --out " +
                              dir.string());
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string script = read_file(dir / "sweep.slurm");
  CHECK(script.find("#SBATCH --array=0-3%3") != std::string::npos);
  CHECK(std::system(("bash -n " + (dir / "sweep.slurm").string()).c_str()) == 0);
  // Array task 2 is the third line: planning_steps=5, seed 0.
  CHECK(std::system(("SLURM_ARRAY_TASK_ID=2 bash " + (dir / "sweep.slurm").string()).c_str()) == 0);
  CHECK(std::filesystem::exists(dir / "runs/planning_steps=5/seed_0/metrics.csv"));
  CHECK(!std::filesystem::exists(dir / "runs/planning_steps=0/seed_0"));
  // A task past the end fails; a task that is done does nothing and succeeds.
  CHECK(std::system(("SLURM_ARRAY_TASK_ID=9 bash " + (dir / "sweep.slurm").string() + " 2>/dev/null").c_str()) != 0);
  CHECK(std::system(("SLURM_ARRAY_TASK_ID=2 bash " + (dir / "sweep.slurm").string()).c_str()) == 0);
  // GNU parallel's job list is the same lines: each runs under sh.
  const CliResult p = run_cli("sweep dyna_maze --seeds 0-1 --grid agent.planning_steps=0,5 --emit parallel --out " +
                              dir.string());
  CHECK(p.exit_code == 0);
  CHECK(p.output.find("parallel --jobs") != std::string::npos);
  std::ifstream lines(dir / "sweep_commands.txt");
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) CHECK(std::system(line.c_str()) == 0);
  CHECK(n == 4);
  CHECK(std::filesystem::exists(dir / "runs/planning_steps=0/seed_1/metrics.csv"));
  // A value with a quote, a semicolon and a space reaches the run as written: the lines quote
  // every word, so a value is never shell code.
  const auto q = temp_dir("sweep_quote");
  const CliResult quoted =
      run_cli("sweep dyna_maze --seeds 0 --grid \"description=it's; touch " + (q / "pwned").string() + "\" --out " +
              (q / "s").string());
  CAPTURE(quoted.output);
  CHECK(quoted.exit_code == 0);
  CHECK(!std::filesystem::exists(q / "pwned"));
  std::string cfg;
  for (const auto& e : std::filesystem::directory_iterator(q / "s/runs")) cfg = read_file(e.path() / "seed_0/config.json");
  CHECK(cfg.find("\"description\": \"it's; touch ") != std::string::npos);
}

TEST_CASE("Figure 8.2: with n = 50 planning steps Dyna-Q reaches its plateau by episode 3, n = 0 does not" *
          doctest::skip(kSanitized)) {
  const auto dir = temp_dir("sweep_fig82");
  REQUIRE(run_cli("sweep dyna_maze --seeds 0-9 --grid agent.planning_steps=0,5,50 --jobs 2 --out " + dir.string())
              .exit_code == 0);
  REQUIRE(run_cli("aggregate " + dir.string() + " --out " + (dir / "f").string()).exit_code == 0);
  const auto summary = dir / "f/summary.csv";
  // The maze's shortest path is 14 steps; epsilon-greedy (0.1) walks a few more.
  CHECK(summary_mean(summary, "planning_steps=50", "steps", 3) < 25);
  CHECK(summary_mean(summary, "planning_steps=5", "steps", 3) > summary_mean(summary, "planning_steps=50", "steps", 3));
  CHECK(summary_mean(summary, "planning_steps=0", "steps", 3) > 100);
  CHECK(summary_mean(summary, "planning_steps=0", "steps", 50) < 25);  // n = 0 gets there too, late
}

}  // namespace test_sweep
