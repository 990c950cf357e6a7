#pragma once
// SystemIdModel: system identification as a DynamicsModel (model.prediction = "system_id").
// The env writes its physics with a few unknown parameters (Env::parametric_dynamics(),
// core/parametric_dynamics.h): s' - s = f0(s, a) + F(s, a) theta. fit() finds theta by linear
// least squares over every transition of a dataset,
//
//     theta = argmin sum_i || (s'_i - s_i - f0(s_i, a_i)) - F(s_i, a_i) theta ||^2
//
// (all observation dimensions stacked, unweighted, in real units; transitions the equations
// do not describe, such as a car against a wall, left out: form().describes), solved by a complete
// orthogonal decomposition of the stacked (N obs_dim) x p regressor matrix, so a parameter the
// data cannot pin down (a rank-deficient regressor) gets the minimum-norm value and
// `identifiable` says so instead of a division by zero. Ljung, "System Identification: Theory
// for the User" (1999), sec. 7.3 (least squares for linear regressions); CS 285 (seeds/000),
// "Does it work? Yes!": essentially how system identification works in classical robotics.
//
// Why it extrapolates: the structure holds everywhere the equations do (the whole hill, the
// plateau), and only p numbers are fit; a network fit to the same data is free to do anything
// where there is no data. Where the structure is wrong (the env's equations do not hold: a car
// in free fall over the cliff) the model is wrong too, and no amount of data fixes that.
//
// One member, deterministic (no aleatoric spread, no epistemic disagreement); the reward and
// termination come from the env's closed forms (the model learns neither).

#include <memory>
#include <string>
#include <vector>

#include "core/models/dynamics_model.h"
#include "core/parametric_dynamics.h"

namespace dynalab {

class Dataset;

/// What a least-squares fit found.
struct SystemIdFit {
  Eigen::VectorXd theta;       ///< p regression coefficients
  std::vector<double> params;  ///< the physical parameters (ParametricDynamics::names order)
  double residual_mse = 0;     ///< mean squared residual per stacked row, real units^2
  size_t transitions = 0;      ///< transitions of the dataset used
  size_t outside = 0;          ///< transitions left out: the equations do not describe them
  int rank = 0;                ///< rank of the regressor matrix (p when every theta is pinned down)
  bool identifiable() const { return rank == int(theta.size()); }
};

class SystemIdModel : public DynamicsModel {
 public:
  /// A model of `form` (its regressors must be set; obs_dim/action_dim/coefficients positive);
  /// before fit() theta is 0. Throws std::invalid_argument on an incomplete form.
  explicit SystemIdModel(ParametricDynamics form);

  /// Least squares on the transitions of `data` the equations describe (form().describes;
  /// non-finite rows are skipped too); replaces theta and returns what was found. Dimensions
  /// must match; with no usable transition theta is kept and `transitions` is 0.
  const SystemIdFit& fit(const Dataset& data);
  /// Sets theta directly (tests, the true parameters for comparison).
  void set_theta(const Eigen::VectorXd& theta);
  const SystemIdFit& last_fit() const { return fit_; }
  const Eigen::VectorXd& theta() const { return fit_.theta; }
  const ParametricDynamics& form() const { return form_; }
  /// fits so far.
  int fits() const { return fits_; }

  int obs_dim() const override { return form_.obs_dim; }
  int action_dim() const override { return form_.action_dim; }
  int members() const override { return 1; }
  const std::vector<int>& rollout_members() const override { return members_; }
  bool probabilistic() const override { return false; }
  bool learns_reward() const override { return false; }
  bool learns_termination() const override { return false; }
  void predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
               MemberPredictions& out) const override;
  std::unique_ptr<Workspace> make_workspace() const override;
  Eigen::Map<const Eigen::MatrixXf> predict_member(int member, const RowMatrixXf& obs,
                                                   const RowMatrixXf& actions, const int* rows,
                                                   long n, bool with_std,
                                                   Workspace& ws) const override;

 private:
  ParametricDynamics form_;
  SystemIdFit fit_;
  std::vector<int> members_{0};
  int fits_ = 0;
};

}  // namespace dynalab
