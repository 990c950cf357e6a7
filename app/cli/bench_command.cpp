// dynalab-cli bench: runs the benchmark cases with warm-up and repetitions (Google Benchmark),
// prints the usual table, and writes the medians as JSON.

#include <cstdio>
#include <map>
#include <regex>

#include "app/cli/bench.h"
#include "app/cli/cli.h"
#include "core/config.h"
#include "core/export/atomic_file.h"

namespace dynalab::cli {

namespace {

/// Console output as usual, plus the median of every counter of every case.
class MedianCollector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median") continue;
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
};

}  // namespace

int bench_command(const Args& args) {
  ArgReader a(args, {"--filter", "--json", "--repetitions", "--min-time"}, {"--list"});
  if (!a.positional().empty()) throw InputError("bench: unexpected argument '" + a.positional()[0] + "'");
  const auto cases = bench_cases();
  if (a.has("--list")) {
    for (const auto& c : cases) std::printf("%s\n", c.name.c_str());
    return 0;
  }
  const std::string filter = a.value("--filter", ".");
  try {
    std::regex check(filter);
  } catch (const std::regex_error&) {
    throw InputError("--filter: expected a regular expression, got '" + filter + "'");
  }
  const long long reps = a.integer("--repetitions", 5, 1, 1000);
  const std::string min_time = a.value("--min-time", "0.2");
  char* end = nullptr;
  const double mt = std::strtod(min_time.c_str(), &end);
  if (*end || !(mt > 0 && mt <= 600)) throw InputError("--min-time: expected seconds in (0, 600], got '" + min_time + "'");

  for (const auto& c : cases) benchmark::RegisterBenchmark(c.name.c_str(), c.run)->UseRealTime();
  std::vector<std::string> argv_s = {"dynalab-cli bench", "--benchmark_filter=" + filter,
                                     "--benchmark_repetitions=" + std::to_string(reps),
                                     "--benchmark_min_time=" + min_time,
                                     "--benchmark_report_aggregates_only=true"};
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  MedianCollector reporter;
  const size_t ran = benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (ran == 0) throw InputError("--filter: no benchmark matches '" + filter + "' (see bench --list)");

  Json out = Json::object();
  out["tool"] = "dynalab-cli bench";
  out["statistic"] = "median of " + std::to_string(reps) + " repetitions";
  out["results"] = reporter.medians;
  // The planner configurations under the peer's names, so the two JSONs compare directly.
  for (const char* config : {"main", "interactive"}) {
    const std::string key = std::string("planner/") + config;
    if (reporter.medians.contains(key)) out[config] = reporter.medians[key];
  }
  if (a.has("--json")) {
    write_file_atomic(a.value("--json"), out.dump(2) + "\n");
    std::printf("medians written to %s\n", a.value("--json").c_str());
  }
  return 0;
}

}  // namespace dynalab::cli
