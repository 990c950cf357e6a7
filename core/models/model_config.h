#pragma once
// ModelConfig: the "model" section of an experiment config, for every LearnedModel kind: the
// kind (`type`), the fields the networks share (ensemble and BNN), and one sub-section per kind
// that has settings of its own (`gp`, `bnn`).

#include <string>
#include <vector>

#include "core/config.h"
#include "core/models/activation.h"
#include "core/models/bnn/bnn_config.h"
#include "core/models/gp/gp_config.h"

namespace dynalab {

/// Largest ensemble accepted by the config (a typo like 10^9 members is an error, not an OOM).
inline constexpr int kMaxEnsembleSize = 64;
/// Limit on ModelConfig::weight_count(): 2e7 floats is 80 MB per copy (weights, gradients,
/// two Adam moments and the divergence backup make five).
inline constexpr long long kMaxModelWeights = 20000000;
/// Largest number of hidden layers of a network in a config.
inline constexpr int kMaxHiddenLayers = 64;

struct ModelConfig {
  /// Which LearnedModel (make_learned_model): a bootstrap "ensemble" of networks (PETS), a
  /// Gaussian process per target column ("gp", core/models/gp/) or a Bayes-by-Backprop network
  /// ("bnn", core/models/bnn/).
  std::string type = "ensemble";
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

  GpConfig gp;    ///< type = gp only
  BnnConfig bnn;  ///< type = bnn only

  /// The members a model of this config has (DynamicsModel::members): ensemble_size for an
  /// ensemble, bnn.posterior_samples for a BNN, 1 for a GP.
  int members() const {
    return type == "gp" ? 1 : type == "bnn" ? bnn.posterior_samples : ensemble_size;
  }

  static const std::vector<std::string>& types() {
    static const std::vector<std::string> k = {"ensemble", "gp", "bnn"};
    return k;
  }
  static const std::vector<std::string>& predictions() {
    static const std::vector<std::string> k = {"deterministic", "probabilistic", "system_id"};
    return k;
  }
  template <class V>
  void visit(V& v) {
    v.choice("type", type, types(), Apply::on_reset,
             "ensemble: bootstrap networks (PETS); gp: a Gaussian process per predicted column; "
             "bnn: a Bayesian network, mean-field Gaussian weights (Bayes by Backprop)");
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
    v.section("gp", gp);
    v.section("bnn", bnn);
    // Cross-field limits, checked while reading so the message names the file; a config may
    // never make the ensemble allocate more than kMaxModelWeights floats per weight array.
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      if (prediction == "system_id" && (learn_reward || learn_termination))
        v.fail(learn_reward ? "learn_reward" : "learn_termination",
               "false with prediction = system_id (its equations give the next state only; the "
               "reward and termination come from the env), got true");
      if (type == "gp" && learn_termination)
        v.fail("learn_termination",
               "false with type = gp (a GP regressor with Gaussian noise predicts a real value, "
               "not a probability of termination in [0, 1]), got true");
      if (type == "bnn" && prediction == "deterministic")
        v.fail("prediction", "probabilistic with type = bnn (its likelihood is a Gaussian: a "
                             "learned head, or bnn.noise_std > 0 for a known noise), got "
                             "deterministic");
      if (elite_members > ensemble_size)
        v.fail("elite_members", "at most ensemble_size (" + std::to_string(ensemble_size) +
                                    "), got " + std::to_string(elite_members));
      if (hidden.empty()) v.fail("hidden", "at least one hidden layer width, got []");
      if (hidden.size() > kMaxHiddenLayers)
        v.fail("hidden", "at most " + std::to_string(kMaxHiddenLayers) + " hidden layers, got " +
                             std::to_string(hidden.size()));
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

}  // namespace dynalab
