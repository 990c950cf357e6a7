#pragma once
// The deterministic policy that v2.0 and PILCO backpropagate into: a = mid + half * squash(net(s)),
// an MLP squashed into the action box [low, high] (mid = (low + high) / 2, half = (high - low) /
// 2). Two squashes onto [-1, 1]:
//   tanh   tanh(x): saturates; once |x| is large its slope, and so every parameter's gradient,
//          is near 0 (a policy driven to full torque stays there);
//   sine   PILCO's saturation (9 sin x + sin 3x) / 8 (pilco-matlab control/gSat.m; Deisenroth
//          2010, thesis section 3.4.2), smooth and periodic: past x = pi/2 the action falls again,
//          so gradient steps that overshoot come back instead of stalling in saturation.
// In double like the rest of core/gradients: its gradient is checked against finite
// differences at 1e-4 relative error. Batches are rows (n x obs_dim in, n x action_dim out).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/models/mlp.h"
#include "core/space.h"

namespace dynalab {

class Rng;

class SquashedPolicy {
 public:
  enum class Squash { tanh, sine };
  /// The squashes' names, in Squash's order: "tanh", "sine".
  static std::vector<std::string> squash_names() { return {"tanh", "sine"}; }
  /// The squash of one of squash_names(); throws std::invalid_argument on another name.
  static Squash squash_named(const std::string& name);

  using Net = MlpT<double>;
  using Mat = Net::Mat;

  /// A policy over observations of obs_dim with actions in [low, high] (finite), an MLP with
  /// the given hidden widths and activation. Parameters start at zero (the zero action at the
  /// middle of the box); call init(). Throws std::invalid_argument on an infinite bound.
  SquashedPolicy(int obs_dim, const Vec& low, const Vec& high, std::vector<int> hidden,
                 Activation activation = Activation::tanh, Squash squash = Squash::tanh);

  /// PETS-style random weights (MlpT::init), the last layer scaled by `last_layer_scale` so the
  /// first actions stay near the middle of the box.
  void init(Rng& rng, double last_layer_scale = 0.1);

  int obs_dim() const { return net_.shape().in; }
  int action_dim() const { return net_.shape().out; }
  /// All parameters, flat (MlpT's layout).
  Eigen::VectorXd& params() { return net_.params(); }
  const Eigen::VectorXd& params() const { return net_.params(); }
  const Net& net() const { return net_; }

  /// Actions of a batch of observations (n x obs_dim) -> (n x action_dim).
  Mat act(const Mat& obs) const;
  /// The action of one observation.
  Vec act(const Vec& obs) const;

  /// What forward() keeps for backward(): the network's cache and the squashed outputs.
  struct Cache {
    Net::Cache net;
    Mat squashed;  ///< n x action_dim, squash(net(s))
  };
  /// Actions of `obs` (n x obs_dim), keeping what backward() needs.
  Mat forward(const Mat& obs, Cache& cache) const;
  /// Backprop of dL/da (n x action_dim) through the pass that filled `cache`: ADDS dL/dparams
  /// to `grad` (params() sized) if not null, and writes dL/ds (n x obs_dim) to `d_obs` if not null.
  void backward(const Mat& obs, const Mat& d_action, Cache& cache, Eigen::VectorXd* grad,
                Mat* d_obs) const;
  /// da/ds (action_dim x obs_dim) at one observation.
  Eigen::MatrixXd obs_jacobian(const Vec& obs) const;

  /// Dropout of the last hidden layer's units as a mask over params(): each unit is dropped
  /// with probability p (its outgoing weights times 0), a kept one's weights times 1 / (1 - p);
  /// every other entry is 1. The masked policy is params() o mask, and the gradient with respect
  /// to params() is mask o (its gradient): MC-PILCO's dropout during policy optimisation
  /// (Amadio et al., IEEE T-RO 2022), which it uses to escape local optima. Throws
  /// std::invalid_argument unless 0 <= p < 1 and the policy has a hidden layer.
  Eigen::VectorXd dropout_mask(double p, Rng& rng) const;

 private:
  Net net_;
  Squash squash_;
  Eigen::RowVectorXd mid_, half_;
};

}  // namespace dynalab
