#pragma once
// The global policy of guided policy search: pi_theta(u | o) = N(mu_theta(o), diag(var)), mu_theta
// an MLP (tanh hidden layers, linear output, float32: MlpT from core/models/mlp.h) on whitened
// observations, trained by the S-step of MDGPS (Montgomery & Levine, "Guided Policy Search via
// Approximate Mirror Descent", NIPS 2016, section 4) as cbfinn/gps does
// (python/gps/algorithm/policy_opt/policy_opt_tf.py, update; tf_utils.py, the loss):
//
//   min_theta 1/(2B) sum_{i in batch} (mu_theta(o_i) - mu_i)' W_i (mu_theta(o_i) - mu_i)
//             + weight_decay/2 |weights|^2,
//
// over the states o_i of every condition's samples, with mu_i the local controller's mean action
// there and W_i its precision C^-1 (so the policy follows a controller closely where it is sure
// and loosely where its noise is wide). Adam (core/models/adam.h; its state carries over between
// S-steps, as cbfinn/gps's solver does) on minibatches of B = batch_size drawn cyclically from one
// shuffle per S-step; the weight decay is an L2 term on the weights (not biases) in the gradient,
// as cbfinn/gps's solver adds it. The inputs are whitened (scale 1 / max(std, 1e-3), bias
// -mean * scale per observation dimension) with the statistics of each S-step's states, where
// cbfinn/gps fixes them at its first S-step: the first samples come from the initial controllers'
// noise alone, and the speeds the improved controllers reach later lie many of those standard
// deviations out, where the tanh units saturate (on the point mass the global policy then drove
// off at iteration 2). The policy's variance is the inverse of the mean precision's diagonal
// (cbfinn/gps with ent_reg 0).
//
// cbfinn/gps also weights each sample by pol_wt (init_pol_wt 0.01 in MDGPS) and then renormalises
// the weights to a median of 1: with one constant weight that is the identity, so it is left out.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/models/adam.h"
#include "core/models/mlp.h"
#include "core/space.h"

namespace dynalab {

class Rng;
class StateVisitor;

/// The S-step's network and optimiser (the `policy` section of a gps experiment).
struct GlobalPolicyConfig {
  std::vector<int> hidden = {40, 40};  ///< hidden widths (cbfinn/gps's fully connected default)
  std::string activation = "tanh";     ///< hidden activation
  double learning_rate = 1e-3;         ///< Adam step size (cbfinn/gps lr)
  int batch_size = 25;                 ///< samples per minibatch (cbfinn/gps)
  int iterations = 3000;               ///< Adam steps per S-step (cbfinn/gps: 3000-5000)
  double weight_decay = 0.005;         ///< L2 coefficient on the weights (cbfinn/gps)
  double init_var = 0.1;               ///< the policy's variance before its first S-step (cbfinn/gps)
  int steps_per_tick = 500;            ///< Adam steps per think tick (GUI responsiveness only)

  template <class V>
  void visit(V& v) {
    v.field("hidden", hidden, Range::closed(1, 4096), Apply::on_reset, "hidden widths of the global policy");
    v.choice("activation", activation, activation_names(), Apply::on_reset, "hidden activation of the global policy");
    v.field("learning_rate", learning_rate, Range::positive(), Apply::on_reset, "Adam step size of the S-step");
    v.field("batch_size", batch_size, Range::closed(1, 100000), Apply::on_reset, "samples per minibatch of the S-step");
    v.field("iterations", iterations, Range::closed(1, 10000000), Apply::on_reset, "Adam steps per S-step");
    v.field("weight_decay", weight_decay, Range::closed(0, 1e6), Apply::on_reset, "L2 coefficient on the policy's weights");
    v.field("init_var", init_var, Range::positive(), Apply::on_reset, "the global policy's variance before its first S-step");
    v.field("steps_per_tick", steps_per_tick, Range::closed(1, 10000000), Apply::on_reset,
            "Adam steps per tick (how long one GUI tick takes; not the result)");
  }
};

/// The S-step's data: per sample state its observation, the local controller's mean action and
/// precision.
struct PolicyRegressionData {
  std::vector<Vec> obs;                        ///< P observations (obs_dim)
  std::vector<Vec> target_mean;                ///< P mean actions (action_dim)
  std::vector<Eigen::MatrixXd> target_precision;  ///< P precisions (action_dim^2, SPD)
};

class GlobalPolicy {
 public:
  /// A fresh network for obs_dim -> action_dim, weights from `init_rng` (MlpT::init). Throws
  /// InputError (naming policy.activation) for an unknown activation.
  GlobalPolicy(const GlobalPolicyConfig& cfg, int obs_dim, int action_dim, Rng& init_rng);
  /// An empty policy (assign a constructed one before use).
  GlobalPolicy() = default;

  /// The mean action mu_theta(o) (action_dim) for an observation (obs_dim).
  Vec mean(const Vec& obs) const;
  /// A draw from pi_theta(u | o): the mean plus sqrt(variance) z, z ~ N(0, I) from `rng`.
  Vec sample(const Vec& obs, Rng& rng) const;
  /// Mean actions for many observations at once (rows).
  Eigen::MatrixXd means(const std::vector<Vec>& obs) const;
  /// d mu_theta / d o (action_dim x obs_dim) at each observation, through the whitening.
  std::vector<Eigen::MatrixXd> jacobians(const std::vector<Vec>& obs) const;
  /// The diagonal of the policy's covariance (action_dim).
  const Vec& variance() const { return var_; }

  /// Starts an S-step on `data` (P >= 1 samples): sets the whitening from its observations, draws
  /// the minibatch order from `rng` and the variance from the data's precisions. Throws
  /// std::invalid_argument on empty or mis-sized data.
  void begin_fit(const PolicyRegressionData& data, Rng& rng);
  /// Up to `steps` Adam steps of the S-step begun last; returns true when its `iterations` are
  /// done. The mean loss of the steps is in last_loss().
  bool train(int steps);
  /// True while the S-step begun last has Adam steps left.
  bool fitting() const { return step_ < total_steps_; }
  /// The mean minibatch loss of the last train() call.
  double last_loss() const { return last_loss_; }
  /// S-steps begun so far.
  int fits() const { return fits_; }

  /// Session state: parameters, Adam, whitening, variance, the S-step in progress (its data is
  /// the caller's to restore: begin_fit's data is rebuilt by the caller before loading, or the
  /// fit is over).
  void visit_state(StateVisitor& v);
  /// Rebuilds the S-step's training matrices from `data` without touching the order or progress
  /// (a session load in the middle of an S-step).
  void restore_fit_data(const PolicyRegressionData& data);

 private:
  Eigen::MatrixXf whiten(const std::vector<Vec>& obs) const;

  GlobalPolicyConfig cfg_;
  int obs_dim_ = 0, action_dim_ = 0;
  Mlp net_;
  Adam adam_;
  Eigen::VectorXf decay_mask_;
  Vec scale_, bias_;  // whitening: o * scale + bias (empty before the first S-step)
  Vec var_;
  // The S-step in progress.
  Eigen::MatrixXf X_, Y_;   // P x obs_dim whitened observations, P x action_dim targets
  Eigen::MatrixXf W_;       // action_dim^2 x P: column i is sample i's precision, row-major
  std::vector<int> order_;  // minibatch order (a permutation of 0..P-1)
  int step_ = 0, total_steps_ = 0, fits_ = 0;
  double last_loss_ = 0;
};

}  // namespace dynalab
