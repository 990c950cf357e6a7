#pragma once
// What every gradient-based method of issue 18 needs from a world: a deterministic one-step map
// x_{t+1} = f(x_t, u_t) with its Jacobians, and the reward r(x, u, x') with its derivatives.
// iLQR (core/planning/ilqr.h) linearises f around a nominal trajectory; the pathwise gradient
// (core/gradients/pathwise_gradient.h) multiplies the Jacobians backwards through a closed-loop
// rollout. Implementations: the true env by finite differences through Env::clone/set_observation
// (env_dynamics.h; exact for an env that knows its Jacobians), one member or the elite mean of a
// learned model through its input Jacobians (model_dynamics.h), and LinearDynamics below.
//
// Everything is in double: a Jacobian product over a long horizon multiplies many of them, and
// the gradient checks compare with finite differences at 1e-4 relative error.

#include <Eigen/Core>

#include <vector>

#include "core/space.h"

namespace dynalab {

/// x_{t+1} = f(x_t, u_t), with its Jacobians.
class DifferentiableDynamics {
 public:
  virtual ~DifferentiableDynamics() = default;
  virtual int state_dim() const = 0;
  virtual int action_dim() const = 0;
  /// The next state (state_dim) of state x (state_dim) under action u (action_dim).
  virtual Vec step(const Vec& x, const Vec& u) const = 0;
  /// A = df/dx (state_dim x state_dim) and B = df/du (state_dim x action_dim) at (x, u).
  /// Default: central finite differences of step() with step `fd_step` per coordinate
  /// (error O(fd_step^2) for smooth f).
  virtual void jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A, Eigen::MatrixXd& B) const;
  /// step() at each of a batch of points (x[i], u[i]) into next[i] (resized). A learned model
  /// overrides it with one batched pass (a rollout steps a whole batch of starts at once);
  /// the default loops step().
  virtual void step_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                          std::vector<Vec>& next) const;
  /// jacobians() at each of a batch of points into A[i], B[i] (resized); the default loops.
  virtual void jacobians_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                               std::vector<Eigen::MatrixXd>& A, std::vector<Eigen::MatrixXd>& B) const;
  /// Finite-difference step of the default jacobians().
  double fd_step = 1e-5;

  /// A model with a predictive spread, s' = mean(x, u) + sd(x, u) o eps (o: elementwise), sampled
  /// by the reparameterisation trick: eps (state_dim standard normals per point) is held fixed, so
  /// the sample is a differentiable function of (x, u) (MC-PILCO, Amadio et al., IEEE T-RO 2022).
  /// Writes the samples to `next` and, if A and B are not null, the Jacobians of the map at each
  /// point, eps fixed: A = d mean/dx + diag(eps) d sd/dx, B likewise in u (one pass computes both).
  /// step()/step_batch() give the mean. A deterministic model has sd = 0, the default here:
  /// step_batch and jacobians_batch, eps ignored.
  virtual void sample_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                            const std::vector<Vec>& eps, std::vector<Vec>& next,
                            std::vector<Eigen::MatrixXd>* A = nullptr,
                            std::vector<Eigen::MatrixXd>* B = nullptr) const;
};

/// Central finite differences of f at (x, u): A = df/dx, B = df/du (the default above, also for
/// callers that check an exact Jacobian against it).
void finite_difference_jacobians(const DifferentiableDynamics& f, const Vec& x, const Vec& u,
                                 double h, Eigen::MatrixXd& A, Eigen::MatrixXd& B);

/// x_{t+1} = A x_t + B u_t + c: exact Jacobians.
class LinearDynamics : public DifferentiableDynamics {
 public:
  /// Throws std::invalid_argument unless A is n x n, B n x m and c of size n.
  LinearDynamics(Eigen::MatrixXd A, Eigen::MatrixXd B, Vec c);
  int state_dim() const override { return int(A_.rows()); }
  int action_dim() const override { return int(B_.cols()); }
  Vec step(const Vec& x, const Vec& u) const override;
  void jacobians(const Vec&, const Vec&, Eigen::MatrixXd& A, Eigen::MatrixXd& B) const override;

 private:
  Eigen::MatrixXd A_, B_;
  Vec c_;
};

/// First derivatives of a reward r(s, a, s').
struct RewardGradient {
  double r = 0;
  Vec rs, ra, rn;  ///< dr/ds (state_dim), dr/da (action_dim), dr/ds' (state_dim)
};

/// A reward r(s, a, s') with its derivatives.
class DifferentiableReward {
 public:
  virtual ~DifferentiableReward() = default;
  virtual double reward(const Vec& s, const Vec& a, const Vec& s_next) const = 0;
  /// r and its gradient. Default: central differences of reward() with step `fd_step`.
  virtual RewardGradient gradient(const Vec& s, const Vec& a, const Vec& s_next) const;
  /// The Hessian of r in z = [s, a, s'] (2 state_dim + action_dim square). Default: central
  /// differences of gradient() with step `fd_step`, symmetrised.
  virtual Eigen::MatrixXd hessian(const Vec& s, const Vec& a, const Vec& s_next) const;
  /// Finite-difference step of the defaults: the rewards are closed-form double functions, so
  /// 1e-5 leaves about 1e-10 of round-off in a gradient and 1e-6 in a Hessian.
  double fd_step = 1e-5;
};

}  // namespace dynalab
