#pragma once
// Speed measurements of the models, callable from `dynalab-cli bench` (speed is measured, never
// asserted in tests). Configurations follow ../shared/bench/README.md: "main" (PETS size:
// E = 5, 3 x 200 SiLU, P = 400, particles 20, H = 25, 5 CEM iterations) and "interactive"
// (E = 5, 3 x 64, P = 200, particles 10, H = 20, 5 iterations); obs_dim 4, action_dim 1,
// probabilistic members, TS-inf, cost sum s'^2 + 0.01 a^2 as the peer.

#include <string>
#include <vector>

namespace dynalab {

struct ModelBenchResult {
  std::string name;  ///< "main" | "interactive" | "train_epoch"
  int threads = 1;
  double median_seconds = 0;     ///< one ModelEnv::evaluate (or one training epoch)
  double model_steps_per_s = 0;  ///< rows advanced one step per second (evaluate benches)
  double gflops = 0;             ///< linear-layer FLOPs per second / 1e9 (as the peer counts)
  double replans_per_s = 0;      ///< model_steps_per_s / (P * particles * H * 5 iterations): the
                                 ///< model part of a CEM replan, planner overhead excluded
  double samples_per_s = 0;      ///< train_epoch: transitions per member per second
};

/// Times ModelEnv::evaluate for config "main" or "interactive": `repeats` timed runs (after one
/// warm-up), each at least `min_seconds` long; reports the median.
ModelBenchResult bench_model_env(const std::string& config, int threads, int repeats = 5,
                                 double min_seconds = 0.5);

/// Times one training epoch of E = 5 probabilistic 3 x 200 SiLU members on 10,000 random
/// transitions (obs 4, action 1, batch 256, no validation split); median over `repeats`.
ModelBenchResult bench_train_epoch(int threads, int repeats = 3);

}  // namespace dynalab
