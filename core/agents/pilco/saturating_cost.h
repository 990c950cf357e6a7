#pragma once
// PILCO's saturating cost (Deisenroth & Rasmussen 2011, eq. 10; pilco-matlab doc/doc.tex,
// lossSat.m) as a reward on the next state:
//
//   d^2(s) = (s - target)^T W (s - target)      W = diag(weights)
//   cost(s) = 1 - exp(-1/2 d^2 / width^2)       in [0, 1): 0 at the target, 1 far away
//   r(s, a, s') = -cost(s')
//
// The cost saturates: a state far from the target costs about 1 whatever its distance, so a
// policy is not pushed by states it cannot reach yet, and the gradient is largest at about one
// width from the target. For the pendulum with obs (cos theta, sin theta, theta_dot), target
// (1, 0, 0) and weights (l^2, l^2, 0), d is the distance of the pole's tip from upright:
// d^2 = 2 l^2 (1 - cos theta); pilco-matlab's pendulum uses width 0.5 (settings_pendulum.m).

#include "core/gradients/differentiable_dynamics.h"

namespace dynalab {

class SaturatingCost : public DifferentiableReward {
 public:
  /// Throws std::invalid_argument unless target and weights have the same size, the weights
  /// are >= 0 and width > 0.
  SaturatingCost(Vec target, Vec weights, double width);
  double reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  RewardGradient gradient(const Vec& s, const Vec& a, const Vec& s_next) const override;
  /// cost(s) in [0, 1).
  double cost(const Vec& s) const;
  /// d(s), the weighted distance to the target.
  double distance(const Vec& s) const;

 private:
  Vec target_, weights_;
  double width_;
};

}  // namespace dynalab
