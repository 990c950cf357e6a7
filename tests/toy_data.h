#pragma once
// A 1-D regression problem as a Dataset, shared by the model and analysis tests: obs x uniform
// in [lo, hi], action 0, s' = x + f(x) + sd(x) N(0, 1), reward -x^2 (for learned rewards).

#include "core/dataset.h"
#include "core/rng.h"

namespace dynalab::test {

template <class F, class G>
Dataset toy_regression_data(int n, double lo, double hi, F f, G sd, uint64_t seed) {
  Dataset d(1, 1);
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    const double x = rng.uniform(lo, hi);
    Transition t;
    t.obs = Vec::Constant(1, x);
    t.action = Vec::Zero(1);
    t.next_obs = Vec::Constant(1, x + f(x) + sd(x) * rng.normal());
    t.reward = -x * x;
    d.add(t);
  }
  return d;
}

}  // namespace dynalab::test
