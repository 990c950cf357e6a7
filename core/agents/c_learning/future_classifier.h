#pragma once
// C-learning's classifier C_theta(s, a, s_f) in (0, 1) (Eysenbach, Salakhutdinov & Levine 2020;
// lecture deck 001, "Continuous successor representations"): "is s_f a future state of (s, a)
// under the policy, or a state drawn from the policy's marginal?" An MLP (core/models/mlp.h) maps
// the normalised input [s, a, s_f] to one logit z, C = sigmoid(z). At the Bayes optimum of the
// balanced cross-entropy,
//     C / (1 - C) = exp(z) = p(s_f | s, a) / p(s_f),
// so the odds times a density estimate of the marginal give the discounted future-state density
// p(s_f | s, a) = (1 - gamma) sum_{k>=1} gamma^(k-1) p(s_{t+k} = s_f | s, a), the continuous
// successor representation, which as a table would be "always zero for any sampled state".
//
// The loss is a weighted binary cross-entropy with soft labels, mean over rows
// (weighted_bce_with_logits, core/models/losses.h):
//     L = (1/n) sum_i w_i [softplus(z_i) - y_i z_i],   dL/dz_i = w_i (sigmoid(z_i) - y_i) / n,
// which holds both versions: Monte Carlo C-learning (y = 1 for future states, 0 for marginal
// draws, w = 1) and the TD version, whose bootstrapped term gamma w(s', a', s_f) log C + log(1 - C)
// for a marginal draw is (1 + gamma w) times the cross-entropy with label gamma w / (1 + gamma w).

#include <Eigen/Core>
#include <vector>

#include "core/models/adam.h"
#include "core/models/mlp.h"

namespace dynalab {

class FutureClassifier {
 public:
  FutureClassifier() = default;
  /// in = obs_dim + action_dim + future_dim; `hidden`, `activation` as MlpShape::of.
  FutureClassifier(int obs_dim, int action_dim, int future_dim, const std::vector<int>& hidden,
                   const std::string& activation, Rng& rng);

  int input_dim() const { return obs_dim_ + action_dim_ + future_dim_; }
  /// Input normalisation: x_norm = (x - shift) / scale per input column (scale > 0), fixed once
  /// from the replay (set_normalisation) so the odds do not drift under a changing scale.
  void set_normalisation(const Eigen::VectorXd& shift, const Eigen::VectorXd& scale);
  const Eigen::VectorXd& shift() const { return shift_; }
  const Eigen::VectorXd& scale() const { return scale_; }

  /// Logits z = log(C / (1 - C)) for raw input rows X (n x input_dim(): s, a, s_f).
  Eigen::VectorXd logits(const Eigen::MatrixXd& X) const;
  /// One Adam step on the loss above for raw rows X with labels y and weights w; returns the
  /// loss before the step.
  double train_step(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                    double learning_rate);
  /// The loss and its gradient in the parameters (sized like params()), without a step.
  double loss_and_gradient(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                           const Eigen::VectorXd& w, Eigen::VectorXf& grad) const;

  Mlp& net() { return net_; }
  const Mlp& net() const { return net_; }
  Adam& adam() { return adam_; }

 private:
  Eigen::MatrixXf normalised(const Eigen::MatrixXd& X) const;

  int obs_dim_ = 0, action_dim_ = 0, future_dim_ = 0;
  Mlp net_;
  Adam adam_;
  Eigen::VectorXd shift_, scale_;
};

}  // namespace dynalab
