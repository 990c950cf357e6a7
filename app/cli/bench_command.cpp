// dynalab-cli bench: runs the benchmark cases with warm-up and repetitions (Google Benchmark),
// prints the usual table, and writes the medians as JSON.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "app/cli/bench.h"
#include "app/cli/cli.h"
#include "app/cli/progress_bar.h"
#include "core/config.h"
#include "core/io/atomic_file.h"
#include "core/number_text.h"

namespace dynalab::cli {

namespace {

/// The GUI case, run outside Google Benchmark (it spawns the app once for 600 frames).
constexpr const char* kGuiCase = "gui/frame_build";

/// Console output as usual, plus the median of every counter of every case.
class MedianCollector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    if (bar) bar->finish();  // the table's row takes the line; the bar is redrawn under it
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median") continue;
      if (bar) bar->update(double(++cases_done));
      Json& entry = medians[r.run_name.function_name];
      entry["seconds_per_iteration"] = r.GetAdjustedRealTime() / unit_per_second(r.time_unit);
      for (const auto& [name, c] : r.counters) entry[name] = c.value;
      entry["repetitions"] = r.repetitions;
    }
  }
  static double unit_per_second(benchmark::TimeUnit u) {
    switch (u) {
      case benchmark::kNanosecond: return 1e9;
      case benchmark::kMicrosecond: return 1e6;
      case benchmark::kMillisecond: return 1e3;
      default: return 1.0;
    }
  }
  Json medians = Json::object();
  ProgressBar* bar = nullptr;  ///< cases done, on a terminal
  int cases_done = 0;
};

/// The GUI benchmark "gui/frame_build": runs the app (built beside dynalab-cli) in scripted mode
/// for 600 frames while its worker trains and plans cartpole_swingup_pets, under xvfb-run when
/// there is no display, and returns its frame-stats JSON (or {"skipped": why}).
Json gui_frame_build() {
  namespace fs = std::filesystem;
  const char* override_bin = std::getenv("DYNALAB_GUI_BIN");
  const fs::path gui = override_bin ? fs::path(override_bin) : cli_executable().parent_path() / "gui" / "dynalab";
  if (!fs::exists(gui)) return Json{{"skipped", "no GUI binary at " + gui.string()}};
  const bool display = std::getenv("DISPLAY") != nullptr;
  if (!display && std::system("command -v xvfb-run >/dev/null 2>&1") != 0)
    return Json{{"skipped", "no DISPLAY and no xvfb-run"}};
  const fs::path out = fs::temp_directory_path() / ("dynalab_frames_" + std::to_string(getpid()) + ".json");
  // random_steps = 50: the worker is fitting the ensemble (then planning) during the frames.
  const std::string cmd = std::string(display ? "" : "xvfb-run -a -s '-screen 0 1280x800x24' ") +
                          shell_quote(gui.string()) + " --experiment cartpole_swingup_pets --set random_steps=50 " +
                          "--ticks 100000000 --frames 600 --size 1280x800 --frame-stats " +
                          shell_quote(out.string()) + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return Json{{"skipped", "the GUI run failed: " + cmd}};
  std::ifstream in(out);
  Json j = Json::parse(in, nullptr, false);
  std::error_code ec;
  fs::remove(out, ec);
  if (j.is_discarded()) return Json{{"skipped", "unreadable frame stats from the GUI"}};
  return j;
}

struct BenchArgs {
  std::string filter = ".", json, min_time = "0.2";
  long long repetitions = 5;
  bool list = false;
};

void bench(const BenchArgs& a) {
  const auto cases = bench_cases();
  if (a.list) {
    for (const auto& c : cases) std::printf("%s\n", c.name.c_str());
    std::printf("%s\n", kGuiCase);
    return;
  }
  const std::string& filter = a.filter;
  try {
    std::regex check(filter);
  } catch (const std::regex_error&) {
    throw InputError("--filter: expected a regular expression, got '" + filter + "'");
  }
  const long long reps = a.repetitions;
  const std::string& min_time = a.min_time;  // checked by its validator

  for (const auto& c : cases) benchmark::RegisterBenchmark(c.name.c_str(), c.run)->UseRealTime();
  std::vector<std::string> argv_s = {"dynalab-cli bench", "--benchmark_filter=" + filter,
                                     "--benchmark_repetitions=" + std::to_string(reps),
                                     "--benchmark_min_time=" + min_time,
                                     "--benchmark_report_aggregates_only=true"};
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  const std::regex re(filter);
  int matching = 0;
  for (const auto& c : cases) matching += std::regex_search(c.name, re);
  const bool any_case = matching > 0;
  ProgressBar bar("bench", double(matching), "cases");
  MedianCollector reporter;
  reporter.bar = &bar;
  const size_t ran = any_case ? benchmark::RunSpecifiedBenchmarks(&reporter) : 0;
  benchmark::Shutdown();
  bar.finish();
  const bool gui = std::regex_search(std::string(kGuiCase), re);
  if (ran == 0 && !gui)
    throw InputError("--filter: no benchmark matches '" + filter + "' (see bench --list)");
  if (gui) {
    // One run of 600 frames: the statistic is over frames, not over repetitions.
    const Json g = gui_frame_build();
    reporter.medians[kGuiCase] = g;
    if (g.contains("skipped"))
      std::printf("%s: skipped (%s)\n", kGuiCase, g["skipped"].get<std::string>().c_str());
    else
      std::printf("%s: build ms median %.2f, p99 %.2f, max %.2f over %d frames (%lld worker ticks)\n",
                  kGuiCase, g["build_ms"]["median"].get<double>(), g["build_ms"]["p99"].get<double>(),
                  g["build_ms"]["max"].get<double>(), g["frames"].get<int>(),
                  g["worker_ticks"].get<long long>());
  }

  Json out = Json::object();
  out["tool"] = "dynalab-cli bench";
  out["statistic"] = "median of " + std::to_string(reps) + " repetitions";
  out["results"] = reporter.medians;
  // The planner configurations under the peer's names, so the two JSONs compare directly.
  for (const char* config : {"main", "interactive"}) {
    const std::string key = std::string("planner/") + config;
    if (reporter.medians.contains(key)) out[config] = reporter.medians[key];
  }
  if (!a.json.empty()) {
    write_file_atomic(a.json, out.dump(2) + "\n");
    std::printf("medians written to %s\n", a.json.c_str());
  }
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto a = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand("bench", "the benchmark suite (medians over repetitions)");
  cmd->add_option("--filter", a->filter, "run the cases matching REGEX (default all)")->type_name("REGEX");
  cmd->add_option("--json", a->json, "write the medians here as JSON")->type_name("FILE");
  cmd->add_option("--repetitions", a->repetitions, "repetitions per case (default 5)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 1000));
  cmd->add_option("--min-time", a->min_time, "minimum seconds per repetition (default 0.2)")
      ->type_name("S")
      ->check(cmdline::finite_where([](double x) { return x > 0 && x <= 600; }, "seconds in (0, 600]"));
  cmd->add_flag("--list", a->list, "list the cases");
  cmd->callback([a] { bench(*a); });
}

}  // namespace dynalab::cli
