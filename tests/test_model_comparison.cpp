// Issue 19's three models side by side (core/analysis/model_comparison.h): an ensemble, a GP and
// a BNN fit on the same transitions give slices on the same points with the same data, the same
// seed gives the same numbers, "draw a new network" moves the BNN only, "two clusters" removes
// the middle third, and bad recipe input is a one-line error. Small models and few epochs.

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/analysis/model_comparison.h"
#include "core/analysis/model_inputs.h"
#include "core/config.h"
#include "core/dataset.h"
#include "core/experiment.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"
#include "core/rng.h"
#include "envs/registry.h"
#include "test_util.h"

namespace test_model_comparison {

using namespace dynalab;

namespace {

// 80 transitions of a 2-D system: position x in [-3, 3], velocity v in [-1, 1], one action;
// s' = s + 0.1 [v, sin(x) + a].
Dataset system_data(uint64_t seed, int n = 80) {
  Dataset d(2, 1);
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    Transition t;
    t.obs = Vec(2), t.action = Vec(1), t.next_obs = Vec(2);
    t.obs << rng.uniform(-3, 3), rng.uniform(-1, 1);
    t.action << rng.uniform(-1, 1);
    t.next_obs << t.obs[0] + 0.1 * t.obs[1], t.obs[1] + 0.1 * (std::sin(t.obs[0]) + t.action[0]);
    d.add(t);
  }
  return d;
}

ModelConfig small_config() {
  ModelConfig c;
  c.hidden = {16, 16};
  c.ensemble_size = 3, c.elite_members = 3;
  c.epochs = 12, c.patience = 4, c.batch_size = 32;
  c.bnn.posterior_samples = 5;
  c.gp.optimizer_iterations = 15;
  return c;
}

// What the lab passes: the experiment's model (only its config is read here), its data, the
// state and action held, the names.
ModelInputs inputs_for(const Dataset& data) {
  ModelInputs in;
  in.model = make_learned_model(small_config(), 2, 1, 0);
  in.training_data = std::make_shared<const Dataset>(data);
  in.summary = training_summary(data);
  in.state = Vec::Zero(2);
  in.plan_action = Vec::Zero(1);
  in.obs_names = {"x", "v"};
  return in;
}

ModelComparisonRecipe small_recipe() {
  ModelComparisonRecipe r;
  r.slice.points = 41;
  r.map.cells = 12;
  r.seed = 7;
  return r;
}

ModelComparisonView fit_and_view(const ModelInputs& in, const ModelComparisonRecipe& r) {
  ModelComparisonFit fit(*in.training_data, in.model->config(), r);
  fit.run();
  return model_comparison_view(in, fit, r);
}

}  // namespace

TEST_CASE("the three slices share their points and the data they were fit on") {
  const ModelInputs in = inputs_for(system_data(1));
  ModelComparisonFit fit(*in.training_data, in.model->config(), small_recipe());
  int steps = 0;
  while (fit.step()) ++steps;
  CHECK(fit.done());
  CHECK(fit.progress() == 1.0);
  CHECK(steps + 1 == fit.units(0) + fit.units(1) + fit.units(2));  // one unit per step
  for (int k = 0; k < kComparedModels; ++k) {
    CHECK(fit.units(k) >= 1);
    CHECK(fit.model(k)->config().type == compared_model_types()[size_t(k)]);
  }
  const ModelComparisonView v = model_comparison_view(in, fit, small_recipe());
  CHECK(v.rows == 80);
  CHECK(v.source_rows == 80);
  const ComparedModel& e = v.models[0];
  REQUIRE(e.slice.slice.xs.size() == 41);
  CHECK(!e.slice.px.empty());
  for (const ComparedModel& m : v.models) {
    CAPTURE(m.type);
    CHECK(m.slice.slice.xs == e.slice.slice.xs);
    CHECK(m.slice.px == e.slice.px);
    CHECK(m.slice.py == e.slice.py);
    CHECK(m.map.map.xs == e.map.map.xs);
    CHECK(m.map.map.ys == e.map.map.ys);
    CHECK(m.map.px == e.map.px);
    for (double s2 : m.slice.slice.epistemic) CHECK((std::isfinite(s2) && s2 >= 0));
    CHECK(std::isfinite(m.gap_ratio()));
  }
  // Members: 3 networks, the GP itself (with its 5 function draws), 5 weight draws.
  CHECK(v.models[0].slice.slice.members == 3);
  CHECK(v.models[1].slice.slice.members == 1);
  CHECK(v.models[2].slice.slice.members == 5);
  CHECK(v.models[0].slice.slice.function_samples == 0);
  CHECK(v.models[1].slice.slice.function_samples == 5);
  CHECK(v.models[2].slice.slice.function_samples == 0);
  // The figures: one y range for the three, titled by model.
  const auto figures = model_comparison_figures(v, in.obs_names);
  REQUIRE(figures.size() == 3);
  CHECK(figures[1].title == "Gaussian process");
  for (const Figure& f : figures) CHECK((f.y_lo == v.y_lo && f.y_hi == v.y_hi && v.y_lo < v.y_hi));
  const auto maps = model_comparison_heatmaps(v, in.obs_names);
  REQUIRE(maps.size() == 3);
  for (const Heatmap& h : maps) CHECK((h.v_lo == maps[0].v_lo && h.v_hi == maps[0].v_hi));
}

