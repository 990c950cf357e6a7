#pragma once
// A bootstrap ensemble of E dynamics networks (PETS): each member maps the normalised input
// [s, a] to the normalised target [s' - s, (r)], either as a point prediction (deterministic,
// MSE) or as a Gaussian with mean and soft-bounded log-variance (probabilistic, NLL). Members
// differ by their init seed and, with bootstrap on, by their resampled training set; their
// spread is the epistemic uncertainty, a Gaussian member's variance the aleatoric one.
//
// Training is cut into bounded units for a tick()-driven loop: begin_training() once per new
// dataset, then train_epoch() per tick until it reports done (max epochs, or no member's
// validation score (NLL if probabilistic, else MSE) improved for `patience` epochs; then each
// member gets its best weights back). Members train in parallel on up to `threads` threads; each
// member's numbers depend only on its own random stream, so results are identical at any thread
// count.

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/models/adam.h"
#include "core/models/best_weights.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"
#include "core/models/losses.h"
#include "core/models/mlp.h"
#include "core/models/training_rows.h"

namespace dynalab {

class Dataset;
class Rng;

/// Per-member predictions of a batch: E x (n x D) means and aleatoric variances.
using EnsemblePrediction = MemberPredictions;

/// The DynamicsModel of the first wave; its rollout members are the elites.
class Ensemble : public LearnedModel {
 public:
  /// E members of `config` for the given dimensions; member m is initialised from
  /// Rng::derive(seed, {m}). Throws InputError if the config is invalid.
  Ensemble(const ModelConfig& config, int obs_dim, int action_dim, uint64_t seed);

  /// The configuration the ensemble was built with (training fields may have been changed live).
  const ModelConfig& config() const override { return cfg_; }
  std::shared_ptr<LearnedModel> clone() const override {
    return std::make_shared<Ensemble>(*this);
  }
  /// Observation and action dimensions; the network input is [s, a] (input_dim values).
  int obs_dim() const override { return obs_dim_; }
  int action_dim() const override { return action_dim_; }
  int input_dim() const { return obs_dim_ + action_dim_; }
  /// E, the number of members.
  int size() const { return cfg_.ensemble_size; }
  int members() const override { return size(); }
  /// The elites (see elites()).
  const std::vector<int>& rollout_members() const override { return elites_; }
  /// True for Gaussian (mean + log-variance) members, false for point predictions.
  bool probabilistic() const override { return probabilistic_; }
  /// True if the reward is predicted, in column obs_dim().
  bool learns_reward() const override { return cfg_.learn_reward; }
  /// True if P(terminated) is predicted, in column termination_column().
  bool learns_termination() const override { return cfg_.learn_termination; }
  /// The model file's flags word: bit 0 reward, bit 1 termination learned.
  uint32_t learned_outputs() const {
    return (cfg_.learn_reward ? 1u : 0u) | (cfg_.learn_termination ? 2u : 0u);
  }
  /// Live-editable settings (learning rate, batch size, patience...); the shape must not change.
  void set_training_config(const ModelConfig& c) override;

  /// Fresh random weights from `seed`, identity normalisers, clears diverged and training state.
  void reinitialize(uint64_t seed);

  /// Prepares training on `data`: splits a validation set (val_fraction, drawn from rng), fits
  /// the normalisers on the training rows, draws each member's bootstrap sample. Call when the
  /// dataset changed; weights are kept (warm start). Needs at least 2 transitions.
  void begin_training(const Dataset& data, Rng& rng) override;
  /// One pass over every member's training sample in minibatches (one Adam step each).
  /// After `done`, further calls do nothing and return the last stats.
  EpochStats train_epoch(Rng& rng) override;
  /// True once the current training stopped (or none was begun).
  bool training_done() const override { return done_; }
  /// True if training hit NaN/Inf; sticky until reinitialize().
  bool diverged() const override { return diverged_; }
  /// The stats of the last epoch.
  const EpochStats& last_stats() const { return last_; }
  /// Indices of the elite members (best validation score first); all members before training.
  const std::vector<int>& elites() const { return elites_; }

