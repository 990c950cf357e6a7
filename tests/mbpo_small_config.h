#pragma once
// A small, fast mbpo config on the point mass (mbpo_point_mass with tiny networks): two runs of
// 150 env steps, refits at 60, 90 and 120, for the mbpo tests.

#include <string>
#include <vector>

namespace dynalab::test {

inline std::vector<std::string> mbpo_small_config(const std::string& seed) {
  return {"seed=" + seed,
          "runs=2",
          "steps=150",
          "initial_exploration_steps=60",
          "model_train_freq=30",
          "rollout_batch_size=40",
          "rollout_schedule=[1, 2, 1, 3]",
          "num_sac_updates_per_step=2",
          "sac.hidden=[16, 16]",
          "sac.batch_size=32",
          "model.hidden=[16, 16]",
          "model.ensemble_size=3",
          "model.elite_members=2",
          "model.epochs=5",
          "model.threads=2",
          "eval_every=30"};
}

}  // namespace dynalab::test