TEST_CASE("the same seed gives the same numbers; another seed other ones") {
  const ModelInputs in = inputs_for(system_data(2));
  const ModelComparisonView a = fit_and_view(in, small_recipe());
  const ModelComparisonView b = fit_and_view(in, small_recipe());
  ModelComparisonRecipe other = small_recipe();
  other.seed = 8;
  const ModelComparisonView c = fit_and_view(in, other);
  for (int k = 0; k < kComparedModels; ++k) {
    CAPTURE(k);
    const DisagreementSlice &sa = a.models[size_t(k)].slice.slice, &sb = b.models[size_t(k)].slice.slice;
    CHECK(sa.mean == sb.mean);
    CHECK(sa.epistemic == sb.epistemic);
    CHECK(sa.member_means == sb.member_means);
    CHECK(sa.sample_means == sb.sample_means);
    CHECK(a.models[size_t(k)].map.map.epistemic == b.models[size_t(k)].map.map.epistemic);
    CHECK(a.models[size_t(k)].gap_sd == b.models[size_t(k)].gap_sd);
  }
  // The networks' initialisations and the GP's draws follow the seed.
  CHECK(a.models[0].slice.slice.mean != c.models[0].slice.slice.mean);
  CHECK(a.models[1].slice.slice.sample_means != c.models[1].slice.slice.sample_means);
  CHECK(a.models[2].slice.slice.mean != c.models[2].slice.slice.mean);
}

TEST_CASE("drawing a new network changes the BNN's band and nothing else") {
  const ModelInputs in = inputs_for(system_data(3));
  ModelComparisonFit fit(*in.training_data, in.model->config(), small_recipe());
  fit.run();
  ModelComparisonRecipe r = small_recipe();
  const ModelComparisonView v0 = model_comparison_view(in, fit, r);
  r.network_draw = 1;
  const ModelComparisonView v1 = model_comparison_view(in, fit, r);
  const ModelComparisonView v1again = model_comparison_view(in, fit, r);
  for (int k = 0; k < 2; ++k) {  // the ensemble and the GP: untouched
    CAPTURE(k);
    CHECK(v0.models[size_t(k)].slice.slice.epistemic == v1.models[size_t(k)].slice.slice.epistemic);
    CHECK(v0.models[size_t(k)].slice.slice.sample_means == v1.models[size_t(k)].slice.slice.sample_means);
    CHECK(v0.models[size_t(k)].map.map.epistemic == v1.models[size_t(k)].map.map.epistemic);
  }
  const DisagreementSlice &b0 = v0.models[2].slice.slice, &b1 = v1.models[2].slice.slice;
  CHECK(b0.member_means != b1.member_means);
  CHECK(b0.epistemic != b1.epistemic);
  CHECK(v0.models[2].map.map.epistemic != v1.models[2].map.map.epistemic);
  CHECK(b1.epistemic == v1again.models[2].slice.slice.epistemic);  // draw k is draw k
  // Nothing was refit: the data and the fit's units are the same.
  CHECK(v0.models[2].units == v1.models[2].units);
  CHECK(v0.models[2].slice.px == v1.models[2].slice.px);
}

