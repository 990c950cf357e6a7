#pragma once
// The analysis recipes as files: each recipe's numbers as CSV and its picture as SVG, written by
// dynalab-cli analysis RECIPE EXPERIMENT --out DIR from the same ModelInputs the GUI's lab uses.
//   disagreement_map   disagreement_map.csv (x,y,epistemic,aleatoric), disagreement_map.svg
//   uncertainty_slice  uncertainty_slice.csv (x,mean,epistemic,aleatoric,member_*),
//                      uncertainty_slice.svg
//   ensemble_size      ensemble_size.csv (kind,size,val_mse,val_nll,train_mse),
//                      ensemble_size_mse.svg, ensemble_size_nll.svg
//   model_comparison   an ensemble, a GP and a BNN fit on the same data (model_comparison.h):
//                      model_comparison.csv (per model the gap ratio), per model
//                      model_comparison_<type>.csv (its slice, as uncertainty_slice.csv, with
//                      the GP's sample_* columns) and model_comparison_<type>_map.csv (its map,
//                      as disagreement_map.csv); model_comparison_<type>.svg (the slices on one
//                      y range) and model_comparison_maps.svg (the epistemic SD maps)
//   gp_fit_time        GP training seconds vs N on the experiment's data (gp_fit_time.h):
//                      gp_fit_time.csv (n,evaluation_s,fit_s,...), gp_fit_time.svg (log-log,
//                      with a slope-3 guide), gp_fit_time.txt (the table and the slopes)
// model_comparison and gp_fit_time draw from the experiment's seed (ModelInputs::seed).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/analysis/model_inputs.h"

namespace dynalab {

/// The recipe names, in the order of the GUI lab's tabs.
const std::vector<std::string>& analysis_recipes();

/// Choices a user may change; unset fields keep each recipe's defaults (the GUI's).
struct RecipeChoices {
  std::vector<int> dims;  ///< map: x, y; slice: input, output (each optional)
  Vec action;             ///< the action held fixed; empty: the planner's next action
  int cells = 0;          ///< map cells per axis / slice points (0: the recipe's default)
  // model_comparison only:
  bool two_clusters = false;  ///< fit outside the middle `gap` of the slice dim only
  double gap = 0.5;           ///< model_comparison: the fraction of the range removed
  int network_draw = 0;       ///< the BNN's k-th redraw of its weight samples (0: the fit's)
  // gp_fit_time only (0: the recipe's default):
  int max_points = 0;   ///< the ladder's largest N
  int repetitions = 0;  ///< timed runs per point
};

/// Runs recipe `name` on `in` and writes its files into `dir` (created if needed). Returns the
/// file names written. Throws InputError on an unknown name, bad dims or action length.
std::vector<std::string> write_recipe_files(const std::string& name, const ModelInputs& in,
                                            const RecipeChoices& choices,
                                            const std::filesystem::path& dir);

}  // namespace dynalab
