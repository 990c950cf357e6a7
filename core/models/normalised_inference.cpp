#include "core/models/normalised_inference.h"

namespace dynalab {

namespace {
template <class ArrayT>
auto softplus_array(const ArrayT& x) {
  // log(1 + e) rather than log1p(e): Eigen vectorises log, and for e < 1e-7 the absolute
  // error (< 1e-7) is far below what the log-variance bound needs.
  return x.max(0.0f) + (1.0f + (-x.abs()).exp()).log();
}
}  // namespace

Eigen::Map<Eigen::MatrixXf> predict_normalised(const Mlp& net, const Normalizer& in,
                                               const Normalizer& out, const RowMatrixXf& obs,
                                               const RowMatrixXf& actions, const int* rows,
                                               long ng, int out_cols, NormalisedNetWorkspace& ws) {
  const int O = int(obs.cols()), A = int(actions.cols()), D = int(out.mean.size()), nin = O + A;
  // Copies (same size each call: no allocation), read by every row below.
  ws.in_mean = in.mean;
  ws.in_inv = in.std.cwiseInverse();
  ws.y_mean = out.mean;
  ws.y_sd = out.std;
  const Eigen::RowVectorXf &in_mean = ws.in_mean, &in_inv = ws.in_inv, &y_mean = ws.y_mean,
                           &y_sd = ws.y_sd;
  if (ws.xbuf.size() < size_t(ng * nin)) ws.xbuf.resize(size_t(ng * nin));
  if (ws.obuf.size() < size_t(ng * out_cols)) ws.obuf.resize(size_t(ng * out_cols));
  Eigen::Map<Eigen::MatrixXf> X(ws.xbuf.data(), ng, nin),
      Out(ws.obuf.data(), ng, net.shape().out);
  for (int d = 0; d < O; ++d) {
    float* x = X.col(d).data();
    for (long j = 0; j < ng; ++j) x[j] = (obs(rows ? rows[j] : j, d) - in_mean[d]) * in_inv[d];
  }
  for (int d = 0; d < A; ++d) {
    float* x = X.col(O + d).data();
    for (long j = 0; j < ng; ++j)
      x[j] = (actions(rows ? rows[j] : j, d) - in_mean[O + d]) * in_inv[O + d];
  }
  net.predict(X, Out, ws.scratch);
  // Column-major: whatever out_cols, the mean columns come first in obuf.
  Eigen::Map<Eigen::MatrixXf> Y(ws.obuf.data(), ng, out_cols);
  for (int j = 0; j < D; ++j) Y.col(j).array() = Y.col(j).array() * y_sd[j] + y_mean[j];
  return Y;
}

void bounded_std_columns(Eigen::Map<Eigen::MatrixXf>& y, const LogVarBounds<float>& b,
                         const Eigen::RowVectorXf& y_sd, Eigen::ArrayXf& tmp) {
  const int D = int(b.max_lv.size());
  for (int j = 0; j < D; ++j) {
    auto raw = y.col(D + j).array();
    const float mx = b.max_lv[j], mn = b.min_lv[j];
    tmp = mx - raw;  // a persistent buffer: .eval() would allocate per column and step
    raw = mx - softplus_array(tmp);
    tmp = raw - mn;
    raw = mn + softplus_array(tmp);
    raw = (0.5f * raw).exp() * y_sd[j];
  }
}

Eigen::MatrixXf normalised_inputs(const RowMatrixXf& obs, const RowMatrixXf& actions,
                                  const Normalizer& in) {
  Eigen::MatrixXf X(obs.rows(), obs.cols() + actions.cols());
  X << obs, actions;
  X = (X.rowwise() - in.mean).array().rowwise() / in.std.array();
  return X;
}

RowMatrixXf denormalised_mean(const Eigen::MatrixXf& o, const Normalizer& out) {
  const long D = out.mean.size();
  return ((o.leftCols(D).array().rowwise() * out.std.array()).rowwise() + out.mean.array())
      .matrix();
}

void normalised_input_jacobians(const Mlp& net, const Normalizer& in, const Normalizer& out,
                                const RowMatrixXf& obs, const RowMatrixXf& actions,
                                std::vector<Eigen::MatrixXf>& jacobians) {
  const int O = int(obs.cols()), nin = O + int(actions.cols()), D = int(out.mean.size());
  const long n = obs.rows();
  Mlp::Mat X(n * D, nin);
  for (long i = 0; i < n; ++i)
    for (int k = 0; k < nin; ++k) {
      const float v = ((k < O ? obs(i, k) : actions(i, k - O)) - in.mean[k]) / in.std[k];
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
    J.resize(D, nin);
    for (int j = 0; j < D; ++j)
      for (int k = 0; k < nin; ++k) J(j, k) = out.std[j] * dX(i * D + j, k) / in.std[k];
  }
}

}  // namespace dynalab
