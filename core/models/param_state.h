#pragma once
// Session state of flat parameter vectors and their optimisers: what every learner that owns
// networks saves (SAC, PPO/A2C), so an update after a load computes exactly what it would have.

#include <Eigen/Core>
#include <string>

#include "core/models/adam.h"
#include "core/models/rmsprop.h"

namespace dynalab {

class StateVisitor;

/// A float vector of fixed length n (parameters, moments) as a list of numbers; loading checks
/// the length (InputError naming `key`).
void visit_floats(StateVisitor& v, const std::string& key, Eigen::VectorXf& x, long n);
/// Adam's step count and moments for n parameters (a never-stepped Adam saves zero moments).
void visit_adam(StateVisitor& v, const std::string& key, Adam& adam, long n);
/// RMSprop's square average for n parameters.
void visit_rmsprop(StateVisitor& v, const std::string& key, RmsProp& opt, long n);

}  // namespace dynalab
