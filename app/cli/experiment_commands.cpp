// list, show and run: the experiment commands of dynalab-cli.

#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/cli/cli.h"
#include "app/cli/progress_bar.h"
#include "core/agents/registry.h"
#include "core/experiment.h"
#include "core/io/atomic_file.h"
#include "core/export/export_all.h"
#include "core/export/run_outputs.h"
#include "app/cli/svg_png.h"
#include "app/draw/latent_filmstrip.h"
#include "app/draw/latent_map.h"
#include "app/draw/world_view.h"
#include "core/planning/planner_config.h"
#include "core/session.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

void list() {
  std::printf("envs:\n");
  for (const auto& e : env_registry().entries())
    std::printf("  %-22s %-14s %s\n", e.name.c_str(), e.category.c_str(), e.description.c_str());
  std::printf("agents:\n");
  for (const auto& e : agent_registry())
    std::printf("  %-22s %-14s %s\n", e.name.c_str(), e.category.c_str(), e.description.c_str());
  std::printf("planners:\n");
  for (const auto& p : planner_optimizers()) std::printf("  %-22s %s\n", p.name.c_str(), p.description.c_str());
  std::printf("experiments:\n");
  for (const auto& e : list_experiments())
    std::printf("  %-26s %-14s %s\n", e.name.c_str(), e.category.c_str(), e.description.c_str());
}

/// Loads EXPERIMENT with --seed/--runs/--set applied (seed and runs are just overrides).
ExperimentSource load_from_args(const ExperimentArgs& a, const char* cmd) {
  if (a.positional.size() != 1)
    throw InputError(std::string(cmd) + ": expected one EXPERIMENT (a registered name or a JSON file)");
  std::vector<std::string> sets;
  if (a.has("--seed")) sets.push_back("seed=" + std::to_string(a.seed));
  if (a.has("--runs")) sets.push_back("runs=" + std::to_string(a.runs));
  for (const auto& s : a.sets) sets.push_back(s);
  return load_experiment(a.positional[0], sets);
}

}  // namespace

void add_list_command(CLI::App& app) {
  app.add_subcommand("list", "list the envs, agents, planners and experiments")->callback(list);
}

void add_experiment_options(CLI::App& cmd, ExperimentArgs& a, bool sessions) {
  a.cmd = &cmd;
  cmd.add_option("EXPERIMENT", a.positional, "a registered experiment (see `list`) or a JSON file");
  cmd.add_option("--seed", a.seed, "seed of the experiment")->type_name("S")->check(cmdline::integer_in(0, 1ll << 53));
  cmd.add_option("--runs", a.runs, "independent runs")->type_name("R")->check(cmdline::integer_in(1, 100000));
  cmdline::add_sets(cmd, a.sets, "override a config field (repeatable)");
  if (sessions)
    cmd.add_option("--load-session", a.load_session, "continue a saved session instead of EXPERIMENT")
        ->type_name("DIR");
}

void add_show_command(CLI::App& app) {
  auto a = std::make_shared<ExperimentArgs>();
  CLI::App* cmd = app.add_subcommand("show", "print the resolved config of EXPERIMENT");
  add_experiment_options(*cmd, *a, false);
  cmd->callback([a] {
    auto exp = make_experiment(load_from_args(*a, "show"), env_registry());
    std::printf("%s\n", exp->config().dump(2).c_str());
  });
}

std::unique_ptr<Experiment> experiment_for_run(const ExperimentArgs& a, const char* cmd) {
  if (!a.has("--load-session")) return make_experiment(load_from_args(a, cmd), env_registry());
  if (!a.positional.empty() || a.has("--set") || a.has("--seed") || a.has("--runs"))
    throw InputError(std::string(cmd) +
                     ": --load-session DIR takes no EXPERIMENT, --set, --seed or --runs (the session holds its config)");
  return load_session(a.load_session, env_registry());
}

void add_ticks_option(CLI::App& cmd, long long& ticks) {
  cmd.add_option("--ticks", ticks, "stop after N ticks (default: run to the end)")
      ->type_name("N")
      ->check(cmdline::integer_in(0, 1ll << 53));
}

std::filesystem::path cli_executable() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this program's path (/proc/self/exe): " + ec.message());
  return p;
}

void run_ticks(Experiment& e, long long ticks) {
  if (ticks < 0)
    e.run_to_end();
  else
    for (long long i = 0; i < ticks && e.tick(); ++i) {
    }
}

