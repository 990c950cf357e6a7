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
#include <string>
#include <vector>

#include "core/config.h"
#include "core/models/adam.h"
#include "core/models/dynamics_model.h"
#include "core/models/losses.h"
#include "core/models/mlp.h"

namespace dynalab {

class Dataset;
class Rng;

/// Largest ensemble accepted by the config (a typo like 10^9 members is an error, not an OOM).
inline constexpr int kMaxEnsembleSize = 64;
/// Limit on ModelConfig::weight_count(): 2e7 floats is 80 MB per copy (weights, gradients,
/// two Adam moments and the divergence backup make five).
inline constexpr long long kMaxModelWeights = 20000000;

struct ModelConfig {
  /// What each member predicts: s' (deterministic, MSE loss) or a Gaussian over s'
  /// (probabilistic, Gaussian NLL): the D and P of PETS's DE and PE. "system_id" replaces the
  /// networks by the env's own equations with a few physical parameters fit by least squares
  /// (core/models/system_id_model.h; envs with Env::parametric_dynamics(), e.g. cliff_hill); the
  /// network fields below are then unused and the reward comes from the env's closed form.
  std::string prediction = "probabilistic";
  std::vector<int> hidden = {200, 200, 200};
  std::string activation = "silu";
  int ensemble_size = 5;
  bool bootstrap = true;
  double learning_rate = 1e-3;
  double weight_decay = 5e-5;  ///< decoupled (AdamW), weights only
  int batch_size = 256;
  int epochs = 50;   ///< max epochs per fit
  int patience = 5;  ///< epochs without validation improvement before stopping
  double val_fraction = 0.1;
  bool learn_reward = false;
  /// Predict P(terminated) as an extra output (after the reward), trained on the dataset's 0/1
  /// `terminated` column: the fallback for envs without a closed-form Env::terminated.
  bool learn_termination = false;
  /// Members used for planning, best validation score first (mbrl-lib's num_elites; the key is
  /// not "elites", which is CEM's elite candidates in the planner section).
  int elite_members = 5;
  int threads = 2;  ///< training threads (results do not depend on it)

  static const std::vector<std::string>& predictions() {
    static const std::vector<std::string> k = {"deterministic", "probabilistic", "system_id"};
    return k;
  }
  template <class V>
  void visit(V& v) {
    v.choice("prediction", prediction, predictions(), Apply::on_reset,
             "each member predicts s' (deterministic, MSE) or a Gaussian (probabilistic, NLL); "
             "system_id: the env's physics with a few parameters fit by least squares");
    v.field("hidden", hidden, Range::closed(1, 4096), Apply::on_reset, "hidden layer widths");
    v.choice("activation", activation, activation_names(), Apply::on_reset, "hidden activation");
    v.field("ensemble_size", ensemble_size, Range::closed(1, kMaxEnsembleSize), Apply::on_reset,
            "members E");
    v.field("bootstrap", bootstrap, Apply::on_reset,
            "resample each member's data with replacement");
    v.field("learning_rate", learning_rate, Range::positive(), Apply::live, "Adam step size");
    v.field("weight_decay", weight_decay, Range::closed(0, 1), Apply::live,
            "decoupled weight decay");
    v.field("batch_size", batch_size, Range::closed(1, 1 << 20), Apply::live, "minibatch size");
    v.field("epochs", epochs, Range::closed(1, 100000), Apply::live, "max epochs per fit");
    v.field("patience", patience, Range::closed(1, 100000), Apply::live, "early stopping patience");
    v.field("val_fraction", val_fraction, Range{0, 1, false, true}, Apply::on_reset,
            "held-out fraction for validation");
    v.field("learn_reward", learn_reward, Apply::on_reset, "predict the reward as an extra output");
    v.field("learn_termination", learn_termination, Apply::on_reset,
            "predict whether a transition ends the episode as an extra output");
    v.field("elite_members", elite_members, Range::closed(1, kMaxEnsembleSize), Apply::live,
            "best members used for planning (<= ensemble_size)");
    v.field("threads", threads, Range::closed(1, 64), Apply::live, "training threads");
    // Cross-field limits, checked while reading so the message names the file; a config may
    // never make the ensemble allocate more than kMaxModelWeights floats per weight array.
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      if (prediction == "system_id" && (learn_reward || learn_termination))
        v.fail(learn_reward ? "learn_reward" : "learn_termination",
               "false with prediction = system_id (its equations give the next state only; the "
               "reward and termination come from the env), got true");
      if (elite_members > ensemble_size)
        v.fail("elite_members", "at most ensemble_size (" + std::to_string(ensemble_size) +
                                    "), got " + std::to_string(elite_members));
      if (hidden.empty()) v.fail("hidden", "at least one hidden layer width, got []");
      if (hidden.size() > 64)
        v.fail("hidden", "at most 64 hidden layers, got " + std::to_string(hidden.size()));
      if (weight_count() > kMaxModelWeights)
        v.fail("hidden", "at most " + std::to_string(kMaxModelWeights) +
                             " hidden weights over all members (ensemble_size x the products of "
                             "consecutive widths), got " + std::to_string(weight_count()));
    }
  }
  /// Hidden-to-hidden weights and biases over all members: the part of the model's size that
  /// the config alone decides (the input and output layers add dims x widths).
  long long weight_count() const {
    long long per = 0;
    for (size_t i = 0; i < hidden.size(); ++i)
      per += (long long)hidden[i] * (i + 1 < hidden.size() ? hidden[i + 1] + 1 : 1);
    return per * ensemble_size;
  }
  /// Cross-field checks (elite_members <= ensemble_size, hidden not empty); throws InputError
  /// naming `where` (e.g. "cfg.json: model").
  void validate(const std::string& where) const;
};

