#include "core/analysis/recipe_files.h"

#include <stdexcept>

#include "core/analysis/disagreement_map_recipe.h"
#include "core/analysis/ensemble_size_recipe.h"
#include "core/analysis/gp_fit_time.h"
#include "core/analysis/model_comparison.h"
#include "core/analysis/uncertainty_slice_recipe.h"
#include "core/config.h"
#include "core/io/atomic_file.h"
#include "core/export/figure_svg.h"
#include "core/export/heatmap_svg.h"
#include "core/models/ensemble.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"

namespace dynalab {

const std::vector<std::string>& analysis_recipes() {
  static const std::vector<std::string> names = {"disagreement_map", "uncertainty_slice",
                                                 "ensemble_size", "model_comparison",
                                                 "gp_fit_time"};
  return names;
}

namespace {

void check_choices(const ModelInputs& in, const RecipeChoices& c) {
  for (int d : c.dims)
    if (d < 0 || d >= in.obs_dim())
      throw InputError("--dims: expected obs dims in [0, " + std::to_string(in.obs_dim() - 1) +
                       "], got " + std::to_string(d));
  if (c.action.size() > 0 && c.action.size() != in.plan_action.size())
    throw InputError("--action: expected " + std::to_string(in.plan_action.size()) +
                     " values (the env's action dims), got " + std::to_string(c.action.size()));
}

// The slice of the user's choices: --dims A,B are its input and output, --cells its points.
UncertaintySliceRecipe slice_recipe(const RecipeChoices& c) {
  UncertaintySliceRecipe r;
  if (c.dims.size() > 0) r.dim = c.dims[0];
  if (c.dims.size() > 1) r.output = c.dims[1];
  if (c.cells > 0) r.points = c.cells;
  r.action = c.action;
  return r;
}

}  // namespace

std::vector<std::string> write_recipe_files(const std::string& name, const ModelInputs& in,
                                            const RecipeChoices& c,
                                            const std::filesystem::path& dir) {
  check_choices(in, c);
  ensure_directory(dir);
  if (name == "disagreement_map") {
    DisagreementMapRecipe r;
    r.dim_y = in.obs_dim() > 1 ? 1 : 0;
    if (c.dims.size() > 0) r.dim_x = c.dims[0];
    if (c.dims.size() > 1) r.dim_y = c.dims[1];
    if (r.dim_y == r.dim_x && in.obs_dim() > 1) throw InputError("--dims: expected two different dims");
    if (c.cells > 0) r.cells = c.cells;
    r.action = c.action;
    const DisagreementMapView v = disagreement_map_view(in, r);
    write_file_atomic(dir / "disagreement_map.csv", disagreement_map_csv(v));
    write_file_atomic(dir / "disagreement_map.svg",
                      heatmaps_to_svg(disagreement_map_heatmaps(v, in.obs_names)));
    return {"disagreement_map.csv", "disagreement_map.svg"};
  }
  if (name == "uncertainty_slice") {
    const UncertaintySliceRecipe r = slice_recipe(c);
    const UncertaintySliceView v = uncertainty_slice_view(in, r);
    write_file_atomic(dir / "uncertainty_slice.csv", uncertainty_slice_csv(v));
    write_file_atomic(dir / "uncertainty_slice.svg", figure_to_svg(uncertainty_slice_figure(v, in.obs_names)));
    return {"uncertainty_slice.csv", "uncertainty_slice.svg"};
  }
  if (name == "ensemble_size") {
    if (!in.training_data || in.training_data->size() < 8)
      throw InputError("ensemble_size: needs at least 8 training transitions; run more ticks");
    EnsembleSizeComparison study(*in.training_data, in.model->config());
    study.run();
    const EnsembleSizeFigures f = ensemble_size_figures(study.probabilistic(), study.deterministic());
    write_file_atomic(dir / "ensemble_size.csv",
                      ensemble_size_csv(study.probabilistic(), study.deterministic()));
    write_file_atomic(dir / "ensemble_size_mse.svg", figure_to_svg(f.mse));
    write_file_atomic(dir / "ensemble_size_nll.svg", figure_to_svg(f.nll));
    return {"ensemble_size.csv", "ensemble_size_mse.svg", "ensemble_size_nll.svg"};
  }
  if (name == "model_comparison") {
    if (!in.training_data) throw InputError("model_comparison: no training data yet; run more ticks");
    ModelComparisonRecipe r;
    r.slice = slice_recipe(c);
    r.map.dim_y = in.obs_dim() > 1 ? 1 : 0;  // the disagreement map's grid (its default dims)
    r.two_clusters = c.two_clusters, r.gap = c.gap, r.network_draw = c.network_draw, r.seed = in.seed;
    const ModelComparisonView v = fit_model_comparison(in, r);
    std::vector<std::string> files{"model_comparison.csv"};
    write_file_atomic(dir / files[0], model_comparison_summary_csv(v));
    const auto figures = model_comparison_figures(v, in.obs_names);
    for (size_t k = 0; k < v.models.size(); ++k) {
      const std::string stem = "model_comparison_" + v.models[k].type;
      write_file_atomic(dir / (stem + ".csv"), uncertainty_slice_csv(v.models[k].slice));
      write_file_atomic(dir / (stem + "_map.csv"), disagreement_map_csv(v.models[k].map));
      write_file_atomic(dir / (stem + ".svg"), figure_to_svg(figures[k]));
      files.insert(files.end(), {stem + ".csv", stem + "_map.csv", stem + ".svg"});
    }
    write_file_atomic(dir / "model_comparison_maps.svg", heatmaps_to_svg(model_comparison_heatmaps(v, in.obs_names)));
    files.push_back("model_comparison_maps.svg");
    return files;
  }
  if (name == "gp_fit_time") {
    if (!in.training_data) throw InputError("gp_fit_time: no training data yet; run more ticks");
    GpFitTimeRecipe r;
    if (c.max_points > 0) r.max_points = c.max_points;
    if (c.repetitions > 0) r.repetitions = c.repetitions;
    r.seed = in.seed;
    const ModelConfig& mc = in.model->config();
    GpFitTimeStudy study(*in.training_data, mc.gp, r);
    study.run();
    write_file_atomic(dir / "gp_fit_time.csv", gp_fit_time_csv(study.points()));
    write_file_atomic(dir / "gp_fit_time.svg",
                      figure_to_svg(gp_fit_time_figure(study.points(), r.repetitions, mc.gp.optimizer_iterations)));
    write_file_atomic(dir / "gp_fit_time.txt", gp_fit_time_text(study.points(), r.slope_points));
    return {"gp_fit_time.csv", "gp_fit_time.svg", "gp_fit_time.txt"};
  }
  std::string list;
  for (const auto& n : analysis_recipes()) list += (list.empty() ? "" : ", ") + n;
  throw InputError("analysis: expected a RECIPE, one of " + list + " or all, got '" + name + "'");
}

}  // namespace dynalab
