#pragma once
// RMSprop as PyTorch's torch.optim.RMSprop (not centred, no momentum): the optimiser of SB3's
// A2C (use_rms_prop, alpha 0.99, eps rms_prop_eps = 1e-5). Works on one flat parameter vector:
//   v <- alpha v + (1 - alpha) g^2;   p <- p - lr g / (sqrt(v) + eps)

#include <Eigen/Core>

namespace dynalab {

struct RmsProp {
  double alpha = 0.99, eps = 1e-5;
  Eigen::VectorXf square_avg;

  /// Forgets the square average (sized for n parameters).
  void reset(long n) { square_avg = Eigen::VectorXf::Zero(n); }
  /// One update of p with gradient g at step size lr.
  void step(Eigen::VectorXf& p, const Eigen::VectorXf& g, double lr) {
    if (square_avg.size() != p.size()) reset(p.size());
    square_avg = float(alpha) * square_avg + float(1 - alpha) * g.cwiseProduct(g);
    p.array() -= float(lr) * g.array() / (square_avg.array().sqrt() + float(eps));
  }
};

}  // namespace dynalab
