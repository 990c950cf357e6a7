#include "core/agents/gps/global_policy.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/agents/gps/gps_state.h"
#include "core/models/param_state.h"
#include "core/rng.h"
#include "core/state_visitor.h"

namespace dynalab {

GlobalPolicy::GlobalPolicy(const GlobalPolicyConfig& cfg, int obs_dim, int action_dim, Rng& init_rng)
    : cfg_(cfg), obs_dim_(obs_dim), action_dim_(action_dim) {
  net_ = Mlp(MlpShape::of(obs_dim, action_dim, cfg.hidden, cfg.activation, "policy.activation"));
  net_.init(init_rng);
  decay_mask_ = net_.weight_mask();
  adam_.reset(long(net_.params().size()));
  var_ = Vec::Constant(action_dim, cfg.init_var);
}

Eigen::MatrixXf GlobalPolicy::whiten(const std::vector<Vec>& obs) const {
  Eigen::MatrixXf X(long(obs.size()), obs_dim_);
  for (size_t i = 0; i < obs.size(); ++i) {
    const Vec o = scale_.size() ? Vec(obs[i].cwiseProduct(scale_) + bias_) : obs[i];
    X.row(long(i)) = o.cast<float>().transpose();
  }
  return X;
}

Vec GlobalPolicy::mean(const Vec& obs) const { return means({obs}).row(0).transpose(); }

Vec GlobalPolicy::sample(const Vec& obs, Rng& rng) const {
  Vec u = mean(obs);
  for (int a = 0; a < action_dim_; ++a) u[a] += std::sqrt(var_[a]) * rng.normal();
  return u;
}

Eigen::MatrixXd GlobalPolicy::means(const std::vector<Vec>& obs) const {
  if (obs.empty()) return Eigen::MatrixXd(0, action_dim_);
  const Eigen::MatrixXf X = whiten(obs);
  Mlp::Cache cache;
  net_.forward(X, cache);
  return cache.out.cast<double>();
}

std::vector<Eigen::MatrixXd> GlobalPolicy::jacobians(const std::vector<Vec>& obs) const {
  std::vector<Eigen::MatrixXd> J(obs.size(), Eigen::MatrixXd(action_dim_, obs_dim_));
  if (obs.empty()) return J;
  const Eigen::MatrixXf X = whiten(obs);
  Mlp::Cache cache;
  Eigen::MatrixXf dout(X.rows(), action_dim_), dX;
  for (int a = 0; a < action_dim_; ++a) {
    net_.forward(X, cache);
    dout.setZero();
    dout.col(a).setOnes();
    net_.input_gradient(X, dout, cache, dX);
    for (size_t i = 0; i < obs.size(); ++i) {
      const Vec g = dX.row(long(i)).transpose().cast<double>();
      J[i].row(a) = (scale_.size() ? Vec(g.cwiseProduct(scale_)) : g).transpose();
    }
  }
  return J;
}

void GlobalPolicy::restore_fit_data(const PolicyRegressionData& d) {
  const size_t P = d.obs.size();
  if (P == 0 || d.target_mean.size() != P || d.target_precision.size() != P)
    throw std::invalid_argument("GlobalPolicy: the S-step needs as many targets and precisions as observations (at least one)");
  X_ = whiten(d.obs);
  Y_.resize(long(P), action_dim_);
  W_.resize(action_dim_ * action_dim_, long(P));
  for (size_t i = 0; i < P; ++i) {
    if (d.obs[i].size() != obs_dim_ || d.target_mean[i].size() != action_dim_ ||
        d.target_precision[i].rows() != action_dim_ || d.target_precision[i].cols() != action_dim_)
      throw std::invalid_argument("GlobalPolicy: S-step data of the wrong size");
    Y_.row(long(i)) = d.target_mean[i].cast<float>().transpose();
    for (int a = 0; a < action_dim_; ++a)
      for (int b = 0; b < action_dim_; ++b) W_(a * action_dim_ + b, long(i)) = float(d.target_precision[i](a, b));
  }
}

void GlobalPolicy::begin_fit(const PolicyRegressionData& d, Rng& rng) {
  if (d.obs.empty()) throw std::invalid_argument("GlobalPolicy: the S-step needs at least one sample");
  const size_t P = d.obs.size();
  {  // the whitening of this S-step's states
    Vec mean = Vec::Zero(obs_dim_), sq = Vec::Zero(obs_dim_);
    for (const Vec& o : d.obs) mean += o;
    mean /= double(P);
    for (const Vec& o : d.obs) sq += (o - mean).cwiseAbs2();
    const Vec sd = (sq / double(P)).cwiseSqrt();
    scale_ = sd.cwiseMax(1e-3).cwiseInverse();
    bias_ = -mean.cwiseProduct(scale_);
  }
  restore_fit_data(d);
  order_.resize(P);
  for (size_t i = 0; i < P; ++i) order_[i] = int(i);
  for (size_t i = P - 1; i > 0; --i) std::swap(order_[i], order_[rng.below(uint64_t(i + 1))]);  // Fisher-Yates
  step_ = 0;
  total_steps_ = cfg_.iterations;
  ++fits_;
  // The variance from the mean precision's diagonal (cbfinn/gps, ent_reg 0).
  Vec diag = Vec::Zero(action_dim_);
  for (const auto& Pm : d.target_precision) diag += Pm.diagonal();
  var_ = (diag / double(P)).cwiseInverse();
}

bool GlobalPolicy::train(int steps) {
  if (!fitting()) return true;
  const long P = X_.rows();
  const int B = int(std::min<long>(cfg_.batch_size, P));
  const long batches = std::max<long>(1, P / B);
  const int m = action_dim_;
  Eigen::MatrixXf xb(B, obs_dim_), dout(B, m);
  Eigen::VectorXf grad(net_.params().size());
  Mlp::Cache cache;
  double loss_sum = 0;
  int done = 0;
  for (; done < steps && step_ < total_steps_; ++done, ++step_) {
    const long start = (long(step_) % batches) * B;
    for (int j = 0; j < B; ++j) xb.row(j) = X_.row(order_[size_t(start + j)]);
    net_.forward(xb, cache);
    double loss = 0;
    for (int j = 0; j < B; ++j) {
      const long i = order_[size_t(start + j)];
      const Eigen::VectorXf r = cache.out.row(j).transpose() - Y_.row(i).transpose();
      const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> W(W_.col(i).data(), m, m);
      const Eigen::VectorXf Wr = W * r;
      loss += 0.5 * double(r.dot(Wr)) / B;
      dout.row(j) = Wr.transpose() / float(B);
    }
    grad.setZero();
    net_.backward(xb, dout, cache, grad, nullptr);
    if (cfg_.weight_decay > 0) grad += float(cfg_.weight_decay) * decay_mask_.cwiseProduct(net_.params());
    adam_.step(net_.params(), grad, cfg_.learning_rate, 0.0, nullptr);
    loss_sum += loss;
  }
  if (done > 0) last_loss_ = loss_sum / done;
  return step_ >= total_steps_;
}

void GlobalPolicy::visit_state(StateVisitor& v) {
  const long n = long(net_.params().size());
  visit_floats(v, "params", net_.params(), n);
  visit_adam(v, "adam", adam_, n);
  visit_gps_vec(v, "scale", scale_);
  visit_gps_vec(v, "bias", bias_);
  visit_gps_vec(v, "var", var_);
  v.field("order", order_);
  v.field("step", step_);
  v.field("total_steps", total_steps_);
  v.field("fits", fits_);
  v.field("last_loss", last_loss_);
  if (v.loading() && (var_.size() != action_dim_ || scale_.size() != bias_.size() ||
                      (scale_.size() != 0 && scale_.size() != obs_dim_)))
    v.fail("var", "a variance per action dimension and a whitening per observation dimension");
}

}  // namespace dynalab
