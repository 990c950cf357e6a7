#pragma once
// A Gaussian-process dynamics model (core/models/gp/gp_dynamics.h) as DifferentiableDynamics
// with its predictive spread: the particles of MC-PILCO (Amadio et al., "Model-Based Policy
// Search Using Monte Carlo Gradient Estimation with Real Systems Application", IEEE T-RO 2022).
// Per target column j of the state change, in the GP's normalised units (z the normalised input
// [s, a], X its N training inputs, ell the length scales, K the N x N training covariance):
//
//   k_i(z)  = sf^2 exp(-1/2 sum_d (z_d - X_id)^2 / ell_d^2)
//   mean    = sum_i alpha_i k_i(z)                           alpha = K^-1 y
//   var     = sf^2 - k(z)^T K^-1 k(z) + sn^2                 latent + noise (the next observation)
//   d mean / dz_d =  sum_i alpha_i k_i (X_id - z_d) / ell_d^2
//   d var  / dz_d = -2 sum_i (K^-1 k)_i k_i (X_id - z_d) / ell_d^2
//
// and s' = s + target_mean + target_std o (mean + sqrt(var) o eps) for a standard normal eps
// held fixed (the reparameterisation trick), so a particle's next state is differentiable in
// (s, a); step() is the mean. A batch of P particles costs one P x N cross-covariance and one
// P x N x N product per column and step (Eigen's matrix products): the variance uses the
// explicit K^-1 (one matrix product instead of two triangular solves), which leaves a round-off
// of about 1e-9 sf^2 in it when the noise is tiny against sf^2 (a badly conditioned K) - far
// below any spread that moves a particle, but enough to spoil finite differences of it.
// With mean_only the spread is zero: the particles differ only by their start state (PILCO's
// ablation, "mean model only": Deisenroth & Rasmussen 2011, section 4).
//
// Reads the model's GPs and normalisers when built: rebuild after every fit. Double throughout.

#include <vector>

#include "core/gradients/differentiable_dynamics.h"

namespace dynalab {

class GpDynamics;

class GpParticleDynamics : public DifferentiableDynamics {
 public:
  /// The state-change columns of `model` (its first obs_dim targets; a learned reward column is
  /// not used). Throws std::invalid_argument if the model holds no data yet.
  GpParticleDynamics(const GpDynamics& model, bool mean_only);
  int state_dim() const override { return obs_dim_; }
  int action_dim() const override { return action_dim_; }
  Vec step(const Vec& x, const Vec& u) const override;
  void jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A, Eigen::MatrixXd& B) const override;
  void step_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                  std::vector<Vec>& next) const override;
  void jacobians_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                       std::vector<Eigen::MatrixXd>& A, std::vector<Eigen::MatrixXd>& B) const override;
  void sample_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                    const std::vector<Vec>& eps, std::vector<Vec>& next,
                    std::vector<Eigen::MatrixXd>* A = nullptr,
                    std::vector<Eigen::MatrixXd>* B = nullptr) const override;

  /// Predictive standard deviation of the next state (state_dim) at (x, u), real units; zero with
  /// mean_only.
  Vec predictive_std(const Vec& x, const Vec& u) const;
  bool mean_only() const { return mean_only_; }

 private:
  using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  struct Column {
    RowMat X;               // N x D normalised training inputs
    Eigen::VectorXd alpha;  // K^-1 y
    Eigen::MatrixXd K_inv;  // N x N (empty with mean_only)
    Eigen::RowVectorXd inv_ell2;  // 1 / ell^2
    double sf2 = 1, sn2 = 0, y_mean = 0, y_std = 1;
  };
  // The whole batch: next states (if `next`), Jacobians (if A and B); eps null: the mean.
  void evaluate(const std::vector<Vec>& x, const std::vector<Vec>& u, const std::vector<Vec>* eps,
                std::vector<Vec>* next, std::vector<Eigen::MatrixXd>* A,
                std::vector<Eigen::MatrixXd>* B) const;

  int obs_dim_ = 0, action_dim_ = 0;
  bool mean_only_ = false;
  Eigen::RowVectorXd in_mean_, in_std_;
  std::vector<Column> columns_;
};

}  // namespace dynalab
