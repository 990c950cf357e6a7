#include "core/gradients/learned_dynamics.h"

#include <string>

#include "core/gradients/gp_particle_dynamics.h"
#include "core/gradients/model_dynamics.h"
#include "core/io/input_error.h"
#include "core/models/gp/gp_dynamics.h"
#include "core/models/learned_model.h"

namespace dynalab {

std::unique_ptr<DifferentiableDynamics> learned_dynamics(const LearnedModel& model, int member) {
  if (member >= model.members())
    throw InputError("model_member: expected at most " + std::to_string(model.members() - 1) +
                     " (" + model.describe_shape() + "), got " + std::to_string(member));
  if (const auto* gp = dynamic_cast<const GpDynamics*>(&model))
    return std::make_unique<GpParticleDynamics>(*gp, /*mean_only=*/true);
  return std::make_unique<ModelDynamics>(model, member);
}

}  // namespace dynalab
