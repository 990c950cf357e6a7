#pragma once
// A linear-Gaussian conditional y | x ~ N(F x + f, S) read off a joint Gaussian fitted to points
// [x; y] with a normal-inverse-Wishart prior: the MAP covariance
//
//   Sigma = (N E + Phi + N m / (N + m) (mu - mu0)(mu - mu0)') / (N + n0) + sig_reg,
//
// E the points' (equally weighted) empirical covariance and mu their mean, then conditioned on x:
// F = Sigma_yx Sigma_xx^-1, f = mu_y - F mu_x, S = Sigma_yy - F Sigma_xx F'. cbfinn/gps
// (python/gps/algorithm/algorithm_utils.py, gauss_fit_joint_prior) fits both the local dynamics
// (x = [x_t; u_t], y = x_{t+1}, prior from a GMM over all recent transitions: Levine, Finn,
// Darrell & Abbeel, "End-to-End Training of Deep Visuomotor Policies", JMLR 2016, appendix A.3)
// and the global policy's linearisation (x = x_t, y = pi(x_t), a weak constant prior) this way:
// with N = 5 samples in 13 dimensions the empirical covariance alone is singular, and the prior
// fills the directions the samples do not span.

#include <Eigen/Core>

#include "core/space.h"

namespace dynalab {

/// The prior: mean mu0 and scale Phi of the joint, with strengths m (of mu0) and n0 (of Phi).
struct NiwPrior {
  Vec mu0;              ///< D
  Eigen::MatrixXd Phi;  ///< D x D, already multiplied by m as cbfinn/gps passes it
  double m = 0, n0 = 0;
};

/// y | x ~ N(F x + f, cov).
struct LinearGaussianFit {
  Eigen::MatrixXd F;    ///< dy x dx
  Vec f;                ///< dy
  Eigen::MatrixXd cov;  ///< dy x dy, symmetric
};

/// Fits points (rows of `pts`, N x (dx + dy), x first) with the prior (D = dx + dy) and `sig_reg`
/// (D x D, added to Sigma; cbfinn/gps puts its dynamics `regularization` on the x block).
/// Throws std::invalid_argument on sizes that do not match or fewer than 1 point.
LinearGaussianFit fit_linear_gaussian(const Eigen::MatrixXd& pts, int dx, const NiwPrior& prior,
                                      const Eigen::MatrixXd& sig_reg);

}  // namespace dynalab
