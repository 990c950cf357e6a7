#pragma once
// Adam with DECOUPLED weight decay (AdamW, Loshchilov & Hutter): the decay shrinks the weights
// directly, p -= lr * wd * p, instead of being added to the gradient, so Adam's per-parameter
// scaling does not weaken it. Works on one flat parameter vector.

#include <Eigen/Core>
#include <cmath>

namespace dynalab {

/// On float parameters (the networks) or double ones (core/gradients' policy): Adam = AdamT<float>.
template <class T>
struct AdamT {
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  Vector m, v;
  long t = 0;

  /// Forgets the moment estimates (sized for n parameters).
  void reset(long n) {
    m = Vector::Zero(n);
    v = Vector::Zero(n);
    t = 0;
  }
  /// One update of p with gradient g; lr is the step size, wd the decoupled weight decay per
  /// unit step applied where decay_mask is 1 (pass nullptr to decay nothing).
  void step(Vector& p, const Vector& g, double lr, double wd, const Vector* decay_mask) {
    if (m.size() != p.size()) reset(p.size());
    ++t;
    m = T(beta1) * m + T(1 - beta1) * g;
    v = T(beta2) * v + T(1 - beta2) * g.cwiseProduct(g);
    const T a =
        T(lr * std::sqrt(1 - std::pow(beta2, double(t))) / (1 - std::pow(beta1, double(t))));
    const T e = T(eps * std::sqrt(1 - std::pow(beta2, double(t))));
    if (decay_mask && wd > 0) p -= T(lr * wd) * decay_mask->cwiseProduct(p);
    p.array() -= a * m.array() / (v.array().sqrt() + e);
  }
};

using Adam = AdamT<float>;

}  // namespace dynalab
