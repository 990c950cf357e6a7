#pragma once
// The ensemble-size figure as the user sees it (GUI lab "Ensemble size", dynalab-cli analysis
// ensemble_size): validation MSE and NLL vs ensemble size E for fresh probabilistic (PE) and
// deterministic (DE) ensembles (EnsembleSizeStudy, ensemble_size_study.h) of the experiment's
// model shape, trained on the latest at most max_rows transitions of the model's training data.
// Epochs come from a work budget (~work_flops over both kinds and all sizes, clamped to
// [min_epochs, max_epochs]): small networks train to convergence, big ones get at least 10, and
// the lecture hall does not wait. Stepwise (step() = one epoch of one size of one kind) so the
// GUI can show partial results and cancel.

#include <memory>
#include <string>
#include <vector>

#include "core/analysis/ensemble_size_study.h"
#include "core/figure.h"

namespace dynalab {

struct EnsembleSizeRecipe {
  std::vector<int> sizes = {1, 2, 3, 5, 8};
  size_t max_rows = 600;      ///< the most recent transitions used
  double work_flops = 3e10;   ///< training budget over both kinds and all sizes
  int min_epochs = 10, max_epochs = 150;
  uint64_t seed = 0;
};

class EnsembleSizeComparison {
 public:
  /// Copies the last max_rows transitions of `data` (>= 8 needed: throws std::invalid_argument).
  EnsembleSizeComparison(const Dataset& data, const ModelConfig& model,
                         const EnsembleSizeRecipe& recipe = {});
  /// One bounded unit (one epoch, or scoring a size). False once both kinds are done.
  bool step();
  /// Steps to the end.
  void run() {
    while (step()) {
    }
  }
  bool done() const { return kind_ >= 2; }
  /// Fraction done over both kinds, in [0, 1].
  double progress() const;
  /// Finished sizes of the probabilistic and the deterministic study.
  const std::vector<EnsembleSizePoint>& probabilistic() const { return results_[0]; }
  const std::vector<EnsembleSizePoint>& deterministic() const { return results_[1]; }
  int epochs() const { return epochs_; }
  size_t rows() const { return rows_; }

 private:
  Dataset data_;
  ModelConfig model_;
  EnsembleSizeStudyConfig study_cfg_;
  std::unique_ptr<EnsembleSizeStudy> study_;
  std::vector<EnsembleSizePoint> results_[2];
  int kind_ = 0, epochs_ = 0;
  size_t rows_ = 0;
};

/// The two figures, "ensemble_size_mse" and "ensemble_size_nll", one series per kind. A
/// deterministic member alone has no variance: its NLL can be orders of magnitude above the
/// rest and would flatten the plot, so DE points far above every PE point are NaN in the NLL
/// figure and named in `off_scale` ("DE with E = 1: NLL 1.2e+04"; "" if none).
struct EnsembleSizeFigures {
  Figure mse, nll;
  std::string off_scale;
};
EnsembleSizeFigures ensemble_size_figures(const std::vector<EnsembleSizePoint>& probabilistic,
                                          const std::vector<EnsembleSizePoint>& deterministic);

/// kind,size,val_mse,val_nll,train_mse: one row per kind and size (unclipped).
std::string ensemble_size_csv(const std::vector<EnsembleSizePoint>& probabilistic,
                              const std::vector<EnsembleSizePoint>& deterministic);

}  // namespace dynalab
