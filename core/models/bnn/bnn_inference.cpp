// BnnDynamics's predictions through its K frozen draws: the batch predict(), the rollout hot path
// predict_member() (the fused Mlp::predict on gathered rows, as ensemble_inference.cpp) and the
// input Jacobians by one backward pass.

#include <cmath>
#include <vector>

#include "core/models/bnn/bnn_dynamics.h"

namespace dynalab {

namespace {

using AlignedFloats = std::vector<float, Eigen::aligned_allocator<float>>;

template <class ArrayT>
auto softplus_array(const ArrayT& x) {
  return x.max(0.0f) + (1.0f + (-x.abs()).exp()).log();
}

struct BnnWorkspace : DynamicsModel::Workspace {
  AlignedFloats xbuf, obuf;
  Mlp::Scratch scratch;
  Eigen::RowVectorXf in_mean, in_inv, y_mean, y_sd;
  Eigen::ArrayXf tmp;
};

}  // namespace

void BnnDynamics::predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
                          MemberPredictions& out) const {
  const long n = obs.rows();
  const int D = target_dim();
  Eigen::MatrixXf X(n, input_dim()), O(n, net_shape().out);
  X << obs, actions;
  X = (X.rowwise() - in_norm_.mean).array().rowwise() / in_norm_.std.array();
  Mlp::Scratch scratch;
  out.mean.resize(size_t(members()));
  out.var.resize(size_t(members()));
  const float noise_var = float(cfg_.bnn.noise_std * cfg_.bnn.noise_std);
  for (int k = 0; k < members(); ++k) {
    draws_[size_t(k)].predict(X, O, scratch);
    out.mean[k] = ((O.leftCols(D).array().rowwise() * out_norm_.std.array()).rowwise() +
                   out_norm_.mean.array())
                      .matrix();
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
  return std::make_unique<BnnWorkspace>();
}

Eigen::Map<const Eigen::MatrixXf> BnnDynamics::predict_member(int k, const RowMatrixXf& obs,
                                                              const RowMatrixXf& actions,
                                                              const int* rows, long ng,
                                                              bool with_std, Workspace& base) const {
  auto& ws = static_cast<BnnWorkspace&>(base);
  const int O = obs_dim_, A = action_dim_, D = target_dim(), in = O + A;
  const int net_out = known_noise() ? D : 2 * D;
  ws.in_mean = in_norm_.mean;
  ws.in_inv = in_norm_.std.cwiseInverse();
  ws.y_mean = out_norm_.mean;
  ws.y_sd = out_norm_.std;
  if (ws.xbuf.size() < size_t(ng * in)) ws.xbuf.resize(size_t(ng * in));
  if (ws.obuf.size() < size_t(ng * 2 * D)) ws.obuf.resize(size_t(ng * 2 * D));
  Eigen::Map<Eigen::MatrixXf> X(ws.xbuf.data(), ng, in), Out(ws.obuf.data(), ng, net_out);
  for (int d = 0; d < O; ++d) {
    float* x = X.col(d).data();
    for (long j = 0; j < ng; ++j)
      x[j] = (obs(rows ? rows[j] : j, d) - ws.in_mean[d]) * ws.in_inv[d];
  }
  for (int d = 0; d < A; ++d) {
    float* x = X.col(O + d).data();
    for (long j = 0; j < ng; ++j)
      x[j] = (actions(rows ? rows[j] : j, d) - ws.in_mean[O + d]) * ws.in_inv[O + d];
  }
  draws_[size_t(k)].predict(X, Out, ws.scratch);
  // Column-major: the D std columns follow the D mean columns in obuf for either head.
  Eigen::Map<Eigen::MatrixXf> Y(ws.obuf.data(), ng, 2 * D);
  for (int j = 0; j < D; ++j) Y.col(j).array() = Y.col(j).array() * ws.y_sd[j] + ws.y_mean[j];
  if (with_std) {
    if (known_noise()) {
      for (int j = 0; j < D; ++j) Y.col(D + j).setConstant(float(cfg_.bnn.noise_std) * ws.y_sd[j]);
    } else {
      for (int j = 0; j < D; ++j) {
        auto raw = Y.col(D + j).array();
        const float mx = bounds_.max_lv[j], mn = bounds_.min_lv[j];
        ws.tmp = mx - raw;
        raw = mx - softplus_array(ws.tmp);
        ws.tmp = raw - mn;
        raw = mn + softplus_array(ws.tmp);
        raw = (0.5f * raw).exp() * ws.y_sd[j];
      }
    }
  }
  return Eigen::Map<const Eigen::MatrixXf>(ws.obuf.data(), ng, 2 * D);
}

bool BnnDynamics::input_jacobian(int k, const Eigen::VectorXf& obs, const Eigen::VectorXf& action,
                                 Eigen::MatrixXf& jacobian) const {
  RowMatrixXf o = obs.transpose(), a = action.transpose();
  std::vector<Eigen::MatrixXf> js;
  input_jacobians(k, o, a, js);
  jacobian = js[0];
  return true;
}

bool BnnDynamics::input_jacobians(int k, const RowMatrixXf& obs, const RowMatrixXf& actions,
                                  std::vector<Eigen::MatrixXf>& jacobians) const {
  // As Ensemble::input_jacobians: D copies of each normalised input (rows i D .. i D + D - 1),
  // output j backpropagated from row i D + j; the normalisers scale rows and columns.
  const int O = obs_dim_, in = input_dim(), D = target_dim();
  const long n = obs.rows();
  const Mlp& net = draws_[size_t(k)];
  Mlp::Mat X(n * D, in);
  for (long i = 0; i < n; ++i)
    for (int c = 0; c < in; ++c) {
      const float v = ((c < O ? obs(i, c) : actions(i, c - O)) - in_norm_.mean[c]) / in_norm_.std[c];
      X.col(c).segment(i * D, D).setConstant(v);
    }
  Mlp::Cache cache;
  net.forward(X, cache);
  Mlp::Mat dout = Mlp::Mat::Zero(n * D, net.shape().out);
  for (long i = 0; i < n; ++i) dout.block(i * D, 0, D, D).setIdentity();
  Mlp::Mat dX;
  net.input_gradient(X, dout, cache, dX);
  jacobians.resize(size_t(n));
  for (long i = 0; i < n; ++i) {
    Eigen::MatrixXf& J = jacobians[size_t(i)];
    J.resize(D, in);
    for (int j = 0; j < D; ++j)
      for (int c = 0; c < in; ++c) J(j, c) = out_norm_.std[j] * dX(i * D + j, c) / in_norm_.std[c];
  }
  return true;
}

}  // namespace dynalab
