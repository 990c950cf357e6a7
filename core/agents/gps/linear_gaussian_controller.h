#pragma once
// A time-varying linear-Gaussian controller, the local policy of guided policy search (Levine &
// Abbeel, "Learning Neural Network Policies with Guided Policy Search under Unknown Dynamics",
// NIPS 2014, section 3; cbfinn/gps python/gps/algorithm/policy/lin_gauss_policy.py):
//
//   p(u_t | x_t) = N(K_t x_t + k_t, C_t),   t = 0 .. T-1,
//
// in absolute coordinates (x_t the env's observation, u_t the commanded action in the env's
// units). Each step keeps C_t with its lower Cholesky factor L_t (C_t = L_t L_t') and its inverse
// (the precision, which the KL-constrained update and the S-step's weights use), all three kept
// consistent by set_covariance / set_precision.

#include <Eigen/Core>
#include <vector>

#include "core/space.h"

namespace dynalab {

class Rng;

struct LinearGaussianController {
  std::vector<Eigen::MatrixXd> K;          ///< T gains, action_dim x state_dim
  std::vector<Vec> k;                      ///< T offsets, action_dim
  std::vector<Eigen::MatrixXd> cov;        ///< T covariances C_t, action_dim x action_dim (SPD)
  std::vector<Eigen::MatrixXd> chol;       ///< T lower Cholesky factors of C_t
  std::vector<Eigen::MatrixXd> precision;  ///< T inverses of C_t

  /// T, and the sizes of x and u.
  int horizon() const { return int(K.size()); }
  int state_dim() const { return K.empty() ? 0 : int(K[0].cols()); }
  int action_dim() const { return K.empty() ? 0 : int(K[0].rows()); }

  /// T steps of K = 0, k = `offset` (action_dim) and C = variance I: GPS's initial controller
  /// with zero gains (cbfinn/gps init_pd with pos_gains 0; init_var 0.1 in its configs).
  /// Throws std::invalid_argument unless T >= 1, state_dim >= 1 and variance > 0.
  static LinearGaussianController constant(int T, int state_dim, const Vec& offset, double variance);

  /// The mean action K_t x + k_t (action_dim) at step t for state x (state_dim).
  Vec mean(int t, const Vec& x) const { return K[t] * x + k[t]; }
  /// A draw from p(u | x) at step t: the mean plus L_t z, z ~ N(0, I) from `rng`.
  Vec sample(int t, const Vec& x, Rng& rng) const;

  /// Sets C_t to the symmetric part of `C` (and its factor and inverse). Returns false, changing
  /// nothing, if it is not positive definite.
  bool set_covariance(int t, const Eigen::MatrixXd& C);
  /// Sets C_t to the inverse of the symmetric part of `P` (the LQR's C = Quu^-1). Returns false,
  /// changing nothing, if P is not positive definite.
  bool set_precision(int t, const Eigen::MatrixXd& P);
  /// Resizes to T steps of zero gains and identity covariances for the given sizes.
  void resize(int T, int state_dim, int action_dim);
};

}  // namespace dynalab
