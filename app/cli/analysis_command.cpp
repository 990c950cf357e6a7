// dynalab-cli analysis RECIPE EXPERIMENT: the GUI lab's model analyses as files. The experiment
// runs to the point (--ticks N, or a saved session), then each recipe writes its CSV + SVG
// from the final snapshot, through the same core functions the lab calls. Recipes that draw
// (model_comparison, gp_fit_time) seed from the experiment's seed (--seed S), as the lab does.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "app/cli/cli.h"
#include "core/analysis/recipe_files.h"
#include "core/config.h"
#include "core/experiment.h"
#include "core/number_text.h"

namespace dynalab::cli {

namespace {

struct AnalysisArgs {
  std::string recipe;
  ExperimentArgs exp;
  std::string out, dims, action;
  long long ticks = -1, cells = 0, network_draw = 0, max_points = 0, repetitions = 0;
  bool quiet = false, two_clusters = false;
  double gap = 0.5;
};

/// "0,1" or "0.5,-1" as numbers; errors name the flag.
std::vector<double> numbers(const std::string& text, const std::string& flag) {
  std::vector<double> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    const std::optional<double> x = parse_finite(item);
    if (!x) throw InputError(flag + ": expected comma-separated numbers, got '" + text + "'");
    out.push_back(*x);
  }
  return out;
}

RecipeChoices choices(const AnalysisArgs& a) {
  RecipeChoices c;
  if (a.exp.has("--dims"))
    for (double d : numbers(a.dims, "--dims")) c.dims.push_back(int(d));
  if (a.exp.has("--action")) {
    const auto v = numbers(a.action, "--action");
    c.action = Eigen::Map<const Vec>(v.data(), Eigen::Index(v.size()));
  }
  c.cells = int(a.cells);
  c.two_clusters = a.two_clusters;
  c.gap = a.gap;
  c.network_draw = int(a.network_draw);
  c.max_points = int(a.max_points), c.repetitions = int(a.repetitions);
  return c;
}

// "gap/cluster epistemic sd: ensemble 1.9, gp 4.2, bnn 1.1" from model_comparison.csv.
void print_gap_ratios(const std::filesystem::path& csv) {
  std::ifstream f(csv);
  std::string line, text;
  std::getline(f, line);  // header: model,title,...,gap_ratio
  while (std::getline(f, line))
    text += (text.empty() ? "" : ", ") + line.substr(0, line.find(',')) + " " +
            line.substr(line.rfind(',') + 1);
  std::printf("gap/cluster epistemic sd: %s\n", text.c_str());
}

void analysis(const AnalysisArgs& r) {
  const ExperimentArgs& a = r.exp;
  if (r.recipe.empty())
    throw InputError("analysis: expected a RECIPE (disagreement_map, uncertainty_slice, ensemble_size, model_comparison, gp_fit_time or all)");
  const std::string& recipe = r.recipe;
  if (!a.has("--out")) throw InputError("analysis: expected --out DIR for the files");
  const RecipeChoices c = choices(r);
  const auto& known = analysis_recipes();
  if (recipe != "all" && std::find(known.begin(), known.end(), recipe) == known.end()) {
    std::string list;
    for (const auto& n : known) list += n + ", ";
    throw InputError("analysis: expected a RECIPE, one of " + list + "or all, got '" + recipe + "'");
  }
  auto exp = experiment_for_run(a, "analysis");
  run_ticks(*exp, r.ticks);
  const auto snap = exp->snapshot();
  const ModelInputs in = model_inputs(*snap);
  const std::filesystem::path out = r.out;
  for (const auto& name : recipe == "all" ? known : std::vector<std::string>{recipe})
    for (const auto& file : write_recipe_files(name, in, c, out)) {
      if (r.quiet) continue;
      std::printf("%s\n", (out / file).string().c_str());
      // The comparison's measured point, the gap ratio per model, without opening the CSV.
      if (file == "model_comparison.csv") print_gap_ratios(out / file);
      // The measured seconds per N and the slopes (what gp_fit_time.txt holds).
      if (file == "gp_fit_time.txt") {
        std::ifstream f(out / file);
        std::printf("%s", std::string(std::istreambuf_iterator<char>(f), {}).c_str());
      }
    }
}

}  // namespace

void add_analysis_command(CLI::App& app) {
  auto r = std::make_shared<AnalysisArgs>();
  CLI::App* cmd = app.add_subcommand(
      "analysis", "the GUI lab's model analysis of EXPERIMENT at a point (--ticks N or a session) as CSV + SVG");
  cmd->add_option("RECIPE", r->recipe,
                  "disagreement_map, uncertainty_slice, ensemble_size, model_comparison, gp_fit_time or all");
  add_experiment_options(*cmd, r->exp, true);
  cmd->add_option("--out", r->out, "write the files here")->type_name("DIR");
  add_ticks_option(*cmd, r->ticks);
  cmd->add_option("--dims", r->dims, "the state dims of the map or slice")->type_name("A,B");
  cmd->add_option("--action", r->action, "hold this action instead of the planner's")->type_name("V1,V2,...");
  cmd->add_option("--cells", r->cells, "cells per axis of the map")->type_name("N")->check(cmdline::integer_in(2, 400));
  cmd->add_flag("--two-clusters", r->two_clusters,
                "model_comparison: fit outside the middle of the slice dim only (a gap between)");
  cmd->add_option("--gap", r->gap, "model_comparison: the fraction of the range --two-clusters removes")
      ->type_name("F")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--draw", r->network_draw,
                  "model_comparison: the BNN's K-th new set of weight draws (0: its fit's)")
      ->type_name("K")
      ->check(cmdline::integer_in(0, 1000000));
  cmd->add_option("--max-points", r->max_points,
                  "gp_fit_time: the largest N of the doubling ladder 25, 50, ... (default 1600; "
                  "also capped by the data's transitions)")
      ->type_name("N")
      ->check(cmdline::integer_in(2, 100000));
  cmd->add_option("--repetitions", r->repetitions, "gp_fit_time: timed runs per point, the median reported (default 3)")
      ->type_name("K")
      ->check(cmdline::integer_in(1, 1000));
  cmd->add_flag("--quiet", r->quiet, "print nothing on success");
  cmd->callback([r] { analysis(*r); });
}

}  // namespace dynalab::cli
