#include "core/models/learned_model.h"

#include "core/models/bnn/bnn_dynamics.h"
#include "core/models/ensemble.h"
#include "core/models/gp/gp_dynamics.h"

namespace dynalab {

std::shared_ptr<LearnedModel> make_learned_model(const ModelConfig& config, int obs_dim,
                                                 int action_dim, uint64_t seed) {
  // model.type is a checked choice, so every value has a branch here.
  if (config.type == "gp") return std::make_shared<GpDynamics>(config, obs_dim, action_dim, seed);
  if (config.type == "bnn") return std::make_shared<BnnDynamics>(config, obs_dim, action_dim, seed);
  return std::make_shared<Ensemble>(config, obs_dim, action_dim, seed);
}

}  // namespace dynalab
