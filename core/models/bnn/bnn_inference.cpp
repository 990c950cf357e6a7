// BnnDynamics's predictions through its K frozen draws: the batch predict(), the rollout hot path
// predict_member() and the input Jacobians, through normalised_inference.h as Ensemble's members.

#include <cmath>
#include <vector>

#include "core/models/bnn/bnn_dynamics.h"
#include "core/models/normalised_inference.h"

namespace dynalab {

void BnnDynamics::predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
                          MemberPredictions& out) const {
  const long n = obs.rows();
  const int D = target_dim();
  const Eigen::MatrixXf X = normalised_inputs(obs, actions, in_norm_);
  Eigen::MatrixXf O(n, net_shape().out);
  Mlp::Scratch scratch;
  out.mean.resize(size_t(members()));
  out.var.resize(size_t(members()));
  const float noise_var = float(cfg_.bnn.noise_std * cfg_.bnn.noise_std);
  for (int k = 0; k < members(); ++k) {
    draws_[size_t(k)].predict(X, O, scratch);
    out.mean[k] = denormalised_mean(O, out_norm_);
    out.var[k].resize(n, D);
    for (long i = 0; i < n; ++i)
      for (int j = 0; j < D; ++j)
        out.var[k](i, j) =
            (known_noise() ? noise_var
                           : std::exp(bound_logvar(O(i, D + j), bounds_.max_lv[j], bounds_.min_lv[j]))) *
            out_norm_.std[j] * out_norm_.std[j];
  }
}

std::unique_ptr<DynamicsModel::Workspace> BnnDynamics::make_workspace() const {
  return std::make_unique<NormalisedNetWorkspace>();
}

Eigen::Map<const Eigen::MatrixXf> BnnDynamics::predict_member(int k, const RowMatrixXf& obs,
                                                              const RowMatrixXf& actions,
                                                              const int* rows, long ng,
                                                              bool with_std, Workspace& base) const {
  auto& ws = static_cast<NormalisedNetWorkspace&>(base);
  const int D = target_dim();
  // 2D columns for either head: with a known noise the std columns are filled here.
  Eigen::Map<Eigen::MatrixXf> y =
      predict_normalised(draws_[size_t(k)], in_norm_, out_norm_, obs, actions, rows, ng, 2 * D, ws);
  if (with_std) {
    if (known_noise()) {
      for (int j = 0; j < D; ++j) y.col(D + j).setConstant(float(cfg_.bnn.noise_std) * ws.y_sd[j]);
    } else {
      bounded_std_columns(y, bounds_, ws.y_sd, ws.tmp);
    }
  }
  return Eigen::Map<const Eigen::MatrixXf>(y.data(), y.rows(), y.cols());
}

bool BnnDynamics::input_jacobian(int k, const Eigen::VectorXf& obs, const Eigen::VectorXf& action,
                                 Eigen::MatrixXf& jacobian) const {
  std::vector<Eigen::MatrixXf> js;
  input_jacobians(k, obs.transpose(), action.transpose(), js);
  jacobian = std::move(js[0]);
  return true;
}

bool BnnDynamics::input_jacobians(int k, const RowMatrixXf& obs, const RowMatrixXf& actions,
                                  std::vector<Eigen::MatrixXf>& jacobians) const {
  normalised_input_jacobians(draws_[size_t(k)], in_norm_, out_norm_, obs, actions, jacobians);
  return true;
}

}  // namespace dynalab
