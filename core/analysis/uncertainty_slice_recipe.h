#pragma once
// The 1-D uncertainty slice as the user sees it (GUI lab "1-D slice", dynalab-cli analysis
// uncertainty_slice): every member's predicted CHANGE of one output dim in one step, s'[out] -
// s[out], along one input dim (points over the training range with the current state, widened by
// a whole span on each side, where the members fan out), the other dims and the action held;
// the aleatoric and epistemic variance at each point; and the training transitions near the
// line (every other dim within near_sd training std of the held state).

#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/disagreement_map.h"
#include "core/analysis/model_inputs.h"
#include "core/figure.h"

namespace dynalab {

struct UncertaintySliceRecipe {
  int dim = 0;          ///< the varied obs dim
  int output = -1;      ///< the predicted dim; -1: the partner dim (position -> velocity)
  int points = 161;     ///< along the slice
  double widen = 1.0;   ///< share of the data's span shown beyond it on each side
  Vec action;           ///< the action held fixed; empty: the planner's next action
  double near_sd = 0.5; ///< "near the slice": within this many training std in every other dim
  int max_points = 800; ///< training transitions shown at most
  /// Joint posterior draws of the mean function to add (a GP's; models whose members are
  /// already function draws give none), from Rng(sample_seed).
  int function_samples = 0;
  uint64_t sample_seed = 0;
};

struct UncertaintySliceView {
  /// The members' predictions; means are CHANGES s'[out] - s[out] (the identity part of s' would
  /// dwarf the members' differences; variances are unchanged by the shift).
  DisagreementSlice slice;
  std::vector<double> px, py;  ///< training transitions near the slice: s[dim], s'[out] - s[out]
  double base = 0;             ///< the held state on the varied dim
  double near_sd = 0.5;
  Vec action;  ///< the action used
  /// The world draws no noise (ModelInputs::deterministic_world): the figure leaves the
  /// aleatoric band out and says so in its title, rather than show noise the world does not have.
  bool deterministic_world = false;
};

/// The default output dim for input `dim` of `obs_dim` dims: the partner dim in the usual
/// [positions..., velocities...] layout.
int partner_dim(int dim, int obs_dim);

/// Computes the slice. Throws std::invalid_argument on dims out of range or a wrong action size.
UncertaintySliceView uncertainty_slice_view(const ModelInputs& in,
                                            const UncertaintySliceRecipe& recipe = {});

/// The figure "uncertainty_slice": aleatoric and epistemic +-2 sd bands (each a "... lo" and a
/// "... +-2 sd" series), one series per member's mean, one per function draw ("function draws",
/// "function draw 2"...) and the nearby training data. In a deterministic world there is no
/// aleatoric band: the title ends "(noiseless world)".
Figure uncertainty_slice_figure(const UncertaintySliceView& v, const std::vector<std::string>& names);

/// x,mean,epistemic,aleatoric,member_1,...,member_E[,sample_1,...,sample_S]: one row per point
/// (changes in obs units, variances in obs units squared).
std::string uncertainty_slice_csv(const UncertaintySliceView& v);

}  // namespace dynalab
