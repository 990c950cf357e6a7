#pragma once
// Three models side by side on the same data (issue 19; GUI lab "Three models", dynalab-cli
// analysis model_comparison): the transitions the experiment's model was fit on are fit again by
// a bootstrap ensemble (PETS, Chua et al. 2018), an exact GP per target column (Rasmussen &
// Williams 2006) and a mean-field Bayes-by-Backprop network (Blundell et al. 2015), each built by
// make_learned_model from the experiment's model config with only model.type changed (and
// what the kind requires: a BNN's likelihood is Gaussian, so prediction = probabilistic; a GP
// predicts no termination). Each model then gives the lab's 1-D uncertainty slice (the same
// UncertaintySliceRecipe; the GP adds joint posterior function draws) and its disagreement map
// (the same DisagreementMapRecipe), shown as the epistemic standard deviation.
//
// "Two clusters" keeps only the transitions whose slice-dim value lies outside the middle `gap`
// fraction of the data's range on that dim (default 1/2: the outer quarters; with 1/3 the
// ensemble widened on 2 of 5 seeds on cliff_hill_uncertainty, with 1/2 on 4 of 5, README). Mean-field variational
// networks are known to be overconfident BETWEEN clusters of data ("in-between uncertainty",
// Foong, Li, Hernandez-Lobato & Turner 2019), where an ensemble and a GP widen; gap_sd /
// cluster_sd measures it per model.
//
// Deterministic given the recipe's seed: every model's initialisation, split, minibatches, GP
// subset and function draws come from Rng::derive(seed, ...). The fit is cut into bounded units
// (one LearnedModel::train_epoch each) so the GUI's worker stays responsive; "draw a new
// network" redraws only the BNN's weight samples (BnnDynamics::draw_posterior_samples) from
// (seed, network_draw), without refitting anything.

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/analysis/disagreement_map_recipe.h"
#include "core/analysis/model_inputs.h"
#include "core/analysis/uncertainty_slice_recipe.h"
#include "core/figure.h"
#include "core/heatmap.h"
#include "core/rng.h"

namespace dynalab {

class LearnedModel;
struct ModelConfig;

/// The model kinds compared, in display order, and their panel titles.
inline constexpr int kComparedModels = 3;
const std::array<std::string, kComparedModels>& compared_model_types();   ///< ensemble, gp, bnn
const std::array<std::string, kComparedModels>& compared_model_titles();  ///< "Ensemble", ...

struct ModelComparisonRecipe {
  UncertaintySliceRecipe slice;  ///< dim, output, widen, points, action of the three slices
  DisagreementMapRecipe map;     ///< dims and cells of the three maps
  bool two_clusters = false;     ///< fit outside the middle `gap` of slice.dim's range only
  double gap = 0.5;              ///< the fraction of the range removed, in (0, 1)
  int function_samples = 5;      ///< the GP's joint posterior draws on the slice, >= 0
  uint64_t seed = 0;             ///< every draw of the fits, the GP's samples and the BNN's redraws
  /// 0: the BNN's weight draws as its fit left them; k > 0: the k-th redraw (from seed and k).
  int network_draw = 0;
};

/// The transitions of `data` whose obs[dim] lies outside the middle `gap` fraction of
/// [min, max] of obs[dim] over `data` (the outer (1 - gap) / 2 on each side, inclusive). Throws
/// InputError if dim is out of range or gap is not in (0, 1).
Dataset two_clusters(const Dataset& data, int dim, double gap = 0.5);

/// The three fits, in bounded units: construct, step() until it returns false, read model(k).
class ModelComparisonFit {
 public:
  /// Copies `data` (two_clusters of it if recipe.two_clusters) and builds the three models from
  /// `model` (training threads = 1: the lab's worker is one thread). Throws InputError naming
  /// the field on a slice dim out of range, or fewer than 8 transitions to fit.
  ModelComparisonFit(const Dataset& data, const ModelConfig& model,
                     const ModelComparisonRecipe& recipe);
  /// One training unit of the model being fit (ensemble, then GP, then BNN). False when all
  /// three are done (then it does nothing).
  bool step();
  void run() {
    while (step()) {
    }
  }
  bool done() const { return current_ >= kComparedModels; }
  /// The model being fit (kComparedModels when done) and its units so far.
  int current() const { return current_; }
  int units(int k) const { return units_[size_t(k)]; }
  /// "fitting the Gaussian process (unit 7 of at most 20)" or "fitted".
  std::string stage() const;
  /// Fraction done, in [0, 1]: whole models done plus the current one's units over its cap.
  double progress() const;
  std::shared_ptr<const LearnedModel> model(int k) const { return models_[size_t(k)]; }
  /// The transitions the three were fit on, and how many the source data had.
  const std::shared_ptr<const Dataset>& data() const { return data_; }
  size_t source_rows() const { return source_rows_; }
  bool two_clusters() const { return two_clusters_; }
  int dim() const { return dim_; }
  uint64_t seed() const { return seed_; }

