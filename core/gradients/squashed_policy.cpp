#include "core/gradients/squashed_policy.h"

#include <cmath>
#include <stdexcept>

#include "core/rng.h"

namespace dynalab {

SquashedPolicy::Squash SquashedPolicy::squash_named(const std::string& name) {
  const std::vector<std::string> names = squash_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (name == names[i]) return Squash(i);
  throw std::invalid_argument("SquashedPolicy: squash must be tanh or sine, got '" + name + "'");
}

SquashedPolicy::SquashedPolicy(int obs_dim, const Vec& low, const Vec& high,
                               std::vector<int> hidden, Activation activation, Squash squash)
    : net_(MlpShape{obs_dim, int(low.size()), std::move(hidden), activation}), squash_(squash) {
  if (!low.allFinite() || !high.allFinite() || low.size() != high.size())
    throw std::invalid_argument("SquashedPolicy: the action box must be finite");
  mid_ = (0.5 * (low + high)).transpose();
  half_ = (0.5 * (high - low)).transpose();
}

void SquashedPolicy::init(Rng& rng, double last_layer_scale) {
  net_.init(rng);
  const int L = net_.shape().layers() - 1;
  const long n = long(net_.shape().fan_in(L)) * net_.shape().fan_out(L);
  net_.params().segment(net_.w_offset(L), n) *= last_layer_scale;
}

SquashedPolicy::Mat SquashedPolicy::act(const Mat& obs) const {
  Cache c;
  return forward(obs, c);
}

Vec SquashedPolicy::act(const Vec& obs) const {
  const Mat a = act(Mat(obs.transpose()));
  return a.row(0).transpose();
}

SquashedPolicy::Mat SquashedPolicy::forward(const Mat& obs, Cache& c) const {
  net_.forward(obs, c.net);
  const auto x = c.net.out.array();
  if (squash_ == Squash::tanh)
    c.squashed = x.tanh();
  else
    c.squashed = (9.0 * x.sin() + (3.0 * x).sin()) / 8.0;
  Mat a = c.squashed;
  a.array().rowwise() *= half_.array();
  a.rowwise() += mid_;
  return a;
}

void SquashedPolicy::backward(const Mat& obs, const Mat& d_action, Cache& c, Eigen::VectorXd* grad,
                              Mat* d_obs) const {
  // d a / d net = half * squash'(net): 1 - tanh^2, or (9 cos x + 3 cos 3x) / 8.
  Mat d_out;
  if (squash_ == Squash::tanh) {
    d_out = d_action.array() * (1 - c.squashed.array().square());
  } else {
    const auto x = c.net.out.array();
    d_out = d_action.array() * (9.0 * x.cos() + 3.0 * (3.0 * x).cos()) / 8.0;
  }
  d_out.array().rowwise() *= half_.array();
  if (grad) {
    net_.backward(obs, d_out, c.net, *grad, d_obs);
  } else if (d_obs) {
    net_.input_gradient(obs, d_out, c.net, *d_obs);
  }
}

Eigen::MatrixXd SquashedPolicy::obs_jacobian(const Vec& obs) const {
  // One copy of the observation per action dimension: backprop of row j's unit vector is row j.
  const int A = action_dim();
  const Mat X = obs.transpose().replicate(A, 1);
  Cache c;
  forward(X, c);
  Mat dX;
  backward(X, Mat::Identity(A, A), c, nullptr, &dX);
  return dX;
}

Eigen::VectorXd SquashedPolicy::dropout_mask(double p, Rng& rng) const {
  const MlpShape& shape = net_.shape();
  if (!(p >= 0 && p < 1) || shape.hidden.empty())
    throw std::invalid_argument(
        "SquashedPolicy::dropout_mask: needs 0 <= p < 1 and a hidden layer");
  Eigen::VectorXd mask = Eigen::VectorXd::Ones(net_.params().size());
  const int L = shape.layers() - 1, units = shape.fan_in(L);
  for (int j = 0; j < units; ++j) {
    const double keep = rng.uniform() < p ? 0.0 : 1.0 / (1.0 - p);
    // W_L is units x action_dim, column-major: unit j's outgoing weights are row j.
    for (int k = 0; k < shape.fan_out(L); ++k) mask[net_.w_offset(L) + j + long(k) * units] = keep;
  }
  return mask;
}

}  // namespace dynalab
