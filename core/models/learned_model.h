#pragma once
// LearnedModel: a DynamicsModel that is fit to a Dataset in bounded units of work, whatever it
// is inside: the bootstrap ensemble (ensemble.h), a Gaussian process per target column
// (gp/gp_dynamics.h) or a Bayes-by-Backprop network (bnn/bnn_dynamics.h). Agents that learn a
// model (MPC, MBPO, policy backprop) hold one through this interface and build it with
// make_learned_model(); every view and propagation mode then works for each kind unchanged.
//
// Training is cut for a tick()-driven loop: begin_training() once per new dataset, then
// train_epoch() per tick until it reports done. What an "epoch" is belongs to the model: one
// pass of minibatches for networks, a few optimiser iterations of the marginal likelihood for a
// GP. Results depend only on the seed and the data, never on the thread count.

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/models/dynamics_model.h"

namespace dynalab {

class Dataset;
class Rng;
class StateVisitor;
struct ModelConfig;

/// What one unit of training did; losses are in the model's normalised target units.
struct EpochStats {
  int epoch = 0;  ///< units done since begin_training
  double train_loss =
      std::numeric_limits<double>::quiet_NaN();  ///< the objective (MSE, NLL, -ELBO or -log p(y))
  double train_mse = std::numeric_limits<double>::quiet_NaN();  ///< MSE of the mean prediction
  double val_mse = std::numeric_limits<double>::quiet_NaN();    ///< NaN without validation data
  double val_nll = std::numeric_limits<double>::quiet_NaN();    ///< probabilistic models only
  /// Per member: validation NLL (probabilistic) or MSE (deterministic); the training objective
  /// without validation data. Early stopping and elites use it.
  std::vector<double> member_score;
  bool improved = false;  ///< some member reached a new best score
  bool done = false;      ///< stopped (max epochs, patience, convergence or divergence)
  bool diverged =
      false;  ///< a loss or gradient became NaN/Inf (weights restored, training stopped)
};

class LearnedModel : public DynamicsModel {
 public:
  /// The configuration the model was built with (training fields may have been changed live).
  virtual const ModelConfig& config() const = 0;
  /// A copy (a snapshot freezes one: the GUI and the analyses read it while training goes on).
  virtual std::shared_ptr<LearnedModel> clone() const = 0;
  /// Live-editable settings (learning rate, batch size, patience...); the shape must not change.
  virtual void set_training_config(const ModelConfig& c) = 0;
  /// Prepares a fit on `data` (needs at least 2 transitions). The current parameters are kept
  /// as a warm start.
  virtual void begin_training(const Dataset& data, Rng& rng) = 0;
  /// One bounded unit of training. After `done`, further calls do nothing and return the last
  /// stats.
  virtual EpochStats train_epoch(Rng& rng) = 0;
  /// True once the current fit stopped (or none was begun).
  virtual bool training_done() const = 0;
  /// begin_training, then train_epoch until done; on_epoch (optional) sees each unit's stats.
  /// Returns the last unit's stats (only done and diverged set if none ran).
  EpochStats fit(const Dataset& data, Rng& rng,
                 const std::function<void(const EpochStats&)>& on_epoch = {});
  /// True if training hit NaN/Inf; sticky.
  virtual bool diverged() const = 0;
  /// One line for messages and the GUI, e.g. "5 probabilistic members, 4+1 -> 200x200 -> 4".
  virtual std::string describe_shape() const = 0;
  /// The fitted model as one file (weights or hyperparameters, normalisers), and that file's
  /// name in an output folder's model/ ("ensemble.bin", "gp.bin", "bnn.bin").
  virtual std::string to_bytes() const = 0;
  virtual std::string file_name() const = 0;
  /// Reads what to_bytes() wrote; InputError naming `source` if it is truncated, foreign or of
  /// another shape than this model's.
  virtual void load_bytes(const std::string& bytes, const std::string& source) = 0;
  /// Session state (core/state_visitor.h): parameters and a fit in progress. `data` is the
  /// dataset the current fit began on (a model may rebuild its rows from it on load).
  virtual void visit_state(StateVisitor& v, const Dataset& data) = 0;
};

/// The model `config.type` names ("ensemble", "gp" or "bnn"), for obs_dim x action_dim
/// inputs, initialised from `seed`. Throws InputError naming the key if the config is invalid.
std::shared_ptr<LearnedModel> make_learned_model(const ModelConfig& config, int obs_dim,
                                                 int action_dim, uint64_t seed);

}  // namespace dynalab
