#pragma once
// The closed-form successor representation of a policy in a grid world's true dynamics (probed,
// core/grid_transitions.h): the "exact M" the view shows beside the learned one. The successor
// agent never acts on it.

#include <Eigen/Core>
#include <vector>

#include "core/grid_transitions.h"

namespace dynalab {

/// The closed-form successor representation (Dayan 1993, in deck 001's normalised form) of the
/// policy `pi` (n_states * n_actions, pi(a|s) at [s * n_actions + a], rows summing to 1):
/// M = (1 - gamma)(I - gamma P_pi)^-1 over the cells, P_pi the world's moves under pi with every
/// terminal cell absorbing (the episode ends there: the agent is never seen to leave it, as the
/// learned M assumes, successor_learner.h). Every row sums to 1; M(s, i) is the discounted share of
/// the future spent in i from s, s itself included. Wall cells' rows are e_s (never used).
/// Returns n_states x n_states. A dense LU: about 2 ms at 225 cells and 23 ms at 625 on this
/// machine, so callers compute it when the world or the policy changes, not per frame.
Eigen::MatrixXd closed_form_sr(const GridTransitions& t, const std::vector<double>& pi, double gamma);

}  // namespace dynalab
