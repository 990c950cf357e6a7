// Ensemble's DynamicsModel hot path: one member on a gathered subset of rows, through the fused
// inference of Mlp::predict (dense_kernel.h on AVX-512), and its input Jacobian; the
// normalisation around them is normalised_inference.h's, shared with BnnDynamics.

#include <vector>

#include "core/models/ensemble.h"
#include "core/models/normalised_inference.h"

namespace dynalab {

std::unique_ptr<DynamicsModel::Workspace> Ensemble::make_workspace() const {
  return std::make_unique<NormalisedNetWorkspace>();
}

Eigen::Map<const Eigen::MatrixXf> Ensemble::predict_member(int m, const RowMatrixXf& obs,
                                                           const RowMatrixXf& actions,
                                                           const int* rows, long ng,
                                                           bool with_std, Workspace& base) const {
  auto& ws = static_cast<NormalisedNetWorkspace&>(base);
  const int D = target_dim();
  Eigen::Map<Eigen::MatrixXf> y = predict_normalised(members_[m].net, in_norm_, out_norm_, obs,
                                                     actions, rows, ng,
                                                     probabilistic_ ? 2 * D : D, ws);
  if (with_std && probabilistic_) bounded_std_columns(y, members_[m].bounds, ws.y_sd, ws.tmp);
  return Eigen::Map<const Eigen::MatrixXf>(y.data(), y.rows(), y.cols());
}

bool Ensemble::input_jacobian(int m, const Eigen::VectorXf& obs, const Eigen::VectorXf& action,
                              Eigen::MatrixXf& jacobian) const {
  std::vector<Eigen::MatrixXf> js;
  input_jacobians(m, obs.transpose(), action.transpose(), js);
  jacobian = std::move(js[0]);
  return true;
}

bool Ensemble::input_jacobians(int m, const RowMatrixXf& obs, const RowMatrixXf& actions,
                               std::vector<Eigen::MatrixXf>& jacobians) const {
  normalised_input_jacobians(members_[m].net, in_norm_, out_norm_, obs, actions, jacobians);
  return true;
}

}  // namespace dynalab
