#pragma once
// Plain data that a planner fills for the GUI and the exports: what it considered, what it
// predicted, what it chose. No GUI types: the app draws it, the CLI writes it to CSV.

#include <cstdint>
#include <vector>

namespace dynalab {

class Env;

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

/// How a candidate's imagined paths end, as the plan overlays colour them.
enum class PathEnd : uint8_t {
  horizon,     ///< every stored particle runs the whole horizon, never in a failure state
  terminated,  ///< some particle's path ends early (NaN rows), never in a failure state (a goal)
  failure,     ///< some particle's path reaches a state Env::failure() calls one (the pit)
};

/// Per candidate (trace.candidates entries), how its stored particle paths end; a failure
/// anywhere on a path counts, even if the model lets the path carry on past it. `env` judges
/// the predicted observations (Env::failure), so a learned model's path into the pit is a
/// failure although the model may predict a high reward there.
std::vector<PathEnd> candidate_ends(const PlanTrace& trace, const Env& env);

/// Fraction of the trace's candidates with the given end (0 for an empty trace).
double end_fraction(const std::vector<PathEnd>& ends, PathEnd which);

}  // namespace dynalab