namespace {

/// How far `e` is through the work its config plans (runs x steps, or runs x episodes), in
/// [0, 1]; NaN when the config plans neither.
double fraction_done(const Experiment& e) {
  const Json& c = e.config();
  const Progress p = e.progress();
  const double runs = c.contains("runs") ? c["runs"].get<double>() : 1.0;
  if (p.finished) return 1;
  if (c.contains("steps") && c["steps"].get<double>() > 0)
    return (p.run + double(p.total_steps) / c["steps"].get<double>()) / runs;
  if (c.contains("episodes") && c["episodes"].get<double>() > 0)
    return (p.run + double(p.episode) / c["episodes"].get<double>()) / runs;
  return std::nan("");
}

/// run_ticks with a progress bar on a terminal (reading the progress every 256 ticks: a tick
/// of a tabular agent is a microsecond).
void run_ticks_with_progress(Experiment& e, long long ticks) {
  ProgressBar bar("run", 1000, "");
  if (!bar.shown() || !std::isfinite(fraction_done(e))) return run_ticks(e, ticks);
  for (long long i = 0; (ticks < 0 || i < ticks) && e.tick(); ++i)
    if (i % 256 == 0) bar.update(1000 * (ticks < 0 ? fraction_done(e) : double(i) / double(ticks)));
  bar.finish();
}

/// The latent family's views for --export-all, as the GUI's Export all writes them: the latent
/// map as SVG (its points are the agent's latent_map.csv) and the filmstrip as SVG and PNG (the
/// PNG rendered from the SVG by librsvg; the GUI reads its screen back instead).
void write_latent_exports(const LatentView& v, const std::filesystem::path& dir, std::vector<ExportEntry>& entries) {
  write_file_atomic(dir / "latent_map.svg", latent_map_svg(v));
  entries.push_back({"latent_map.svg", "the latent map: held-out z on (PC1, PC2), coloured by the true " +
                                           v.colour_name + " (latent_map.csv: its points)"});
  const std::string strip = filmstrip_svg(v);
  write_file_atomic(dir / "filmstrip.svg", strip);
  entries.push_back({"filmstrip.svg", "the visual-foresight filmstrip: the plan's decoded frames above the real ones"});
  write_svg_as_png(strip, dir / "filmstrip.png", 1);
  entries.push_back({"filmstrip.png", "the filmstrip as an image"});
}

struct RunArgs {
  ExperimentArgs exp;
  long long ticks = -1;  // -1: to the end
  std::string out, save_session, export_all, world_svg;
  bool quiet = false;
};

void run(const RunArgs& r) {
  const ExperimentArgs& a = r.exp;
  if (!a.has("--out") && !a.has("--save-session") && !a.has("--export-all") && !a.has("--world-svg"))
    throw InputError(
        "run: expected --out DIR for the outputs (or --save-session DIR / --export-all DIR / --world-svg FILE)");
  const long long ticks = r.ticks;
  auto exp = experiment_for_run(a, "run");
  if (a.has("--world-svg") && !exp->env())
    throw InputError("--world-svg: this experiment has no env to draw");
  const auto t0 = std::chrono::steady_clock::now();
  run_ticks_with_progress(*exp, ticks);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string what = a.has("--load-session") ? a.load_session : a.positional[0];
  if (a.has("--save-session")) save_session(*exp, r.save_session);
  if (a.has("--world-svg")) write_world_view_svg(*exp->snapshot(), WorldViewOptions{}, r.world_svg);
  if (a.has("--export-all")) {
    const std::filesystem::path dir = r.export_all;
    const auto snap = exp->snapshot();
    auto entries = export_all(*exp, *snap, dir);
    if (snap->latent) write_latent_exports(*snap->latent, dir, entries);
    write_export_readme(dir, "dynalab export of " + snap->experiment + " at tick " + std::to_string(snap->tick),
                        entries);
  }
  if (!a.has("--out")) {
    if (!r.quiet) std::printf("ran %s in %.3f s\n", what.c_str(), secs);
    return;
  }
  const std::filesystem::path out = r.out;
  write_run_outputs(*exp, out);
  if (!r.quiet) std::printf("ran %s in %.3f s; outputs in %s\n", what.c_str(), secs, out.c_str());
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto r = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run", "run EXPERIMENT (or continue --load-session DIR) headless and write its outputs");
  add_experiment_options(*cmd, r->exp, true);
  cmd->add_option("--out", r->out, "write metrics, trajectories, figures and config here")->type_name("DIR");
  add_ticks_option(*cmd, r->ticks);
  cmd->add_option("--save-session", r->save_session, "save the session (config, data, model, RNGs) here")
      ->type_name("DIR");
  cmd->add_option("--export-all", r->export_all, "export everything (CSV, JSON, SVG, npy, model) here")
      ->type_name("DIR");
  cmd->add_option("--world-svg", r->world_svg, "after the run, draw the env's world with its overlays (Q values, plans) as SVG into FILE")
      ->type_name("FILE");
  cmd->add_flag("--quiet", r->quiet, "print nothing on success");
  cmd->callback([r] { run(*r); });
}

}  // namespace dynalab::cli
