// dynalab-cli analysis RECIPE EXPERIMENT: the GUI lab's model analyses as files. The experiment
// runs to the point (--ticks N, or a saved session), then each recipe writes its CSV + SVG
// from the final snapshot, through the same core functions the lab calls.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "app/cli/cli.h"
#include "core/analysis/recipe_files.h"
#include "core/config.h"
#include "core/experiment.h"

namespace dynalab::cli {

namespace {

/// "0,1" or "0.5,-1" as numbers; errors name the flag.
std::vector<double> numbers(const ArgReader& a, const std::string& flag) {
  std::vector<double> out;
  std::stringstream ss(a.value(flag));
  for (std::string item; std::getline(ss, item, ',');) {
    char* end = nullptr;
    const double x = std::strtod(item.c_str(), &end);
    if (item.empty() || *end) throw InputError(flag + ": expected comma-separated numbers, got '" + a.value(flag) + "'");
    out.push_back(x);
  }
  return out;
}

RecipeChoices choices(const ArgReader& a) {
  RecipeChoices c;
  if (a.has("--dims"))
    for (double d : numbers(a, "--dims")) c.dims.push_back(int(d));
  if (a.has("--action")) {
    const auto v = numbers(a, "--action");
    c.action = Eigen::Map<const Vec>(v.data(), Eigen::Index(v.size()));
  }
  c.cells = int(a.integer("--cells", 0, 2, 400));
  return c;
}

}  // namespace

int analysis_command(const Args& args) {
  if (args.empty() || args[0].rfind("--", 0) == 0)
    throw InputError("analysis: expected a RECIPE (disagreement_map, uncertainty_slice, ensemble_size or all)");
  const std::string recipe = args[0];
  ArgReader a(Args(args.begin() + 1, args.end()),
              {"--set", "--seed", "--runs", "--out", "--ticks", "--load-session", "--dims", "--action", "--cells"},
              {"--quiet"});
  if (!a.has("--out")) throw InputError("analysis: expected --out DIR for the files");
  const RecipeChoices c = choices(a);
  const auto& known = analysis_recipes();
  if (recipe != "all" && std::find(known.begin(), known.end(), recipe) == known.end()) {
    std::string list;
    for (const auto& n : known) list += n + ", ";
    throw InputError("analysis: expected a RECIPE, one of " + list + "or all, got '" + recipe + "'");
  }
  auto exp = experiment_for_run(a, "analysis");
  run_ticks(*exp, a.integer("--ticks", -1, 0, 1ll << 53));
  const auto snap = exp->snapshot();
  const ModelInputs in = model_inputs(*snap);
  const std::filesystem::path out = a.value("--out");
  for (const auto& name : recipe == "all" ? known : std::vector<std::string>{recipe})
    for (const auto& file : write_recipe_files(name, in, c, out))
      if (!a.has("--quiet")) std::printf("%s\n", (out / file).string().c_str());
  return 0;
}

}  // namespace dynalab::cli