/// Per-dimension affine normaliser x_n = (x - mean) / std, fit on the training rows.
struct Normalizer {
  Eigen::RowVectorXf mean, std;
  /// Fits mean and std over the rows of x; a std below 1e-6 becomes 1 (constant columns).
  void fit(const Eigen::MatrixXf& x);
};

/// What one epoch did; losses are in normalised target units, means over members.
struct EpochStats {
  int epoch = 0;  ///< epochs done since begin_training
  double train_loss =
      std::numeric_limits<double>::quiet_NaN();  ///< the objective (MSE or NLL + bound penalty)
  double train_mse = std::numeric_limits<double>::quiet_NaN();  ///< MSE of the mean prediction
  double val_mse = std::numeric_limits<double>::quiet_NaN();    ///< NaN without validation data
  double val_nll = std::numeric_limits<double>::quiet_NaN();    ///< probabilistic members only
  /// Per member: validation NLL (probabilistic) or MSE (deterministic); the training objective
  /// without validation data. Early stopping and elites use it.
  std::vector<double> member_score;
  bool improved = false;  ///< some member reached a new best score
  bool done = false;      ///< stopped (max epochs, patience or divergence); best weights restored
  bool diverged =
      false;  ///< a loss or gradient became NaN/Inf (weights restored, training stopped)
};

/// Per-member predictions of a batch: E x (n x D) means and aleatoric variances.
using EnsemblePrediction = MemberPredictions;

/// The DynamicsModel of the first wave; its rollout members are the elites.
class Ensemble : public DynamicsModel {
 public:
  /// E members of `config` for the given dimensions; member m is initialised from
  /// Rng::derive(seed, {m}). Throws InputError if the config is invalid.
  Ensemble(const ModelConfig& config, int obs_dim, int action_dim, uint64_t seed);

  /// The configuration the ensemble was built with (training fields may have been changed live).
  const ModelConfig& config() const { return cfg_; }
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
  void set_training_config(const ModelConfig& c);

  /// Fresh random weights from `seed`, identity normalisers, clears diverged and training state.
  void reinitialize(uint64_t seed);

  /// Prepares training on `data`: splits a validation set (val_fraction, drawn from rng), fits
  /// the normalisers on the training rows, draws each member's bootstrap sample. Call when the
  /// dataset changed; weights are kept (warm start). Needs at least 2 transitions.
  void begin_training(const Dataset& data, Rng& rng);
  /// One pass over every member's training sample in minibatches (one Adam step each).
  /// After `done`, further calls do nothing and return the last stats.
  EpochStats train_epoch(Rng& rng);
  /// begin_training + train_epoch until done; on_epoch (optional) sees each epoch.
  EpochStats fit(const Dataset& data, Rng& rng,
                 const std::function<void(const EpochStats&)>& on_epoch = {});
  /// True once the current training stopped (or none was begun).
  bool training_done() const { return done_; }
  /// True if training hit NaN/Inf; sticky until reinitialize().
  bool diverged() const { return diverged_; }
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
  std::string to_bytes() const;
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
  void load_bytes(const std::string& bytes, const std::string& source);
  /// "E probabilistic members, 4+1 -> 200x200x200 silu -> 4" (for messages and the GUI).
  std::string describe_shape() const;

 private:
  struct Member {
    Mlp net;
    LogVarBounds<float> bounds;
    Adam adam, adam_bounds;
    Eigen::VectorXf decay_mask;
    std::vector<int> sample;                                 // training rows (bootstrap or all)
    Eigen::VectorXf best, best_bounds_max, best_bounds_min;  // best weights so far
    Eigen::VectorXf good;  // weights at epoch start (restored on divergence)
    LogVarBounds<float> good_bounds;
    double best_score = std::numeric_limits<double>::infinity();
    MlpT<float>::Cache cache;
  };
  struct MemberEpoch {
    double loss = 0, mse = 0, val_mse = 0, val_nll = 0, score = 0;
    bool diverged = false;
  };
  MemberEpoch train_member(int m, uint64_t epoch_seed);
  void choose_elites(const std::vector<double>& scores);
  MlpShape net_shape() const;
  void load_rows(const Dataset& data);  // x_raw_, y_raw_ from the dataset
  void normalise_rows();                // x_, y_, x_val_, y_val_ from the rows and normalisers

  ModelConfig cfg_;
  int obs_dim_, action_dim_;
  bool probabilistic_;
  std::vector<Member> members_;
  Normalizer in_norm_, out_norm_;
  std::vector<int> elites_;
  // Training state.
  Eigen::MatrixXf x_raw_, y_raw_;  // all rows (inputs, targets), real units
  Eigen::MatrixXf x_, y_;          // normalised, all rows
  std::vector<int> train_rows_, val_rows_;
  Eigen::MatrixXf x_val_, y_val_;
  int epoch_ = 0, since_improved_ = 0;
  bool done_ = true, diverged_ = false;
  EpochStats last_;
};

}  // namespace dynalab
