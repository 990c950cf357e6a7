#pragma once
// Gradient checks in double: small random networks and matrices, central finite differences and
// the norm-wise relative error between an analytic and a numeric gradient.
#include <algorithm>
#include <functional>

#include "core/models/mlp.h"
#include "core/rng.h"

namespace dynalab::test {

using MlpD = MlpT<double>;
using Mat = MlpD::Mat;
using VecD = MlpD::Vec;

/// A network in -> {8, 6} -> out with `act`, initialised from `seed`, with non-zero biases.
inline MlpD make_net(int in, int out, Activation act, uint64_t seed) {
  MlpShape s;
  s.in = in;
  s.out = out;
  s.hidden = {8, 6};
  s.activation = act;
  MlpD net(s);
  Rng rng(seed);
  net.init(rng);
  // Non-zero biases, so their gradients are exercised too.
  for (int l = 0; l < s.layers(); ++l)
    for (int j = 0; j < s.fan_out(l); ++j) net.params()[net.b_offset(l) + j] = rng.normal(0, 0.1);
  return net;
}

inline Mat normal_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng, double sd = 1.0) {
  Mat m(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = rng.normal(0, sd);
  return m;
}

/// Central differences of f over p (perturbed in place and restored), step h.
inline VecD finite_difference(VecD& p, const std::function<double()>& f, double h = 1e-6) {
  VecD g(p.size());
  for (Eigen::Index i = 0; i < p.size(); ++i) {
    const double keep = p[i];
    p[i] = keep + h;
    const double up = f();
    p[i] = keep - h;
    const double down = f();
    p[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/// |analytic - numeric| / |numeric|.
inline double relative_error(const VecD& analytic, const VecD& numeric) {
  return (analytic - numeric).norm() / std::max(numeric.norm(), 1e-12);
}

}  // namespace dynalab::test