TEST_CASE("two clusters with gap 1/3 keeps the lowest and highest third of the slice dim") {
  const Dataset data = system_data(4, 120);
  const Dataset kept = two_clusters(data, 0, 1.0 / 3);
  const Eigen::VectorXd x = data.observations().col(0);
  const double lo = x.minCoeff(), hi = x.maxCoeff(), third = (hi - lo) / 3;
  size_t outer = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) outer += x[i] <= lo + third || x[i] >= hi - third;
  CHECK(kept.size() == outer);
  CHECK(kept.size() < data.size());
  CHECK(kept.size() > data.size() / 2);  // x is uniform: about two thirds kept
  const Eigen::VectorXd kx = kept.observations().col(0);
  for (Eigen::Index i = 0; i < kx.size(); ++i) CHECK((kx[i] <= lo + third || kx[i] >= hi - third));
  // The fit and its views use the kept transitions only; the gap is that middle third.
  const ModelInputs in = inputs_for(data);
  ModelComparisonRecipe r = small_recipe();
  r.two_clusters = true;
  r.gap = 1.0 / 3;
  const ModelComparisonView v = fit_and_view(in, r);
  CHECK(v.rows == kept.size());
  CHECK(v.source_rows == data.size());
  CHECK(v.gap_lo == doctest::Approx(lo + third));
  CHECK(v.gap_hi == doctest::Approx(hi - third));
  for (double px : v.models[0].slice.px) CHECK((px <= v.gap_lo || px >= v.gap_hi));
  // The axes stay those of the whole data.
  const ModelComparisonView all = fit_and_view(in, small_recipe());
  CHECK(v.models[0].slice.slice.xs == all.models[0].slice.slice.xs);
  CHECK(v.models[0].map.map.ys == all.models[0].map.map.ys);
}

