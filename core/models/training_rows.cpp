#include "core/models/training_rows.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/io/input_error.h"
#include "core/dataset.h"
#include "core/models/dynamics_model.h"
#include "core/rng.h"

namespace dynalab {

void Normalizer::fit(const Eigen::MatrixXf& x) {
  const Eigen::MatrixXd xd = x.cast<double>();
  const Eigen::RowVectorXd m = xd.colwise().mean();
  Eigen::RowVectorXd var = (xd.rowwise() - m).array().square().colwise().mean();
  mean = m.cast<float>();
  std = var.array().sqrt().cast<float>();
  for (int j = 0; j < std.size(); ++j)
    if (!(std[j] >= 1e-6f)) std[j] = 1.0f;
}

void Normalizer::reset(int dims) {
  mean = Eigen::RowVectorXf::Zero(dims);
  std = Eigen::RowVectorXf::Ones(dims);
}

void TrainingRows::begin(const DynamicsModel& model, const Dataset& data, double val_fraction,
                         Rng& rng, Normalizer& in, Normalizer& out) {
  const long n = long(data.size());
  if (data.obs_dim() != model.obs_dim() || data.action_dim() != model.action_dim())
    throw InputError("model: expected a dataset with obs_dim " + std::to_string(model.obs_dim()) +
                     " and action_dim " + std::to_string(model.action_dim()) + ", got " +
                     std::to_string(data.obs_dim()) + " and " + std::to_string(data.action_dim()));
  if (n < 2)
    throw InputError("model: training needs at least 2 transitions, got " + std::to_string(n));
  load(model, data);

  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  for (long i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(uint64_t(i + 1))]);
  long n_val = val_fraction > 0 ? std::max(1L, std::lround(double(n) * val_fraction)) : 0;
  n_val = std::min(n_val, n - 1);
  val.assign(perm.begin(), perm.begin() + n_val);
  train.assign(perm.begin() + n_val, perm.end());

  Eigen::MatrixXf xt(train.size(), x_raw.cols()), yt(train.size(), y_raw.cols());
  for (size_t i = 0; i < train.size(); ++i) {
    xt.row(i) = x_raw.row(train[i]);
    yt.row(i) = y_raw.row(train[i]);
  }
  in.fit(xt);
  out.fit(yt);
  normalise(in, out);
}

void TrainingRows::restore(const DynamicsModel& model, const Dataset& data,
                           std::vector<int> train_rows, std::vector<int> val_rows,
                           const Normalizer& in, const Normalizer& out) {
  train = std::move(train_rows);
  val = std::move(val_rows);
  load(model, data);
  normalise(in, out);
}

void TrainingRows::load(const DynamicsModel& model, const Dataset& data) {
  const long n = long(data.size());
  const int O = model.obs_dim();
  const Eigen::MatrixXd obs = data.observations(), act = data.actions(),
                        next = data.next_observations();
  x_raw.resize(n, O + model.action_dim());
  x_raw << obs.cast<float>(), act.cast<float>();
  y_raw.resize(n, model.target_dim());
  y_raw.leftCols(O) = (next - obs).cast<float>();
  if (model.learns_reward()) y_raw.col(O) = data.rewards().cast<float>();
  if (model.learns_termination())
    y_raw.col(model.termination_column()) = data.terminations().cast<float>();
}

void TrainingRows::normalise(const Normalizer& in, const Normalizer& out) {
  x = (x_raw.rowwise() - in.mean).array().rowwise() / in.std.array();
  y = (y_raw.rowwise() - out.mean).array().rowwise() / out.std.array();
  const long n_val = long(val.size());
  x_val.resize(n_val, x.cols());
  y_val.resize(n_val, y.cols());
  for (long i = 0; i < n_val; ++i) {
    x_val.row(i) = x.row(val[i]);
    y_val.row(i) = y.row(val[i]);
  }
}

}  // namespace dynalab
