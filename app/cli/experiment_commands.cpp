// list, show and run: the experiment commands of dynalab-cli.

#include <chrono>
#include <cstdio>

#include "app/cli/cli.h"
#include "core/agents/registry.h"
#include "core/experiment.h"
#include "core/export/atomic_file.h"
#include "core/export/figure_svg.h"
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

int run_command(const Args& args) {
  ArgReader a(args, {"--set", "--seed", "--runs", "--out"}, {"--quiet"});
  if (!a.has("--out")) throw InputError("run: expected --out DIR for the outputs");
  const std::filesystem::path out = a.value("--out");
  auto exp = make_experiment(load_from_args(a, "run"), env_registry());
  ensure_directory(out);
  const auto t0 = std::chrono::steady_clock::now();
  exp->run_to_end();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_file_atomic(out / "config.json", exp->config().dump(2) + "\n");
  exp->write_outputs(out);
  // Every plot the experiment shows, as vector figure and data.
  const auto final_snapshot = exp->snapshot();  // held: the loop must not outlive it
  for (const Figure& f : final_snapshot->figures) {
    write_file_atomic(out / "figures" / (f.id + ".svg"), figure_to_svg(f));
    write_file_atomic(out / "figures" / (f.id + ".csv"), f.to_csv());
  }
  if (!a.has("--quiet")) std::printf("ran %s in %.3f s; outputs in %s\n", a.positional()[0].c_str(), secs, out.c_str());
  return 0;
}

}  // namespace dynalab::cli
