#include "core/agents/vin/grid_policy.h"

#include <cmath>

#include "core/agents/vin/expert.h"
#include "core/rng.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {
// Parameters and RMSprop's square average as float lists.
void visit_vin_params(StateVisitor& v, Eigen::VectorXf& params, RmsProp& opt) {
  std::vector<float> p(params.data(), params.data() + params.size());
  v.sized("params", p, size_t(params.size()));
  std::vector<float> s(opt.square_avg.data(), opt.square_avg.data() + opt.square_avg.size());
  v.field("rmsprop_square_avg", s);
  if (v.loading()) {
    params = Eigen::Map<Eigen::VectorXf>(p.data(), long(p.size()));
    if (!s.empty() && s.size() != p.size()) v.fail("rmsprop_square_avg", std::to_string(p.size()) + " values");
    opt.square_avg = Eigen::Map<Eigen::VectorXf>(s.data(), long(s.size()));
  }
}
}  // namespace

VinPolicy::VinPolicy(const VinShape& shape, double lr, Rng& rng) : net_(shape), lr_(lr) {
  net_.init(rng);
  grad_ = Eigen::VectorXf::Zero(net_.param_count());
}

double VinPolicy::train_batch(const std::vector<const MapSamples*>& batch, int& correct) {
  std::vector<const ObstacleMap*> maps;
  std::vector<VinNetwork::Sample> samples;
  std::vector<int> actions;
  for (size_t b = 0; b < batch.size(); ++b) {
    maps.push_back(&batch[b]->map);
    for (size_t i = 0; i < batch[b]->cells.size(); ++i) {
      samples.push_back({int(b), batch[b]->cells[i]});
      actions.push_back(batch[b]->actions[i]);
    }
  }
  net_.forward(maps, net_.shape().k, cache_);
  Eigen::MatrixXf dlogits;
  int right = 0;
  const float loss = VinNetwork::cross_entropy(net_.logits(cache_, samples), actions, &dlogits, &right);
  correct += right;
  grad_.setZero();
  net_.backward(cache_, samples, dlogits, grad_);
  opt_.step(net_.params(), grad_, lr_);
  return loss;
}

VinNetwork::Cache VinPolicy::values(const ObstacleMap& m, int k) const {
  VinNetwork::Cache c;
  net_.forward({&m}, k, c);
  return c;
}

Eigen::MatrixXf VinPolicy::cell_logits(const ObstacleMap& m) const {
  const VinNetwork::Cache c = values(m, net_.shape().k);
  return c.q * net_.W_fc();
}

void VinPolicy::visit_state(StateVisitor& v) { visit_vin_params(v, net_.params(), opt_); }

ReactivePolicy::ReactivePolicy(int size, const std::vector<int>& hidden, double lr, Rng& rng)
    : size_(size),
      h1_(hidden.empty() ? 64 : hidden[0]),
      rest_(MlpShape{h1_, 8, std::vector<int>(hidden.begin() + (hidden.empty() ? 0 : 1), hidden.end()), Activation::relu}),
      lr_(lr) {
  // The whole MLP's initialisation (Mlp::init: truncated normal, sd 1 / (2 sqrt(fan_in))).
  const int in = 3 * size * size;
  first_ = Eigen::VectorXf::Zero(long(in + 1) * h1_);
  const double sd = 1.0 / (2.0 * std::sqrt(double(in)));
  for (long i = 0; i < long(in) * h1_; ++i) {
    double x;
    do x = rng.normal();
    while (std::abs(x) > 2.0);
    first_[(i / in) * (in + 1) + i % in] = float(sd * x);
  }
  rest_.init(rng);
  grad_first_ = Eigen::VectorXf::Zero(first_.size());
  grad_rest_ = Eigen::VectorXf::Zero(rest_.params().size());
}

Eigen::MatrixXf ReactivePolicy::first_layer(const std::vector<const ObstacleMap*>& maps, const std::vector<int>& map_of,
                                            const std::vector<int>& cells) const {
  const int nn = size_ * size_, in = 3 * nn;
  const Eigen::Map<const Eigen::MatrixXf> W(first_.data(), in + 1, h1_);  // last row: b1
  std::vector<Eigen::RowVectorXf> base(maps.size());
  for (size_t b = 0; b < maps.size(); ++b) {
    base[b] = W.row(in) + W.row(nn + maps[b]->goal);
    for (int i = 0; i < nn; ++i)
      if (maps[b]->obstacle[size_t(i)]) base[b] += W.row(i);
  }
  Eigen::MatrixXf z(long(cells.size()), h1_);
  for (size_t j = 0; j < cells.size(); ++j) z.row(long(j)) = base[size_t(map_of[j])] + W.row(2 * nn + cells[j]);
  return z;
}

