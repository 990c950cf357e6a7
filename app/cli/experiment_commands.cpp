// list, show and run: the experiment commands of dynalab-cli.

#include <chrono>
#include <cstdio>

#include "app/cli/cli.h"
#include "core/agents/registry.h"
#include "core/experiment.h"
#include "core/export/atomic_file.h"
#include "core/export/export_all.h"
#include "core/export/run_outputs.h"
#include "core/planning/planner_config.h"
#include "core/session.h"
#include "envs/registry.h"

namespace dynalab::cli {

int list_command(const Args& args) {
  ArgReader a(args, {});
  if (!a.positional().empty()) throw InputError("list: takes no arguments");
  std::printf("envs:\n");
  for (const auto& e : env_registry().entries())
    std::printf("  %-22s %-14s %s\n", e.name.c_str(), e.category.c_str(), e.description.c_str());
  std::printf("agents:\n");
  for (const auto& e : agent_registry())
    std::printf("  %-22s %-14s %s\n", e.name.c_str(), e.category.c_str(), e.description.c_str());
  std::printf("planners:\n");
  for (const auto& p : planner_kinds()) std::printf("  %-22s %s\n", p.name.c_str(), p.description.c_str());
  std::printf("experiments:\n");
  for (const auto& e : list_experiments())
    std::printf("  %-26s %-14s %s\n", e.name.c_str(), e.category.c_str(), e.description.c_str());
  return 0;
}

/// Loads EXPERIMENT with --seed/--runs/--set applied (seed and runs are just overrides).
static ExperimentSource load_from_args(const ArgReader& a, const char* cmd) {
  if (a.positional().size() != 1)
    throw InputError(std::string(cmd) + ": expected one EXPERIMENT (a registered name or a JSON file)");
  std::vector<std::string> sets;
  if (a.has("--seed")) sets.push_back("seed=" + std::to_string(a.integer("--seed", 0, 0, (1ll << 53))));
  if (a.has("--runs")) sets.push_back("runs=" + std::to_string(a.integer("--runs", 1, 1, 100000)));
  for (const auto& s : a.values("--set")) sets.push_back(s);
  return load_experiment(a.positional()[0], sets);
}

int show_command(const Args& args) {
  ArgReader a(args, {"--set", "--seed", "--runs"});
  auto exp = make_experiment(load_from_args(a, "show"), env_registry());
  std::printf("%s\n", exp->config().dump(2).c_str());
  return 0;
}

std::unique_ptr<Experiment> experiment_for_run(const ArgReader& a, const char* cmd) {
  if (!a.has("--load-session")) return make_experiment(load_from_args(a, cmd), env_registry());
  if (!a.positional().empty() || a.has("--set") || a.has("--seed") || a.has("--runs"))
    throw InputError(std::string(cmd) +
                     ": --load-session DIR takes no EXPERIMENT, --set, --seed or --runs (the session holds its config)");
  return load_session(a.value("--load-session"), env_registry());
}

void run_ticks(Experiment& e, long long ticks) {
  if (ticks < 0)
    e.run_to_end();
  else
    for (long long i = 0; i < ticks && e.tick(); ++i) {
    }
}

int run_command(const Args& args) {
  ArgReader a(args, {"--set", "--seed", "--runs", "--out", "--ticks", "--save-session", "--load-session", "--export-all"},
              {"--quiet"});
  if (!a.has("--out") && !a.has("--save-session") && !a.has("--export-all"))
    throw InputError("run: expected --out DIR for the outputs (or --save-session DIR / --export-all DIR)");
  const long long ticks = a.integer("--ticks", -1, 0, 1ll << 53);  // -1: to the end
  auto exp = experiment_for_run(a, "run");
  const auto t0 = std::chrono::steady_clock::now();
  run_ticks(*exp, ticks);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string what = a.has("--load-session") ? a.value("--load-session") : a.positional()[0];
  if (a.has("--save-session")) save_session(*exp, a.value("--save-session"));
  if (a.has("--export-all")) {
    const std::filesystem::path dir = a.value("--export-all");
    const auto snap = exp->snapshot();
    const auto entries = export_all(*exp, *snap, dir);
    write_export_readme(dir, "dynalab export of " + snap->experiment + " at tick " + std::to_string(snap->tick),
                        entries);
  }
  if (!a.has("--out")) {
    if (!a.has("--quiet")) std::printf("ran %s in %.3f s\n", what.c_str(), secs);
    return 0;
  }
  const std::filesystem::path out = a.value("--out");
  write_run_outputs(*exp, out);
  if (!a.has("--quiet")) std::printf("ran %s in %.3f s; outputs in %s\n", what.c_str(), secs, out.c_str());
  return 0;
}

}  // namespace dynalab::cli
