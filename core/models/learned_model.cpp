#include "core/models/learned_model.h"

#include "core/models/bnn/bnn_dynamics.h"
#include "core/models/ensemble.h"
#include "core/models/gp/gp_dynamics.h"

namespace dynalab {

EpochStats LearnedModel::fit(const Dataset& data, Rng& rng,
                             const std::function<void(const EpochStats&)>& on_epoch) {
  begin_training(data, rng);
  EpochStats last;
  last.done = training_done();
  last.diverged = diverged();
  while (!training_done()) {
    last = train_epoch(rng);
    if (on_epoch) on_epoch(last);
  }
  return last;
}

std::shared_ptr<LearnedModel> make_learned_model(const ModelConfig& config, int obs_dim,
                                                 int action_dim, uint64_t seed) {
  // model.type is a checked choice, so every value has a branch here.
  if (config.type == "gp") return std::make_shared<GpDynamics>(config, obs_dim, action_dim, seed);
  if (config.type == "bnn") return std::make_shared<BnnDynamics>(config, obs_dim, action_dim, seed);
  return std::make_shared<Ensemble>(config, obs_dim, action_dim, seed);
}

}  // namespace dynalab
