#pragma once
// Validation MSE and NLL vs ensemble size (the PETS paper's figure): for each E in `sizes`, train
// a fresh ensemble of E members on a fixed train split of a dataset and score the ensemble's
// MIXTURE prediction on a fixed validation split. The mixture is moment-matched per dimension:
//   mean     = mean over members of the member means
//   variance = mean over members of the member variances (aleatoric; 0 if deterministic)
//            + variance over members of the member means (epistemic, population variance)
// Scores are in normalised target units (each target dim of s' - s (and r) divided by its std on
// the train split) and averaged over validation rows and dims:
//   val_mse = mean (y - mean)^2
//   val_nll = mean 0.5 * (log(2 pi var) + (y - mean)^2 / var), var floored at var_floor
// (a single deterministic member has no variance at all; the floor keeps its NLL finite but
// large, which is the point of the figure).
//
// Bounded and deterministic: each size trains for exactly `epochs` epochs (no early stopping,
// the ensemble's own validation split is off: the study's split is the only one), member seeds
// and minibatches come from Rng::derive(seed, {...}), so results do not depend on threads.
// Stepwise: step() does ONE training epoch (or the scoring of a finished size), so the GUI can
// run it on a worker thread and show partial results; run() loops step().

#include <cstdint>
#include <memory>
#include <vector>

#include "core/dataset.h"
#include "core/models/ensemble.h"
#include "core/rng.h"

namespace dynalab {

struct EnsembleSizeStudyConfig {
  std::vector<int> sizes = {1, 2, 3, 4, 5};  ///< ensemble sizes, each in [1, kMaxEnsembleSize]
  int epochs = 20;                           ///< training epochs per size
  double val_fraction = 0.2;                 ///< held-out share of the transitions
  double var_floor = 1e-6;                   ///< floor on the mixture variance (normalised units)
  uint64_t seed = 0;
};

struct EnsembleSizePoint {
  int size = 0;          ///< E
  double val_mse = 0;    ///< normalised units
  double val_nll = 0;    ///< nats per dimension
  double train_mse = 0;  ///< mixture MSE on the train split (normalised units)
};

class EnsembleSizeStudy {
 public:
  /// Copies what it needs of `data` (>= 4 transitions) and `model` (its ensemble_size, elites,
  /// epochs, patience and val_fraction are overridden per size). Throws std::invalid_argument on
  /// too little data or a bad size.
  EnsembleSizeStudy(const Dataset& data, const ModelConfig& model,
                    const EnsembleSizeStudyConfig& config = {});
  ~EnsembleSizeStudy();
  EnsembleSizeStudy(EnsembleSizeStudy&&) noexcept;
  EnsembleSizeStudy& operator=(EnsembleSizeStudy&&) noexcept;

  /// One bounded unit: one training epoch of the current size, or scoring it once its epochs
  /// are done. Returns false when every size is done (then does nothing).
  bool step();
  /// Steps until done; returns results().
  const std::vector<EnsembleSizePoint>& run();
  bool done() const;
  /// Finished sizes, in the order of config().sizes.
  const std::vector<EnsembleSizePoint>& results() const { return results_; }
  /// Fraction of all epochs done, in [0, 1].
  double progress() const;
  /// The size being trained (0 when done) and its epochs done.
  int current_size() const;
  int current_epoch() const { return epoch_; }
  const EnsembleSizeStudyConfig& config() const { return cfg_; }
  size_t train_rows() const { return train_.size(); }
  size_t val_rows() const { return val_.size(); }

 private:
  void start_size();
  EnsembleSizePoint score(const Ensemble& e) const;

  EnsembleSizeStudyConfig cfg_;
  ModelConfig model_cfg_;
  Dataset train_, val_;
  Eigen::RowVectorXd target_std_;  // per target dim, on the train split
  std::unique_ptr<Ensemble> current_;
  Rng rng_{0};
  size_t index_ = 0;  // into cfg_.sizes
  int epoch_ = 0;
  std::vector<EnsembleSizePoint> results_;
};

/// Convenience: the whole study in one call.
std::vector<EnsembleSizePoint> ensemble_size_study(const Dataset& data, const ModelConfig& model,
                                                   const EnsembleSizeStudyConfig& config = {});

}  // namespace dynalab
