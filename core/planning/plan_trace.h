#pragma once
// Plain data that a planner fills for the GUI and the exports: what it considered, what it
// predicted, what it chose. No GUI types: the app draws it, the CLI writes it to CSV.

#include <vector>

namespace dynalab {

struct PlanTrace {
  int horizon = 0, action_dim = 0, obs_dim = 0;
  int candidates = 0;      ///< P, candidate action sequences this iteration
  int particles = 0;       ///< paths stored per candidate (may be fewer than evaluated)
  int iteration = 0;       ///< CEM/MPPI iteration index (0-based) this trace shows
  int iterations = 1;      ///< iterations of the replan
  std::vector<float> actions;  ///< P x H x A, candidate action sequences (time-major per candidate)
  std::vector<float> returns;  ///< P, predicted return of each candidate (mean over particles)
  std::vector<float> paths;    ///< P x particles x (H+1) x obs_dim, predicted observations (NaN
                               ///< rows after the particle terminated)
  std::vector<int> elites;     ///< indices of the elite candidates
  std::vector<float> plan;     ///< H x A, the chosen plan (first action executed)
  std::vector<float> mean, stddev;              ///< H x A, sampling distribution after the iteration
  std::vector<float> objective_per_iteration;   ///< best (or elite-mean) return after each iteration
};

}  // namespace dynalab
