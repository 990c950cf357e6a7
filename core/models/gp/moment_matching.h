#pragma once
// Exact moments of a GP's prediction at a Gaussian input x* ~ N(m, S): the analytic moment
// matching of the original PILCO (Deisenroth & Rasmussen, ICML 2011, eqs. 14-17; Deisenroth's
// thesis 2010, section 2.3.2; pilco-matlab gp/gp0.m), for one GP with the SE-ARD kernel,
// Lambda = diag(ell^2), nu_i = x_i - m, beta = alpha = K^-1 y:
//
//   mean      mu = beta^T q,   q_i = sf^2 |S Lambda^-1 + I|^-1/2 exp(-1/2 nu_i^T (S + Lambda)^-1 nu_i)
//   variance  var = beta^T Q beta - mu^2 + sf^2 - tr(K^-1 Q),   R = 2 S Lambda^-1 + I,
//             Q_ij = k(x_i, m) k(x_j, m) |R|^-1/2 exp(1/2 z_ij^T R^-1 S z_ij),
//             z_ij = Lambda^-1 (nu_i + nu_j)
//
// `var` is the variance of the latent f(x*) with x* integrated out (E[var f(x*)] + Var[E f(x*)]),
// without the noise sn^2. S = 0 gives the ordinary posterior at m.

#include <Eigen/Core>

#include "core/models/gp/gaussian_process.h"

namespace dynalab::gp {

struct GaussianInputPrediction {
  double mean = 0;
  double variance = 0;  ///< of the latent function (add sn^2 for a noisy y*)
};

/// The moments at x* ~ N(m, S): m (d), S (d x d, symmetric positive semi-definite).
/// O(n^2 d) for the variance. Throws std::invalid_argument on wrong sizes.
GaussianInputPrediction predict_at_gaussian_input(const GaussianProcess& gp, const Eigen::VectorXd& m,
                                                  const Eigen::MatrixXd& S);

}  // namespace dynalab::gp