 private:
  std::shared_ptr<const Dataset> data_;
  std::array<std::shared_ptr<LearnedModel>, kComparedModels> models_;
  std::array<int, kComparedModels> units_{}, max_units_{};
  std::vector<Rng> rngs_;
  int current_ = 0, dim_ = 0;
  bool two_clusters_ = false, begun_ = false;
  size_t source_rows_ = 0;
  uint64_t seed_ = 0;
};

/// One model's panel.
struct ComparedModel {
  std::string type, title, shape;  ///< "gp", "Gaussian process", describe_shape()
  UncertaintySliceView slice;      ///< changes of slice.output along slice.dim
  DisagreementMapView map;         ///< map.map.epistemic is a variance (summed over obs dims)
  int units = 0;                   ///< training units the fit used
  /// Mean epistemic SD along the slice over its points in the middle `gap` of the fit data's
  /// range on the slice dim (the gap, with two clusters) and over those outside it.
  double gap_sd = std::numeric_limits<double>::quiet_NaN();
  double cluster_sd = std::numeric_limits<double>::quiet_NaN();
  double gap_ratio() const { return gap_sd / cluster_sd; }
};

struct ModelComparisonView {
  std::array<ComparedModel, kComparedModels> models;
  size_t rows = 0, source_rows = 0;  ///< transitions fitted, and in the experiment's data
  bool two_clusters = false;
  int network_draw = 0;
  double gap_lo = 0, gap_hi = 0;  ///< the middle `gap` of the fit data's range on the slice dim
  double y_lo = 0, y_hi = 1;      ///< the slices' shared y range (changes, obs units)
};

/// The three slices and maps of `fit`'s models at `in`'s held state and action (in.model is not
/// used; in.summary's range keeps the axes those of the experiment's data). Throws
/// std::invalid_argument on dims out of range or a wrong action size, InputError on
/// function_samples < 0 or network_draw < 0.
ModelComparisonView model_comparison_view(const ModelInputs& in, const ModelComparisonFit& fit,
                                          const ModelComparisonRecipe& recipe);

/// The label of the slices' series that marks the gap [gap_lo, gap_hi] (with two clusters): two
/// vertical lines, split by a NaN.
inline constexpr const char* kGapEdgesLabel = "gap edges";

/// The fit and the view in one call, on this thread (the CLI's analysis and the lesson claims;
/// the GUI fits in units on its worker instead). Throws as the two.
ModelComparisonView fit_model_comparison(const ModelInputs& in, const ModelComparisonRecipe& recipe);

/// The three slice figures ("model_comparison_<type>", titled by compared_model_titles()), on
/// the view's shared y range: the epistemic band (and the aleatoric one in a noisy world), the
/// members (the GP's mean and its function draws; the BNN's weight draws) and the fit data near
/// the slice.
std::vector<Figure> model_comparison_figures(const ModelComparisonView& v,
                                             const std::vector<std::string>& names);
/// The three maps of the epistemic SD (the root of the map's summed variance) on one log
/// colour scale, the fit data as dots.
std::vector<Heatmap> model_comparison_heatmaps(const ModelComparisonView& v,
                                               const std::vector<std::string>& names);
/// model,title,rows,source_rows,two_clusters,network_draw,gap_lo,gap_hi,gap_sd,cluster_sd,
/// gap_ratio: one row per model.
std::string model_comparison_summary_csv(const ModelComparisonView& v);
/// "ensemble 1.9x, gp 4.2x, bnn 1.1x": each model's gap_sd / cluster_sd.
std::string gap_ratios_text(const ModelComparisonView& v);

}  // namespace dynalab
