#pragma once
// The small model shapes the weight-loader fuzz target loads into, and the trained models its
// seed corpus holds (tests/fuzz/corpus/weights/, written by tests/test_fuzz_seeds.cpp with
// DYNALAB_WRITE_SEEDS=1). The deterministic shape is pendulum_mpc's with
// --set model.hidden=[8] --set model.ensemble_size=2 --set model.elite_members=2, so the same file
// also serves the bad-input catalogue (`dynalab-cli check FILE.bin --experiment pendulum_mpc`).

#include <cmath>

#include "core/dataset.h"
#include "core/models/ensemble.h"
#include "core/rng.h"

namespace dynalab::fuzz_seed {

inline constexpr int kObsDim = 3, kActionDim = 1;  // the pendulum's

/// probabilistic = false: pendulum_mpc's model made small; true: a PETS-like shape.
inline ModelConfig model_config(bool probabilistic) {
  ModelConfig c;
  c.prediction = probabilistic ? "probabilistic" : "deterministic";
  c.hidden = {8};
  c.activation = "silu";
  c.ensemble_size = 2;
  c.elite_members = 2;
  c.learn_reward = probabilistic;
  c.epochs = 3;
  c.batch_size = 16;
  c.threads = 1;
  return c;
}

/// A model of that shape trained for a few epochs on pendulum-like transitions (seeded).
inline Ensemble trained_model(bool probabilistic) {
  Dataset d(kObsDim, kActionDim);
  Rng rng(7);
  for (int i = 0; i < 64; ++i) {
    Transition t;
    const double th = rng.uniform(-3.1, 3.1), w = rng.uniform(-8, 8), u = rng.uniform(-2, 2);
    t.obs = Vec(3);
    t.obs << std::cos(th), std::sin(th), w;
    t.action = Vec::Constant(1, u);
    const double w2 = w + 0.05 * (10 * std::sin(th) + 3 * u), th2 = th + 0.05 * w2;
    t.next_obs = Vec(3);
    t.next_obs << std::cos(th2), std::sin(th2), w2;
    t.reward = -(th * th + 0.1 * w * w);
    d.add(t);
  }
  Ensemble e(model_config(probabilistic), kObsDim, kActionDim, 3);
  e.fit(d, rng);
  return e;
}

}  // namespace dynalab::fuzz_seed