TEST_CASE("bad recipe input is a one-line error naming the field") {
  const ModelInputs in = inputs_for(system_data(5, 30));
  auto message = [&](ModelComparisonRecipe r, bool view) -> std::string {
    try {
      ModelComparisonFit fit(*in.training_data, in.model->config(), r);
      if (view) model_comparison_view(in, fit, r);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  ModelComparisonRecipe r = small_recipe();
  r.slice.dim = 2;
  const std::string dim = message(r, false);
  CHECK(dim == "model_comparison: slice dim: expected an obs dim in [0, 1], got 2");
  r = small_recipe();
  r.function_samples = -1;
  CHECK(message(r, true) == "model_comparison: function_samples: expected a count >= 0, got -1");
  r = small_recipe();
  r.network_draw = -3;
  CHECK(message(r, true) == "model_comparison: network_draw: expected a count >= 0, got -3");
  // Too little data to fit: 6 transitions.
  const Dataset tiny = system_data(6, 6);
  std::string few;
  try {
    ModelComparisonFit fit(tiny, in.model->config(), small_recipe());
  } catch (const InputError& e) {
    few = e.what();
  }
  CHECK(few == "model_comparison: expected at least 8 transitions to fit, got 6");
  for (const std::string& m : {dim, few}) CHECK(m.find('\n') == std::string::npos);
}

TEST_CASE("dynalab-cli analysis model_comparison writes what the lab computes") {
  // cliff_hill v0.5 past its first fit, with small models: the lab's inputs in-process, then the
  // CLI on the same experiment.
  const std::vector<std::string> sets = {"model.prediction=probabilistic", "model.ensemble_size=3",
                                         "model.elite_members=3", "model.hidden=[16,16]",
                                         "model.epochs=15", "model.gp.optimizer_iterations=15",
                                         "random_steps=60"};
  const int ticks = 80;
  // Seed 1 in-process (the GUI lab's experiment) and --seed 1 on the CLI: the three fits seed
  // from the experiment's seed in both, so the files match the lab's numbers.
  std::vector<std::string> seeded = sets;
  seeded.push_back("seed=1");
  auto e = make_experiment(load_experiment("cliff_hill_v05", seeded), env_registry());
  for (int i = 0; i < ticks && e->tick(); ++i) {
  }
  const auto snap = e->snapshot();
  REQUIRE(has_model_inputs(*snap));
  const ModelInputs in = model_inputs(*snap);
  CHECK(snap->seed == 1);
  CHECK(in.seed == 1);
  ModelComparisonRecipe r;
  r.two_clusters = true, r.network_draw = 2, r.seed = in.seed;
  r.map.dim_y = 1;
  const ModelComparisonView v = fit_and_view(in, r);
  const auto dir = test::temp_dir("model_comparison_cli");
  std::string cmd = "analysis model_comparison cliff_hill_v05 --ticks " + std::to_string(ticks) +
                    " --seed 1 --two-clusters --draw 2 --out " + dir.string();
  for (const auto& s : sets) cmd += " --set " + s;
  const auto res = test::run_cli(cmd);
  REQUIRE(res.exit_code == 0);
  CHECK(res.output.find("gap/cluster epistemic sd: ensemble ") != std::string::npos);
  CHECK(test::read_file(dir / "model_comparison.csv") == model_comparison_summary_csv(v));
  for (const ComparedModel& m : v.models) {
    CAPTURE(m.type);
    CHECK(test::read_file(dir / ("model_comparison_" + m.type + ".csv")) == uncertainty_slice_csv(m.slice));
    CHECK(test::read_file(dir / ("model_comparison_" + m.type + "_map.csv")) == disagreement_map_csv(m.map));
    CHECK(std::filesystem::exists(dir / ("model_comparison_" + m.type + ".svg")));
  }
  CHECK(std::filesystem::exists(dir / "model_comparison_maps.svg"));
  const auto bad = test::run_cli("analysis model_comparison cliff_hill_v05 --ticks 2 --draw -1 --out " + dir.string());
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--draw") != std::string::npos);
}

// Foong et al. 2019's "in-between" weakness of mean-field networks, on the lesson's experiment as
// the README measures it: two clusters with the default gap (the middle half of x removed), 200
// random transitions. Measured on seeds 0-4 (gap_ratio = epistemic sd in the gap / in the
// clusters): ensemble 1.22, 1.11, 1.34, 0.88, 1.19; GP 3.69, 1.81, 4.63, 2.72, 5.43; BNN 0.81,
// 0.74, 0.80, 0.74, 0.99. Seed 0 here.
TEST_CASE("two clusters on cliff_hill_uncertainty: the GP and the ensemble widen in the gap, the BNN "
          "does not" * doctest::skip(test::kSanitized)) {
  const auto dir = test::temp_dir("model_comparison_in_between");
  const auto res = test::run_cli("analysis model_comparison cliff_hill_uncertainty --ticks 700 "
                                 "--two-clusters --seed 0 --quiet --out " + dir.string());
  REQUIRE(res.exit_code == 0);
  // model_comparison.csv: one row per model, its type first and gap_ratio last.
  std::map<std::string, double> ratio;
  std::istringstream csv(test::read_file(dir / "model_comparison.csv"));
  std::string line;
  std::getline(csv, line);  // the header
  while (std::getline(csv, line))
    ratio[line.substr(0, line.find(','))] = std::stod(line.substr(line.rfind(',') + 1));
  REQUIRE(ratio.size() == 3);
  MESSAGE("gap ratios: ensemble " << ratio["ensemble"] << ", gp " << ratio["gp"] << ", bnn " << ratio["bnn"]);
  CHECK(ratio["ensemble"] > 1);
  CHECK(ratio["gp"] > 1);
  CHECK(ratio["bnn"] < 1);
}

}  // namespace test_model_comparison
