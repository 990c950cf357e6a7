#pragma once
// The two networks the VIN family trains by imitation on the same batches of the same maps:
// the value iteration network (vin_network.h) and a reactive baseline, both mapping (map, agent
// cell) to 8 action logits and trained with RMSprop on the mean cross-entropy against the expert.
//
// The reactive baseline is a multilayer perceptron (core/models/mlp.h, ReLU) on the whole map
// and the agent's position: the flattened obstacle map, a one-hot goal map and a one-hot agent
// map (3 n^2 inputs) -> hidden layers -> 8 logits. It sees everything the VIN sees, but has no
// planning computation built in (the paper's reactive baseline is a CNN of 5 conv layers with a
// fully connected head; an MLP is the plainest "reactive policy" and reuses our network code).
// Its first layer is computed sparsely (the input is a 0/1 map and two one-hot maps: per map one
// product with the obstacle map, per sample two weight rows), the same numbers as a dense layer.

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "core/agents/vin/vin_dataset.h"
#include "core/agents/vin/vin_network.h"
#include "core/models/mlp.h"
#include "core/models/rmsprop.h"

namespace dynalab {

class Rng;
class StateVisitor;

class GridPolicy {
 public:
  virtual ~GridPolicy() = default;
  /// "vin" or "reactive".
  virtual std::string name() const = 0;
  /// One RMSprop step on the mean cross-entropy over every sample of `batch`: returns the
  /// batch's mean loss and adds the samples whose argmax is the expert's action to `correct`.
  virtual double train_batch(const std::vector<const MapSamples*>& batch, int& correct) = 0;
  /// The logits (cells x 8) at every cell of `m` (one VI pass for the VIN).
  virtual Eigen::MatrixXf cell_logits(const GridLayout& m) const = 0;
  /// Parameters and optimiser state (sessions).
  virtual void visit_state(StateVisitor& v) = 0;
};

/// The VIN with RMSprop (kentsommer's train.py: RMSprop, eps 1e-6).
class VinPolicy : public GridPolicy {
 public:
  VinPolicy(const VinShape& shape, double lr, Rng& rng);
  std::string name() const override { return "vin"; }
  double train_batch(const std::vector<const MapSamples*>& batch, int& correct) override;
  Eigen::MatrixXf cell_logits(const GridLayout& m) const override;
  void visit_state(StateVisitor& v) override;
  /// The VI module's maps on `m` with `k` iterations: the cache's r and v_0 .. v_k.
  VinNetwork::Cache values(const GridLayout& m, int k) const;
  const VinNetwork& network() const { return net_; }
  void set_lr(double lr) { lr_ = lr; }

 private:
  VinNetwork net_;
  RmsProp opt_{0.99, 1e-6, {}};
  double lr_;
  VinNetwork::Cache cache_;
  Eigen::VectorXf grad_;
};

/// The reactive MLP baseline with RMSprop.
class ReactivePolicy : public GridPolicy {
 public:
  ReactivePolicy(int size, const std::vector<int>& hidden, double lr, Rng& rng);
  std::string name() const override { return "reactive"; }
  double train_batch(const std::vector<const MapSamples*>& batch, int& correct) override;
  Eigen::MatrixXf cell_logits(const GridLayout& m) const override;
  void visit_state(StateVisitor& v) override;
  void set_lr(double lr) { lr_ = lr; }
  /// The mean cross-entropy over `batch` and its gradient (no step): dL/d(first layer) into
  /// grad_first ((3 n^2 + 1) x h1, column-major: W1 rows, then b1) and dL/d(the rest) into
  /// grad_rest (Mlp order). Adds the correct argmaxes to `correct`.
  double loss_and_gradient(const std::vector<const MapSamples*>& batch, int& correct, Eigen::VectorXf& grad_first,
                           Eigen::VectorXf& grad_rest);
  /// The first layer's parameters (as grad_first) and the rest's (for the gradient checks).
  Eigen::VectorXf& first_layer_params() { return first_; }
  Eigen::VectorXf& rest_params() { return rest_.params(); }

 private:
  /// The first layer's pre-activations z1 (samples x h1) of (map, cell) pairs.
  Eigen::MatrixXf first_layer(const std::vector<const GridLayout*>& maps, const std::vector<int>& map_of,
                              const std::vector<int>& cells) const;

  int size_;
  // Layer 1: rows 0..n^2-1 obstacles, n^2.. goal, 2 n^2.. agent; then b1. Flat: W1 column-major.
  Eigen::VectorXf first_;  // (3 n^2 + 1) x h1
  int h1_;
  Mlp rest_;               // relu(z1) -> hidden[1..] -> 8
  RmsProp opt_first_{0.99, 1e-6, {}}, opt_rest_{0.99, 1e-6, {}};
  double lr_;
  Mlp::Cache cache_;
  Eigen::VectorXf grad_first_, grad_rest_;
};

/// The greedy action (argmax of the logits) at every cell.
std::vector<int> greedy_actions(const Eigen::MatrixXf& logits);

/// The cells a greedy policy `actions` visits from `start` until the goal or `max_moves` moves.
std::vector<int> greedy_path(const GridLayout& m, const std::vector<int>& actions, int start, int max_moves);

}  // namespace dynalab
