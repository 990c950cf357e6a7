// The analysis recipes of core/analysis (disagreement map, 1-D uncertainty slice, ensemble-size
// study): one function each, so the GUI's lab (model_inputs of a snapshot), dynalab-cli analysis
// and the run's analysis/disagreement_map.csv give the same numbers, byte for byte.

#include <doctest/doctest.h>

#include <algorithm>

#include "core/analysis/disagreement_map_recipe.h"
#include "core/analysis/ensemble_size_recipe.h"
#include "core/analysis/model_inputs.h"
#include "core/analysis/uncertainty_slice_recipe.h"
#include "core/config.h"
#include "core/experiment.h"
#include "envs/registry.h"
#include "test_util.h"

namespace test_recipes {

using namespace dynalab;

namespace {

// cliff_hill v0.5 with a small probabilistic ensemble, past its first fit and into planning.
const std::vector<std::string> kSets = {"model.prediction=probabilistic", "model.ensemble_size=3",
                                        "model.elite_members=3", "model.epochs=20", "random_steps=60"};
constexpr int kTicks = 200;

std::string cli_sets() {
  std::string s;
  for (const auto& x : kSets) s += " --set " + x;
  return s + " --ticks " + std::to_string(kTicks);
}

// The inputs the GUI's lab reads: the snapshot of the experiment after kTicks ticks.
ModelInputs lab_inputs() {
  auto e = make_experiment(load_experiment("cliff_hill_v05", kSets), env_registry());
  for (int i = 0; i < kTicks && e->tick(); ++i) {
  }
  const auto snap = e->snapshot();
  REQUIRE(has_model_inputs(*snap));
  return model_inputs(*snap);
}

size_t lines(const std::string& s) { return size_t(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("the disagreement map: the lab's recipe, dynalab-cli analysis and the run's analysis/ agree") {
  const ModelInputs in = lab_inputs();
  REQUIRE(in.training_data);
  DisagreementMapRecipe r;  // the lab's defaults: dims 0 and 1, 48 cells, the planner's action
  const DisagreementMapView v = disagreement_map_view(in, r);
  CHECK(v.map.x.n == 48);
  CHECK(v.map.y.n == 48);
  CHECK(v.action == in.plan_action);
  CHECK(v.px.size() == std::min<size_t>(in.training_data->size(), kMaxTrainingDots));
  const std::string csv = disagreement_map_csv(v);
  CHECK(lines(csv) == 1 + 48 * 48);

  const auto dir = test::temp_dir("recipe_map");
  const auto r1 = test::run_cli("analysis disagreement_map cliff_hill_v05" + cli_sets() + " --out " + (dir / "a").string());
  REQUIRE(r1.exit_code == 0);
  CHECK(test::read_file(dir / "a" / "disagreement_map.csv") == csv);
  const std::string svg = test::read_file(dir / "a" / "disagreement_map.svg");
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(svg.find("epistemic: var of members' means") != std::string::npos);
  size_t rects = 0;
  for (size_t at = svg.find("<rect"); at != std::string::npos; at = svg.find("<rect", at + 1)) ++rects;
  CHECK(rects >= 2 * 48 * 48);

  const auto r2 = test::run_cli("run cliff_hill_v05" + cli_sets() + " --quiet --out " + (dir / "run").string());
  REQUIRE(r2.exit_code == 0);
  CHECK(test::read_file(dir / "run" / "analysis" / "disagreement_map.csv") == csv);
}

TEST_CASE("the 1-D slice: the lab's recipe and dynalab-cli analysis agree; changes, not states") {
  const ModelInputs in = lab_inputs();
  UncertaintySliceRecipe r;
  const UncertaintySliceView v = uncertainty_slice_view(in, r);
  CHECK(v.slice.xs.size() == 161);
  CHECK(v.slice.output_dim == partner_dim(0, in.obs_dim()));
  CHECK(v.slice.members == 3);
  const Figure f = uncertainty_slice_figure(v, in.obs_names);
  CHECK(f.id == "uncertainty_slice");
  // The cliff hill has no noise: the epistemic band (2 series), no aleatoric one, the members.
  CHECK(v.deterministic_world);
  CHECK(f.series.size() == 2 + 3 + (v.px.empty() ? 0 : 1));
  CHECK(f.title.find("(noiseless world)") != std::string::npos);
  const auto dir = test::temp_dir("recipe_slice");
  REQUIRE(test::run_cli("analysis uncertainty_slice cliff_hill_v05" + cli_sets() + " --out " + dir.string()).exit_code == 0);
  CHECK(test::read_file(dir / "uncertainty_slice.csv") == uncertainty_slice_csv(v));
  CHECK(test::read_file(dir / "uncertainty_slice.svg").find("members' means") != std::string::npos);
  // A held action changes the numbers; the CLI takes it with --action.
  r.action = Vec::Constant(in.plan_action.size(), 0.5);
  const std::string held = uncertainty_slice_csv(uncertainty_slice_view(in, r));
  REQUIRE(test::run_cli("analysis uncertainty_slice cliff_hill_v05" + cli_sets() + " --action 0.5 --out " + dir.string()).exit_code == 0);
  CHECK(test::read_file(dir / "uncertainty_slice.csv") == held);
}

TEST_CASE("the ensemble-size comparison is deterministic and the CLI writes its numbers") {
  const ModelInputs in = lab_inputs();
  EnsembleSizeRecipe small;
  small.sizes = {1, 2};
  small.max_epochs = 12;
  EnsembleSizeComparison a(*in.training_data, in.model->config(), small), b(*in.training_data, in.model->config(), small);
  a.run();
  b.run();
  REQUIRE(a.probabilistic().size() == 2);
  REQUIRE(a.deterministic().size() == 2);
  CHECK(a.progress() == 1.0);
  CHECK(ensemble_size_csv(a.probabilistic(), a.deterministic()) == ensemble_size_csv(b.probabilistic(), b.deterministic()));
  const EnsembleSizeFigures f = ensemble_size_figures(a.probabilistic(), a.deterministic());
  CHECK(f.mse.series.size() == 2);
  CHECK(f.nll.id == "ensemble_size_nll");

  // The CLI runs the lab's default recipe on the same inputs.
  EnsembleSizeComparison lab(*in.training_data, in.model->config());
  lab.run();
  const auto dir = test::temp_dir("recipe_size");
  REQUIRE(test::run_cli("analysis ensemble_size cliff_hill_v05" + cli_sets() + " --out " + dir.string()).exit_code == 0);
  CHECK(test::read_file(dir / "ensemble_size.csv") == ensemble_size_csv(lab.probabilistic(), lab.deterministic()));
  CHECK(std::filesystem::exists(dir / "ensemble_size_mse.svg"));
  CHECK(std::filesystem::exists(dir / "ensemble_size_nll.svg"));
}

TEST_CASE("analysis: bad input exits 2 with one line naming what is wrong") {
  const auto dir = test::temp_dir("recipe_bad");
  const std::string out = " --out " + dir.string();
  auto one_line = [](const test::CliResult& r) { return std::count(r.output.begin(), r.output.end(), '\n') == 1; };
  const auto unknown = test::run_cli("analysis heatmap cliff_hill_v05" + out);
  CHECK(unknown.exit_code == 2);
  CHECK(one_line(unknown));
  CHECK(unknown.output.find("got 'heatmap'") != std::string::npos);
  const auto tabular = test::run_cli("analysis disagreement_map dyna_maze --ticks 2" + out);
  CHECK(tabular.exit_code == 2);
  CHECK(one_line(tabular));
  CHECK(tabular.output.find("planning experiment") != std::string::npos);
  const auto dims = test::run_cli("analysis disagreement_map cliff_hill_v05 --ticks 2 --dims 0,7" + out);
  CHECK(dims.exit_code == 2);
  CHECK(dims.output.find("--dims") != std::string::npos);
  const auto action = test::run_cli("analysis uncertainty_slice cliff_hill_v05 --ticks 2 --action 1,2,3" + out);
  CHECK(action.exit_code == 2);
  CHECK(action.output.find("--action: expected 1 values") != std::string::npos);
  CHECK(test::run_cli("analysis disagreement_map cliff_hill_v05 --ticks 2").exit_code == 2);  // no --out
}

}  // namespace test_recipes
