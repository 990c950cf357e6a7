#pragma once
// "The model is wrong where there is no data" (lecture 000), measured on the transitions a policy
// really visited: one-step error against the distance to the training data
// (error_vs_distance.h) and open-loop error against the horizon along real trajectories
// (compounding_error.h). The GUI lab's "Model error" view and the lesson claims
// ("model_error median_distance", "model_error horizon_ratio") compute it from the same inputs,
// so a step's text and its plot agree.

#include <memory>
#include <string>
#include <vector>

#include "core/analysis/compounding_error.h"
#include "core/analysis/error_vs_distance.h"
#include "core/trajectory.h"

namespace dynalab {

class Dataset;
class DynamicsModel;

struct ModelError {
  ErrorVsDistance evd;        ///< one-step error vs k-NN distance of the visited transitions
  CompoundingError ensemble;  ///< open loop, the elites' mean
  CompoundingError single;    ///< open loop, one member alone (a single deterministic model)
  int single_member = 0;      ///< that member's index
  size_t visited = 0, train = 0;  ///< transitions: visited, training
  std::string trajectories_from;  ///< "recent planned episodes" or "the training data"
};

/// The analysis of `model` (fit on `data`) on the transitions of `visited` episodes; open-loop
/// errors to `horizon` steps along the visited episodes longer than it (else along the training
/// data's own trajectories). Throws std::invalid_argument if `data` is empty.
ModelError model_error(const DynamicsModel& model, const Dataset& data, const std::vector<Trajectory>& visited,
                       int horizon);

/// The two numbers a lesson claims of it (NaN when there is nothing to measure): the median
/// distance of the visited transitions to the training data, in training std ("the policy
/// drove into states the data never covered": above 1) ...
double median_visited_distance(const ModelError& e);
/// ... and the ensemble's open-loop error at the last horizon over that at one step ("the model
/// drifts further with every step ahead").
double horizon_error_ratio(const ModelError& e);

}  // namespace dynalab