  /// Per-member predictions for obs (n x obs_dim) and actions (n x action_dim).
  void predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
               EnsemblePrediction& out) const override;
  /// See DynamicsModel (ensemble_inference.cpp): the fused inference of Mlp::predict on the
  /// gathered rows, normalisation and the log-variance bounds applied around it.
  std::unique_ptr<Workspace> make_workspace() const override;
  Eigen::Map<const Eigen::MatrixXf> predict_member(int member, const RowMatrixXf& obs,
                                                   const RowMatrixXf& actions, const int* rows,
                                                   long n, bool with_std,
                                                   Workspace& ws) const override;
  /// d mean / d [s, a] of member `member` by one backward pass (ensemble_inference.cpp).
  bool input_jacobian(int member, const Eigen::VectorXf& obs, const Eigen::VectorXf& action,
                      Eigen::MatrixXf& jacobian) const override;
  bool input_jacobians(int member, const RowMatrixXf& obs, const RowMatrixXf& actions,
                       std::vector<Eigen::MatrixXf>& jacobians) const override;

  /// Member m's network (input and output normalised); low-level access for tests that set
  /// weights by hand.
  const Mlp& net(int m) const { return members_[m].net; }
  Mlp& net(int m) { return members_[m].net; }
  /// Learned log-variance bounds of member m (probabilistic only; normalised units).
  const LogVarBounds<float>& bounds(int m) const { return members_[m].bounds; }
  /// Normalisers of the input [s, a] and of the target [s' - s, (r)], fit by begin_training().
  const Normalizer& input_normalizer() const { return in_norm_; }
  const Normalizer& target_normalizer() const { return out_norm_; }

  /// Writes weights, normalisers, elites and the shape to `path` (format in ensemble_io.cpp).
  void save(const std::filesystem::path& path) const;
  /// save()'s file content.
  std::string to_bytes() const override;
  std::string file_name() const override { return "ensemble.bin"; }
  /// Reads what save() wrote; the file's shape must equal this ensemble's, else InputError
  /// naming the file and the expected shape (also for truncated or foreign files).
  void load(const std::filesystem::path& path);
  /// Session support (ensemble_state.cpp): Adam moments and, mid-fit, the training split, the
  /// bootstrap samples, best weights and early-stopping counters. With save() this is the whole
  /// state: after load() + load_training_state() training continues bit-identically.
  void save_training_state(const std::filesystem::path& path) const;
  /// Reads save_training_state's file; `data` must be the dataset the fit began on (the rows are
  /// rebuilt from it). InputError naming the file on truncated or wrong-shape content.
  void load_training_state(const std::filesystem::path& path, const Dataset& data);
  /// save_training_state()'s file content, and load_training_state() from it (`source` names it).
  std::string training_state_bytes() const;
  void load_training_state_bytes(const std::string& bytes, const std::string& source, const Dataset& data);
  /// load() from the file's bytes; `source` names it in errors.
  void load_bytes(const std::string& bytes, const std::string& source) override;
  /// "E probabilistic members, 4+1 -> 200x200x200 silu -> 4" (for messages and the GUI).
  std::string describe_shape() const override;
  /// visit_ensemble (ensemble_session.h).
  void visit_state(StateVisitor& v, const Dataset& data) override;

 private:
  struct Member {
    Mlp net;
    LogVarBounds<float> bounds;
    Adam adam, adam_bounds;
    Eigen::VectorXf decay_mask;
    std::vector<int> sample;  // training rows (bootstrap or all)
    BestWeights best;         // best weights so far in this fit
    Eigen::VectorXf good;     // weights at epoch start (restored on divergence)
    LogVarBounds<float> good_bounds;
    MlpT<float>::Cache cache;
  };
  struct MemberEpoch {
    double loss = 0, mse = 0, val_mse = 0, val_nll = 0, score = 0;
    bool diverged = false;
  };
  MemberEpoch train_member(int m, uint64_t epoch_seed);
  void choose_elites(const std::vector<double>& scores);
  MlpShape net_shape() const;

  ModelConfig cfg_;
  int obs_dim_, action_dim_;
  bool probabilistic_;
  std::vector<Member> members_;
  Normalizer in_norm_, out_norm_;
  std::vector<int> elites_;
  // Training state.
  TrainingRows rows_;
  int epoch_ = 0, since_improved_ = 0;
  bool done_ = true, diverged_ = false;
  EpochStats last_;
};

}  // namespace dynalab
