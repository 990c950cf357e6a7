#pragma once
// Densities over two observation dims on a grid, for judging C-learning's predicted future-state
// density (Eysenbach, Salakhutdinov & Levine 2020; lecture deck 001): the replay marginal
// p(s_f) as a smoothed histogram, the Monte Carlo histogram of discounted future states of real
// rollouts from (s, a), and KL(p || q) between two of them. Every density is a probability per
// cell (sums to 1); a heat map divides by the cell area.

#include <array>
#include <functional>
#include <vector>

#include "core/env.h"
#include "core/rng.h"

namespace dynalab {

/// nx x ny cells over [x_lo, x_hi] x [y_lo, y_hi]; cell index iy * nx + ix (iy = 0 at y_lo).
struct DensityGrid {
  int nx = 20, ny = 20;
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  int cells() const { return nx * ny; }
  /// The cell holding (x, y); points outside the grid go to the nearest edge cell.
  int cell(double x, double y) const;
  /// Centre of cell c.
  std::array<double, 2> centre(int c) const;
  double cell_area() const { return (x_hi - x_lo) / nx * (y_hi - y_lo) / ny; }
};

/// Probabilities per cell of the points (xs[i], ys[i]), each cell's count raised by
/// `pseudo_count` first (> 0 keeps every cell's probability positive, as a KL's second argument
/// needs). No points and no pseudo-count: all zeros.
std::vector<double> cell_histogram(const DensityGrid& grid, const std::vector<double>& xs,
                                   const std::vector<double>& ys, double pseudo_count);

/// KL(p || q) = sum_c p_c log(p_c / q_c) in nats over cells with p_c > 0; +inf if q_c = 0
/// there. p and q sum to 1 (not checked).
double kl_divergence(const std::vector<double>& p, const std::vector<double>& q);

/// The behaviour policy's action for an observation, given the action before it (a policy that
/// keeps its action for a while is Markov in (s, a)); draws from `rng`.
using BehaviourPolicy = std::function<Vec(const Vec& obs, const Vec& previous_action, Rng& rng)>;

/// Monte Carlo samples of the discounted future state of (s, a) under the behaviour policy, from
/// real rollouts: per rollout a copy of `env` is put in `state` (Env::set_state), takes `action`,
/// then follows `policy` (its first previous action is `action`) for Delta - 1 more steps, Delta ~ geometric_offset(gamma), and the
/// observation reached gives (obs[dims[0]], obs[dims[1]]). A rollout that terminates or is
/// truncated earlier keeps its last observation (the replay's convention: the end is
/// absorbing). Appends to xs and ys.
void monte_carlo_futures(const Env& env, const std::vector<double>& state, const Vec& action,
                         const BehaviourPolicy& policy, double gamma, int rollouts,
                         std::array<int, 2> dims, Rng& rng, std::vector<double>& xs,
                         std::vector<double>& ys);

}  // namespace dynalab
