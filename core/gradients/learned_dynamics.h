#pragma once
// A learned model (any model.type) as the DifferentiableDynamics of gradient-based policy search
// (the backprop family's pathwise gradient, its gradient analysis): s' = s + the predicted mean
// change, with exact Jacobians.
//  - gp: GpParticleDynamics with mean_only (gp_particle_dynamics.h): the predictive mean and its
//    analytic Jacobians in double, one cross-covariance pass per batch; the GP's single member.
//  - ensemble, bnn: ModelDynamics (model_dynamics.h) through the networks' input Jacobians: one
//    member (an ensemble member, a BNN weight draw), or the mean of the rollout members (the
//    ensemble's elites, all the BNN's draws) with member = -1.
// Reads the model when built: build one after each fit (a GP's dynamics copy its GPs).

#include <memory>

#include "core/gradients/differentiable_dynamics.h"

namespace dynalab {

class LearnedModel;

/// `model`'s dynamics through member `member` (-1: the rollout members' mean). Throws
/// InputError naming model_member if `member` is not one of the model's, and
/// std::invalid_argument if a GP holds no data yet.
std::unique_ptr<DifferentiableDynamics> learned_dynamics(const LearnedModel& model, int member);

}  // namespace dynalab
