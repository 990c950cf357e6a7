#pragma once
// A learned DynamicsModel as DifferentiableDynamics: s' = s + mean delta of one member, or the
// average of the rollout members' (an ensemble's elites) means. The Jacobians come from the
// model's input Jacobians (DynamicsModel::input_jacobian: one backward pass per member through
// its normalisers): A = I + d delta / ds, B = d delta / da. Float inside, double outside.
//
// Not thread-safe (one prediction workspace). The model must outlive this.

#include <memory>

#include "core/gradients/differentiable_dynamics.h"
#include "core/models/dynamics_model.h"

namespace dynalab {

class ModelDynamics : public DifferentiableDynamics {
 public:
  /// Member `member` of `model`, or the mean of its rollout members if member < 0. Throws
  /// std::invalid_argument if the member does not exist or the model has no input Jacobians.
  explicit ModelDynamics(const DynamicsModel& model, int member = -1);
  int state_dim() const override { return model_.obs_dim(); }
  int action_dim() const override { return model_.action_dim(); }
  Vec step(const Vec& x, const Vec& u) const override;
  void jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A, Eigen::MatrixXd& B) const override;
  /// One batched prediction (and one batched input-Jacobian pass) per member for all points.
  void step_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                  std::vector<Vec>& next) const override;
  void jacobians_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                       std::vector<Eigen::MatrixXd>& A, std::vector<Eigen::MatrixXd>& B) const override;

 private:
  const std::vector<int>& members() const;
  void load_batch(const std::vector<Vec>& x, const std::vector<Vec>& u) const;  // into obs_, act_

  const DynamicsModel& model_;
  std::vector<int> single_;  // {member} when one member is used
  std::unique_ptr<DynamicsModel::Workspace> ws_;
  mutable RowMatrixXf obs_, act_;
};

}  // namespace dynalab
