#pragma once
// Adam with DECOUPLED weight decay (AdamW, Loshchilov & Hutter): the decay shrinks the weights
// directly, p -= lr * wd * p, instead of being added to the gradient, so Adam's per-parameter
// scaling does not weaken it. Works on one flat parameter vector.

#include <Eigen/Core>
#include <cmath>

namespace dynalab {

struct Adam {
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  Eigen::VectorXf m, v;
  long t = 0;

  /// Forgets the moment estimates (sized for n parameters).
  void reset(long n) {
    m = Eigen::VectorXf::Zero(n);
    v = Eigen::VectorXf::Zero(n);
    t = 0;
  }
  /// One update of p with gradient g; lr is the step size, wd the decoupled weight decay per
  /// unit step applied where decay_mask is 1 (pass nullptr to decay nothing).
  void step(Eigen::VectorXf& p, const Eigen::VectorXf& g, double lr, double wd,
            const Eigen::VectorXf* decay_mask) {
    if (m.size() != p.size()) reset(p.size());
    ++t;
    m = float(beta1) * m + float(1 - beta1) * g;
    v = float(beta2) * v + float(1 - beta2) * g.cwiseProduct(g);
    const float a =
        float(lr * std::sqrt(1 - std::pow(beta2, double(t))) / (1 - std::pow(beta1, double(t))));
    const float e = float(eps * std::sqrt(1 - std::pow(beta2, double(t))));
    if (decay_mask && wd > 0) p -= float(lr * wd) * decay_mask->cwiseProduct(p);
    p.array() -= a * m.array() / (v.array().sqrt() + e);
  }
};

}  // namespace dynalab
