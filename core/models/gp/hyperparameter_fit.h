#pragma once
// Type-II maximum likelihood for one GaussianProcess: maximise log p(y | X, theta) over the
// log hyperparameters with L-BFGS (liblbfgs, More-Thuente line search), as pilco-matlab's
// gp/train.m does with minimize.m and hypCurb.m:
//
//   minimise  -log p(y | X, theta)
//             + sum_d ((log ell_d - log std(x_d)) / log(max_lengthscale_ratio))^30
//             + ((log sf - log sn) / log(max_signal_to_noise))^30
//
// The two curbs are hypCurb.m's (penalty power p = 30): they are about 1 inside the allowed
// ranges' edges and grow steeply beyond, so length scales stay within a factor
// max_lengthscale_ratio of each input's spread and sf / sn stays near or below
// max_signal_to_noise (pilco-matlab doc/doc.tex: ratios above ~500 cause numerical problems).
// The curb is soft: on noise-free data the optimum lies a little beyond the ratio (the
// likelihood keeps pulling sn down), by a factor that grows slowly with n.
// The noise variance also has a hard floor, sn^2 >= min_noise_variance: the optimiser works in
// z = 1/2 log(sn^2 - min_noise_variance), the shifted transform of GPflow's Gaussian likelihood
// (variance_lower_bound, default 1e-6, "very small uncertainties can lead to numerical
// instability"). Deterministic: no random draws.

#include <Eigen/Core>

#include "core/models/gp/gaussian_process.h"

namespace dynalab::gp {

struct FitOptions {
  int max_iterations = 100;          ///< L-BFGS iterations of this call
  double max_signal_to_noise = 500;  ///< sf / sn curb (pilco-matlab doc.tex; hypCurb's default)
  double max_lengthscale_ratio = 100;  ///< ell / std(x) curb (pilco-matlab train.m curb.ls)
  double min_noise_variance = 1e-6;  ///< sn^2 floor in y's units (GPflow's default lower bound)
  /// Stop when an iteration lowers the objective by less than ftol max(|f|, 1): scipy's L-BFGS-B
  /// default (factr 1e7 times machine epsilon).
  double ftol = 2.220446049250313e-09;
};

struct FitResult {
  int iterations = 0;    ///< L-BFGS iterations done
  int evaluations = 0;   ///< objective and gradient evaluations
  bool converged = false;  ///< stopped before max_iterations (gradient, ftol or no progress)
  int status = 0;        ///< liblbfgs's return code
  double objective = 0;  ///< the penalised objective at the result
  double log_likelihood = 0;  ///< log p(y | X, theta) at the result
};

/// pilco-matlab train.m's initial guess from the data X (n x d), y (n): ell_d = std of input d,
/// sf = std(y), sn = sf / 10 (standard deviations of 0 become 1).
Eigen::VectorXd initial_hyperparameters(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

/// The two curbs at theta for inputs of spreads `input_std` (d); adds their gradient to *grad.
double hyperparameter_penalty(const Eigen::VectorXd& theta, const Eigen::VectorXd& input_std,
                              const FitOptions& opt, Eigen::VectorXd* grad);

/// Minimises the penalised objective from gp's current hyperparameters (moved above the noise
/// floor first if below it) with at most opt.max_iterations iterations, and leaves the GP
/// factorised at the best point found. The GP must hold data.
FitResult fit_hyperparameters(GaussianProcess& gp, const FitOptions& opt);

}  // namespace dynalab::gp
