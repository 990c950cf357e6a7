#pragma once
// Open-loop compounding error (lecture 000/002, MBPO's motivation): start from a real state of a
// real trajectory, feed the model the actions that were really executed, and compare the
// model's predicted state h steps later with the real one, for h = 1..H. One-step errors compound
// because each prediction is fed back as the next input, usually drifting off the data.
// Propagation is "ensemble mean": s_{h+1} = s_h + mean over members of the predicted delta
// (a single-member model is just its own prediction). Errors are Euclidean norms over the
// observation dims in real units, averaged over the start points that have h real steps ahead.
// Predictions that become non-finite count as missing (counted in `diverged`).

#include <Eigen/Core>
#include <vector>

#include "core/trajectory.h"

namespace dynalab {

class Dataset;
class DynamicsModel;

/// Cuts a dataset into trajectories: consecutive transitions of the same episode id whose
/// next_obs equals the following obs; a terminated transition ends a trajectory (and sets
/// its `terminated`). Run and episode ids are the dataset's episode id, run 0.
std::vector<Trajectory> split_trajectories(const Dataset& data);

struct CompoundingErrorOptions {
  int horizon = 20;         ///< H
  int max_starts = 256;     ///< start points used (evenly strided over all candidates)
  bool elites_only = true;  ///< propagate the mean of the elites (what the planner uses)
  int member = -1;  ///< >= 0: propagate only this member (a single model); overrides elites_only
};

struct CompoundingError {
  std::vector<int> horizon;   ///< 1..H
  std::vector<double> error;  ///< mean ||s_hat_h - s_h|| per horizon (NaN if no start had h steps)
  std::vector<int> count;     ///< starts that contributed at each horizon
  std::vector<int> diverged;  ///< starts whose prediction was non-finite at each horizon
};

/// Open-loop error vs horizon of `model` along `trajectories`. Every step t of every trajectory
/// is a candidate start; at most max_starts of them are kept (evenly strided, deterministic), and
/// all kept starts are propagated together (one batched predict per horizon step).
CompoundingError compounding_error(const DynamicsModel& model,
                                   const std::vector<Trajectory>& trajectories,
                                   const CompoundingErrorOptions& options = {});

}  // namespace dynalab
