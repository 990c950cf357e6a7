#include "core/agents/vin/grid_policy.h"

#include <cmath>

#include "core/grid_moves.h"
#include "core/models/losses.h"
#include "core/models/param_state.h"
#include "core/rng.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {
// A batch of maps flattened to one list of samples: sample j is (maps[map_of[j]], cells[j]),
// labelled actions[j].
struct FlatVinBatch {
  std::vector<const GridLayout*> maps;
  std::vector<int> map_of, cells, actions;
};

FlatVinBatch flatten_vin_batch(const std::vector<const MapSamples*>& batch) {
  FlatVinBatch f;
  for (size_t b = 0; b < batch.size(); ++b) {
    f.maps.push_back(&batch[b]->map);
    for (size_t i = 0; i < batch[b]->cells.size(); ++i) {
      f.map_of.push_back(int(b));
      f.cells.push_back(batch[b]->cells[i]);
      f.actions.push_back(batch[b]->actions[i]);
    }
  }
  return f;
}
}  // namespace

VinPolicy::VinPolicy(const VinShape& shape, double lr, Rng& rng) : net_(shape), lr_(lr) {
  net_.init(rng);
  grad_ = Eigen::VectorXf::Zero(net_.param_count());
}

double VinPolicy::train_batch(const std::vector<const MapSamples*>& batch, int& correct) {
  const FlatVinBatch f = flatten_vin_batch(batch);
  std::vector<VinNetwork::Sample> samples(f.cells.size());
  for (size_t j = 0; j < samples.size(); ++j) samples[j] = {f.map_of[j], f.cells[j]};
  net_.forward(f.maps, net_.shape().k, cache_);
  Eigen::MatrixXf dlogits;
  int right = 0;
  const float loss = softmax_cross_entropy_loss<float>(net_.logits(cache_, samples), f.actions, &dlogits, &right);
  correct += right;
  grad_.setZero();
  net_.backward(cache_, samples, dlogits, grad_);
  opt_.step(net_.params(), grad_, lr_);
  return loss;
}

VinNetwork::Cache VinPolicy::values(const GridLayout& m, int k) const {
  VinNetwork::Cache c;
  net_.forward({&m}, k, c);
  return c;
}

Eigen::MatrixXf VinPolicy::cell_logits(const GridLayout& m) const {
  const VinNetwork::Cache c = values(m, net_.shape().k);
  return c.q * net_.W_fc();
}

void VinPolicy::visit_state(StateVisitor& v) {
  visit_floats(v, "params", net_.params(), net_.param_count());
  visit_rmsprop(v, "rmsprop", opt_, net_.param_count());
}

ReactivePolicy::ReactivePolicy(int size, const std::vector<int>& hidden, double lr, Rng& rng)
    : size_(size),
      h1_(hidden.empty() ? 64 : hidden[0]),
      rest_(MlpShape{h1_, 8, std::vector<int>(hidden.begin() + (hidden.empty() ? 0 : 1), hidden.end()), Activation::relu}),
      lr_(lr) {
  // The whole MLP's initialisation (Mlp::init: truncated normal, sd 1 / (2 sqrt(fan_in)), biases
  // 0), then split: its first layer's weights into first_ (b1 stays 0), the rest into rest_.
  const int in = 3 * size * size;
  MlpShape whole = rest_.shape();
  whole.in = in;
  whole.hidden.insert(whole.hidden.begin(), h1_);
  Mlp full(whole);
  full.init(rng);
  first_ = Eigen::VectorXf::Zero(long(in + 1) * h1_);
  Eigen::Map<Eigen::MatrixXf>(first_.data(), in + 1, h1_).topRows(in) = full.W(0);
  rest_.params() = full.params().tail(rest_.params().size());
  grad_first_ = Eigen::VectorXf::Zero(first_.size());
  grad_rest_ = Eigen::VectorXf::Zero(rest_.params().size());
}

Eigen::MatrixXf ReactivePolicy::first_layer(const std::vector<const GridLayout*>& maps, const std::vector<int>& map_of,
                                            const std::vector<int>& cells) const {
  const int nn = size_ * size_, in = 3 * nn;
  const Eigen::Map<const Eigen::MatrixXf> W(first_.data(), in + 1, h1_);  // last row: b1
  std::vector<Eigen::RowVectorXf> base(maps.size());
  for (size_t b = 0; b < maps.size(); ++b) {
    base[b] = W.row(in) + W.row(nn + maps[b]->state_of(maps[b]->goal));
    for (int i = 0; i < nn; ++i)
      if (maps[b]->walls[size_t(i)]) base[b] += W.row(i);
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
  const FlatVinBatch f = flatten_vin_batch(batch);
  const std::vector<const GridLayout*>& maps = f.maps;
  const std::vector<int>&map_of = f.map_of, &cells = f.cells;
  const Eigen::MatrixXf z1 = first_layer(maps, map_of, cells);
  const Eigen::MatrixXf h1 = z1.cwiseMax(0.0f);
  rest_.forward(h1, cache_);
  Eigen::MatrixXf dlogits, dh1;
  int right = 0;
  const float loss = softmax_cross_entropy_loss<float>(cache_.out, f.actions, &dlogits, &right);
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
    G.row(nn + maps[b]->state_of(maps[b]->goal)) += per_map[b];
    for (int i = 0; i < nn; ++i)
      if (maps[b]->walls[size_t(i)]) G.row(i) += per_map[b];
  }
  return loss;
}

Eigen::MatrixXf ReactivePolicy::cell_logits(const GridLayout& m) const {
  std::vector<int> cells(size_t(m.rows * m.cols)), map_of(cells.size(), 0);
  for (size_t c = 0; c < cells.size(); ++c) cells[c] = int(c);
  const Eigen::MatrixXf h1 = first_layer({&m}, map_of, cells).cwiseMax(0.0f);
  Mlp::Cache cache;
  rest_.forward(h1, cache);
  return cache.out;
}

void ReactivePolicy::visit_state(StateVisitor& v) {
  v.section("first_layer", [&](StateVisitor& s) {
    visit_floats(s, "params", first_, first_.size());
    visit_rmsprop(s, "rmsprop", opt_first_, first_.size());
  });
  v.section("rest", [&](StateVisitor& s) {
    visit_floats(s, "params", rest_.params(), rest_.params().size());
    visit_rmsprop(s, "rmsprop", opt_rest_, rest_.params().size());
  });
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

std::vector<int> greedy_path(const GridLayout& m, const std::vector<int>& actions, int start, int max_moves) {
  std::vector<int> path{start};
  const int goal = m.state_of(m.goal);
  for (int t = 0; t < max_moves && path.back() != goal; ++t)
    path.push_back(move_cell(m, path.back(), actions[size_t(path.back())]));
  return path;
}

}  // namespace dynalab
