#include "core/agents/c_learning/future_classifier.h"

#include <cmath>
#include <stdexcept>

#include "core/models/losses.h"
#include "core/rng.h"

namespace dynalab {

FutureClassifier::FutureClassifier(int obs_dim, int action_dim, int future_dim,
                                   const std::vector<int>& hidden, const std::string& activation,
                                   Rng& rng)
    : obs_dim_(obs_dim), action_dim_(action_dim), future_dim_(future_dim),
      net_(MlpShape::of(obs_dim + action_dim + future_dim, 1, hidden, activation)) {
  net_.init(rng);
  shift_ = Eigen::VectorXd::Zero(input_dim());
  scale_ = Eigen::VectorXd::Ones(input_dim());
}

void FutureClassifier::set_normalisation(const Eigen::VectorXd& shift, const Eigen::VectorXd& scale) {
  if (shift.size() != input_dim() || scale.size() != input_dim() || (scale.array() <= 0).any())
    throw std::invalid_argument("FutureClassifier::set_normalisation: bad shift or scale");
  shift_ = shift, scale_ = scale;
}

Eigen::MatrixXf FutureClassifier::normalised(const Eigen::MatrixXd& X) const {
  if (X.cols() != input_dim()) throw std::invalid_argument("FutureClassifier: wrong input width");
  return ((X.rowwise() - shift_.transpose()).array().rowwise() / scale_.transpose().array())
      .matrix()
      .cast<float>();
}

Eigen::VectorXd FutureClassifier::logits(const Eigen::MatrixXd& X) const {
  Mlp::Cache cache;
  net_.forward(normalised(X), cache);
  return cache.out.col(0).cast<double>();
}

double FutureClassifier::loss_and_gradient(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                           const Eigen::VectorXd& w, Eigen::VectorXf& grad) const {
  const Eigen::MatrixXf Xn = normalised(X);
  Mlp::Cache cache;
  net_.forward(Xn, cache);
  Eigen::VectorXd dz;
  const double loss = weighted_bce_with_logits(cache.out.col(0).cast<double>(), y, w, &dz);
  grad = Eigen::VectorXf::Zero(net_.params().size());
  const Eigen::MatrixXf dout = dz.cast<float>();
  net_.backward(Xn, dout, cache, grad, nullptr);
  return loss;
}

double FutureClassifier::train_step(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                    const Eigen::VectorXd& w, double learning_rate) {
  Eigen::VectorXf grad;
  const double loss = loss_and_gradient(X, y, w, grad);
  adam_.step(net_.params(), grad, learning_rate, 0.0, nullptr);
  return loss;
}

}  // namespace dynalab