double ReactivePolicy::train_batch(const std::vector<const MapSamples*>& batch, int& correct) {
  const double loss = loss_and_gradient(batch, correct, grad_first_, grad_rest_);
  opt_rest_.step(rest_.params(), grad_rest_, lr_);
  opt_first_.step(first_, grad_first_, lr_);
  return loss;
}

double ReactivePolicy::loss_and_gradient(const std::vector<const MapSamples*>& batch, int& correct,
                                         Eigen::VectorXf& grad_first, Eigen::VectorXf& grad_rest) {
  std::vector<const ObstacleMap*> maps;
  std::vector<int> map_of, cells, actions;
  for (size_t b = 0; b < batch.size(); ++b) {
    maps.push_back(&batch[b]->map);
    for (size_t i = 0; i < batch[b]->cells.size(); ++i) {
      map_of.push_back(int(b));
      cells.push_back(batch[b]->cells[i]);
      actions.push_back(batch[b]->actions[i]);
    }
  }
  const Eigen::MatrixXf z1 = first_layer(maps, map_of, cells);
  const Eigen::MatrixXf h1 = z1.cwiseMax(0.0f);
  rest_.forward(h1, cache_);
  Eigen::MatrixXf dlogits, dh1;
  int right = 0;
  const float loss = VinNetwork::cross_entropy(cache_.out, actions, &dlogits, &right);
  correct += right;
  grad_rest = Eigen::VectorXf::Zero(rest_.params().size());
  rest_.backward(h1, dlogits, cache_, grad_rest, &dh1);
  const Eigen::MatrixXf dz1 = dh1.cwiseProduct((z1.array() > 0.0f).cast<float>().matrix());
  // Layer 1's gradient: the sum of dz1 over a map's samples meets that map's obstacles and goal
  // (and the bias) once; each sample's dz1 meets its agent cell's row.
  const int nn = size_ * size_, in = 3 * nn;
  grad_first = Eigen::VectorXf::Zero(first_.size());
  Eigen::Map<Eigen::MatrixXf> G(grad_first.data(), in + 1, h1_);
  std::vector<Eigen::RowVectorXf> per_map(maps.size(), Eigen::RowVectorXf::Zero(h1_));
  for (size_t j = 0; j < cells.size(); ++j) {
    per_map[size_t(map_of[j])] += dz1.row(long(j));
    G.row(2 * nn + cells[j]) += dz1.row(long(j));
  }
  for (size_t b = 0; b < maps.size(); ++b) {
    G.row(in) += per_map[b];
    G.row(nn + maps[b]->goal) += per_map[b];
    for (int i = 0; i < nn; ++i)
      if (maps[b]->obstacle[size_t(i)]) G.row(i) += per_map[b];
  }
  return loss;
}

Eigen::MatrixXf ReactivePolicy::cell_logits(const ObstacleMap& m) const {
  std::vector<int> cells(size_t(m.cells())), map_of(cells.size(), 0);
  for (int c = 0; c < m.cells(); ++c) cells[size_t(c)] = c;
  const Eigen::MatrixXf h1 = first_layer({&m}, map_of, cells).cwiseMax(0.0f);
  Mlp::Cache cache;
  rest_.forward(h1, cache);
  return cache.out;
}

void ReactivePolicy::visit_state(StateVisitor& v) {
  v.section("first_layer", [&](StateVisitor& s) { visit_vin_params(s, first_, opt_first_); });
  v.section("rest", [&](StateVisitor& s) { visit_vin_params(s, rest_.params(), opt_rest_); });
}

std::vector<int> greedy_actions(const Eigen::MatrixXf& logits) {
  std::vector<int> a(size_t(logits.rows()));
  for (long i = 0; i < logits.rows(); ++i) {
    Eigen::Index best;
    logits.row(i).maxCoeff(&best);
    a[size_t(i)] = int(best);
  }
  return a;
}

std::vector<int> greedy_path(const ObstacleMap& m, const std::vector<int>& actions, int start, int max_moves) {
  std::vector<int> path{start};
  for (int t = 0; t < max_moves && path.back() != m.goal; ++t)
    path.push_back(move_cell(m, path.back(), actions[size_t(path.back())]));
  return path;
}

}  // namespace dynalab
