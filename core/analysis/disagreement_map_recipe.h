#pragma once
// The disagreement map as the user sees it (GUI lab "Disagreement map", dynalab-cli analysis
// disagreement_map, and analysis/disagreement_map.csv of every mbrl run): one recipe, one set of
// numbers. Epistemic and aleatoric variance of s' (summed over obs dims, all members; see
// disagreement_map.h) on a cells x cells grid over two obs dims; the other dims held at the
// current state, the action held at the planner's next action (or a given one); each axis spans
// the training data's range with the current state, widened by half of it on both sides.

#include <string>
#include <vector>

#include "core/analysis/disagreement_map.h"
#include "core/analysis/model_inputs.h"
#include "core/heatmap.h"

namespace dynalab {

struct DisagreementMapRecipe {
  int dim_x = 0, dim_y = 1;  ///< obs dims on the axes (y = x in a 1-D env: a band)
  int cells = 48;            ///< per axis: 2304 inputs, one batched predict
  double widen = 0.5;        ///< share of the data's span shown beyond it on each side
  Vec action;                ///< the action held fixed; empty: the planner's next action
};

struct DisagreementMapView {
  DisagreementMap map;
  std::vector<double> px, py;  ///< training states on the two dims (at most kMaxTrainingDots)
  double base_x = 0, base_y = 0;  ///< the held state on the two dims
  Vec action;                     ///< the action used
  bool deterministic_world = false;  ///< ModelInputs::deterministic_world (aleatoric: learned only)
};

/// Computes the map. Throws std::invalid_argument on dims out of range or a wrong action size.
DisagreementMapView disagreement_map_view(const ModelInputs& in,
                                          const DisagreementMapRecipe& recipe = {});

/// x,y,epistemic,aleatoric: one row per cell, x fastest (cell centres in obs units, variances in
/// obs units squared).
std::string disagreement_map_csv(const DisagreementMapView& v);

/// The two panels (epistemic, aleatoric) as heat maps with the training states and the held
/// state, axes named by `names` (one per obs dim).
std::vector<Heatmap> disagreement_map_heatmaps(const DisagreementMapView& v,
                                               const std::vector<std::string>& names,
                                               bool log_colour = true);

}  // namespace dynalab
