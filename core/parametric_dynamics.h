#pragma once
// ParametricDynamics: what an env knows about its own physics, as a model with a few unknown
// physical parameters that enter LINEARLY through regression coefficients theta:
//
//     s' - s = f0(s, a) + F(s, a) theta        f0: obs_dim, F: obs_dim x p, theta: p
//
// This is classic grey-box system identification (L. Ljung, "System Identification: Theory for
// the User", 2nd ed., 1999, ch. 4-5 and 7: linear regressions y = phi^T theta fit by least
// squares): the structure (Newton's law, the shape of the terrain, the integrator) is written
// by hand from the env's own equations; only theta is fit to data. Lecture CS 285 (seeds/000,
// "Does it work? Yes!"): "particularly effective if we can hand-engineer a dynamics
// representation using our knowledge of physics, and fit just a few parameters".
//
// An env offers one through Env::parametric_dynamics(); core/models/system_id_model.h fits and
// rolls it out (model.prediction = "system_id").

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

namespace dynalab {

struct ParametricDynamics {
  int obs_dim = 0, action_dim = 0;
  /// p, the number of regression coefficients theta.
  int coefficients = 0;
  /// The physical parameters the fit reports (names, units) and the env's true values of them
  /// (for comparison on screen only: the fit never sees them).
  std::vector<std::string> names, units;
  std::vector<double> true_values;
  /// One line per equation, for the GUI and the docs, e.g. "dv = dt (k u / n - c v - g s / n^2)".
  std::vector<std::string> equations;
  /// For one (s, a) (obs_dim and action_dim values) fills f0 (obs_dim values) and F (obs_dim x
  /// coefficients, row-major). Pure and thread-safe: planner threads call it concurrently.
  std::function<void(const double* s, const double* a, double* f0, double* F)> regressors;
  /// Whether the equations describe the transition (s, a, s') at all (the car touching a wall,
  /// or falling off a cliff, follows other laws); the fit uses only those. Empty: all do.
  std::function<bool(const double* s, const double* a, const double* s_next)> describes;
  /// The physical parameters (names' order) of coefficients theta; returns NaN for a parameter
  /// that theta does not determine (e.g. a non-physical negative damping).
  std::function<std::vector<double>(const Eigen::VectorXd& theta)> physical;
  /// The coefficients of physical parameters (the inverse of `physical`).
  std::function<Eigen::VectorXd(const std::vector<double>& params)> coefficients_of;
};

}  // namespace dynalab
