// Ensemble's DynamicsModel hot path: one member on a gathered subset of rows, through the fused
// inference of Mlp::predict (dense_kernel.h on AVX-512), and its input Jacobian.

#include <vector>

#include "core/models/ensemble.h"

namespace dynalab {

namespace {

using AlignedFloats = std::vector<float, Eigen::aligned_allocator<float>>;

template <class ArrayT>
auto softplus_array(const ArrayT& x) {
  // log(1 + e) rather than log1p(e): Eigen vectorises log, and for e < 1e-7 the absolute
  // error (< 1e-7) is far below what the log-variance bound needs.
  return x.max(0.0f) + (1.0f + (-x.abs()).exp()).log();
}

/// predict_member's buffers: the gathered, normalised input and the output, column-major.
struct EnsembleWorkspace : DynamicsModel::Workspace {
  AlignedFloats xbuf, obuf;
  Mlp::Scratch scratch;
  Eigen::RowVectorXf in_mean, in_inv, y_mean, y_sd;  // the normalisers, copied once per call
  Eigen::ArrayXf tmp;  // log-variance bounds: the argument of softplus
};

}  // namespace

std::unique_ptr<DynamicsModel::Workspace> Ensemble::make_workspace() const {
  return std::make_unique<EnsembleWorkspace>();
}

Eigen::Map<const Eigen::MatrixXf> Ensemble::predict_member(int m, const RowMatrixXf& obs,
                                                           const RowMatrixXf& actions,
                                                           const int* rows, long ng,
                                                           bool with_std, Workspace& base) const {
  auto& ws = static_cast<EnsembleWorkspace&>(base);
  const int O = obs_dim_, A = action_dim_, D = target_dim(), in = O + A;
  const int outdim = probabilistic_ ? 2 * D : D;
  // Copies (same size each call: no allocation), read by every row below.
  ws.in_mean = in_norm_.mean;
  ws.in_inv = in_norm_.std.cwiseInverse();
  ws.y_mean = out_norm_.mean;
  ws.y_sd = out_norm_.std;
  const Eigen::RowVectorXf &in_mean = ws.in_mean, &in_inv = ws.in_inv, &y_mean = ws.y_mean,
                           &y_sd = ws.y_sd;
  if (ws.xbuf.size() < size_t(ng * in)) ws.xbuf.resize(ng * in);
  if (ws.obuf.size() < size_t(ng * outdim)) ws.obuf.resize(ng * outdim);
  Eigen::Map<Eigen::MatrixXf> X(ws.xbuf.data(), ng, in), Out(ws.obuf.data(), ng, outdim);
  for (int d = 0; d < O; ++d) {
    float* x = X.col(d).data();
    for (long j = 0; j < ng; ++j) x[j] = (obs(rows ? rows[j] : j, d) - in_mean[d]) * in_inv[d];
  }
  for (int d = 0; d < A; ++d) {
    float* x = X.col(O + d).data();
    for (long j = 0; j < ng; ++j)
      x[j] = (actions(rows ? rows[j] : j, d) - in_mean[O + d]) * in_inv[O + d];
  }
  members_[m].net.predict(X, Out, ws.scratch);
  for (int j = 0; j < D; ++j) Out.col(j).array() = Out.col(j).array() * y_sd[j] + y_mean[j];
  if (with_std && probabilistic_) {
    const auto& b = members_[m].bounds;
    for (int j = 0; j < D; ++j) {
      auto raw = Out.col(D + j).array();
      const float mx = b.max_lv[j], mn = b.min_lv[j];
      ws.tmp = mx - raw;  // a persistent buffer: .eval() would allocate per column and step
      raw = mx - softplus_array(ws.tmp);
      ws.tmp = raw - mn;
      raw = mn + softplus_array(ws.tmp);
      raw = (0.5f * raw).exp() * y_sd[j];
    }
  }
  return Eigen::Map<const Eigen::MatrixXf>(ws.obuf.data(), ng, outdim);
}

bool Ensemble::input_jacobian(int m, const Eigen::VectorXf& obs, const Eigen::VectorXf& action,
                              Eigen::MatrixXf& jacobian) const {
  const int O = obs_dim_, in = input_dim(), D = target_dim();
  const Mlp& net = members_[m].net;
  // D copies of the normalised input: backpropagating output j from row j gives row j of the
  // Jacobian in one backward pass.
  Eigen::RowVectorXf x(in);
  for (int k = 0; k < in; ++k)
    x[k] = ((k < O ? obs[k] : action[k - O]) - in_norm_.mean[k]) / in_norm_.std[k];
  Mlp::Mat X = x.replicate(D, 1);
  Mlp::Cache cache;
  net.forward(X, cache);
  Mlp::Mat dout = Mlp::Mat::Zero(D, net.shape().out);
  dout.leftCols(D).setIdentity();
  Mlp::Vec grad = Mlp::Vec::Zero(net.params().size());
  Mlp::Mat dX;
  net.backward(X, dout, cache, grad, &dX);
  // y = mean_y + sd_y * net((x - mean_x) / sd_x): the chain rule scales rows and columns.
  jacobian.resize(D, in);
  for (int j = 0; j < D; ++j)
    for (int k = 0; k < in; ++k) jacobian(j, k) = out_norm_.std[j] * dX(j, k) / in_norm_.std[k];
  return true;
}

bool Ensemble::input_jacobians(int m, const RowMatrixXf& obs, const RowMatrixXf& actions,
                               std::vector<Eigen::MatrixXf>& jacobians) const {
  // As input_jacobian, for n inputs in one pass: D copies of each normalised input (rows
  // i D .. i D + D - 1), output j backpropagated from row i D + j.
  const int O = obs_dim_, in = input_dim(), D = target_dim();
  const long n = obs.rows();
  const Mlp& net = members_[m].net;
  Mlp::Mat X(n * D, in);
  for (long i = 0; i < n; ++i)
    for (int k = 0; k < in; ++k) {
      const float v = ((k < O ? obs(i, k) : actions(i, k - O)) - in_norm_.mean[k]) / in_norm_.std[k];
      X.col(k).segment(i * D, D).setConstant(v);
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
      for (int k = 0; k < in; ++k) J(j, k) = out_norm_.std[j] * dX(i * D + j, k) / in_norm_.std[k];
  }
  return true;
}

}  // namespace dynalab
