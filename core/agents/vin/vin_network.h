#pragma once
// The value iteration network of Tamar, Wu, Thomas, Levine & Abbeel, "Value Iteration Networks"
// (NIPS 2016), structured as kentsommer/pytorch-value-iteration-networks (model.py):
//   h = conv3x3(2 -> l_h)([obstacles, goal]) + b;   r = conv1x1(l_h -> 1)(h)       (no bias)
//   q_0 = conv3x3(1 -> l_q)(r);   v_0 = max over channels of q_0
//   k = 1..K:  q_k = conv3x3(2 -> l_q)([r, v_{k-1}]) = conv(r; W_q) + conv(v_{k-1}; W_v),
//              v_k = max over channels of q_k           (weights shared across k)
//   attention: the l_q values of q_K at the agent's cell -> fc(l_q -> 8, no bias) -> softmax.
// Value iteration in CNN form (deck 004, "Value Iteration Computation in CNN Form"): each
// channel of q is one action's Q over the map, the 3x3 kernels are the (local) transition model,
// and the max over channels is the Bellman max.
//
// Two exact shortcuts, neither of which changes a number the reference computes:
// - no nonlinearity lies between h and r, so r = im2col(X) (W_h W_r) + b_h . W_r; the l_h-wide h
//   is never formed (its parameters and gradients are those of the reference's layers);
// - conv([r, v]; [W_q, W_v]) = q_0 + conv(v; W_v): q_0 is computed once per forward pass.
// The VI module runs once per map of a batch; every sample (map, cell) reads q_K there.
//
// Input channels as the reference's dataset: obstacle = 1 on obstacles (a map's walls), goal = 10
// at the goal (GridWorld.t_get_reward_prior). Maps are square GridLayouts (walls and goal). Parameters: one flat vector W_h (18 x l_h), b_h (l_h),
// W_r (l_h), W_q (9 x l_q), W_v (9 x l_q), W_fc (l_q x 8), each column-major. Templated on the
// scalar: float to train, double for the gradient checks.

#include <Eigen/Core>
#include <vector>

#include "core/grid_layout.h"

namespace dynalab {

class Rng;

struct VinShape {
  int l_h = 150;  ///< channels of h (the paper's and kentsommer's 150)
  int l_q = 10;   ///< channels of q, ~actions (10)
  int k = 10;     ///< value iterations K (10 for 8x8, 20 for 16x16)
};

template <class T>
class VinNetworkT {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  /// What forward() keeps for backward() and the views, for B maps of n x n (P = B n n pixels).
  struct Cache {
    int n = 0, maps = 0, k = 0;
    Mat cols_x;                 ///< P x 18, im2col of the input
    Mat r;                      ///< P x 1, the reward map
    Mat cols_r;                 ///< P x 9
    Mat q0, q;                  ///< P x l_q: q_0 and q_K
    Mat v;                      ///< P x (K+1): v_0 .. v_K
    std::vector<Mat> cols_v;    ///< K of P x 9: im2col(v_0) .. im2col(v_{K-1})
    Eigen::MatrixXi arg;        ///< P x K: the channel of q_k that gave v_k (k < K)
  };
  /// One sample: the map's index in the batch and the agent's cell there.
  struct Sample {
    int map = 0, cell = 0;
  };

  VinNetworkT() = default;
  explicit VinNetworkT(const VinShape& shape);

  const VinShape& shape() const { return shape_; }
  /// All parameters, flat (see the file comment for the order).
  Vec& params() { return params_; }
  const Vec& params() const { return params_; }
  long param_count() const { return params_.size(); }

  /// PyTorch's default initialisation of kentsommer's layers: every weight and b_h uniform in
  /// +-1/sqrt(fan_in); W_v zero (model.py: Parameter(torch.zeros(...))).
  void init(Rng& rng);

  /// The input matrix (P x 2: obstacle, 10 at the goal) of a batch of maps of one size.
  static Mat input(const std::vector<const GridLayout*>& maps);
  /// Forward pass of a batch of maps of one size with K = k value iterations.
  void forward(const std::vector<const GridLayout*>& maps, int k, Cache& c) const;
  /// The VI module alone from a given reward map r (P x 1) of `maps` maps of n x n: fills
  /// c.r, c.cols_r, q0, q, v, cols_v, arg (the exactness check sets r and the kernels by hand).
  void value_iteration(const Mat& r, int n, int maps, int k, Cache& c) const;
  /// Logits (N x 8) of the samples from a forward pass.
  Mat logits(const Cache& c, const std::vector<Sample>& samples) const;
  /// Backprop of dL/dlogits (N x 8) of `samples` through the pass in `c`: ADDS dL/dparams to
  /// `grad` (sized like params()).
  void backward(const Cache& c, const std::vector<Sample>& samples, const Mat& dlogits, Vec& grad) const;

  // Views of the parameter blocks (for hand-set weights and the tests).
  Eigen::Map<Mat> W_h() { return block(off_wh_, 18, shape_.l_h); }
  Eigen::Map<Mat> b_h() { return block(off_bh_, shape_.l_h, 1); }
  Eigen::Map<Mat> W_r() { return block(off_wr_, shape_.l_h, 1); }
  Eigen::Map<Mat> W_q() { return block(off_wq_, 9, shape_.l_q); }
  Eigen::Map<Mat> W_v() { return block(off_wv_, 9, shape_.l_q); }
  Eigen::Map<Mat> W_fc() { return block(off_fc_, shape_.l_q, 8); }
  Eigen::Map<const Mat> W_h() const { return cblock(off_wh_, 18, shape_.l_h); }
  Eigen::Map<const Mat> b_h() const { return cblock(off_bh_, shape_.l_h, 1); }
  Eigen::Map<const Mat> W_r() const { return cblock(off_wr_, shape_.l_h, 1); }
  Eigen::Map<const Mat> W_q() const { return cblock(off_wq_, 9, shape_.l_q); }
  Eigen::Map<const Mat> W_v() const { return cblock(off_wv_, 9, shape_.l_q); }
  Eigen::Map<const Mat> W_fc() const { return cblock(off_fc_, shape_.l_q, 8); }

 private:
  Eigen::Map<Mat> block(long off, long r, long c) { return Eigen::Map<Mat>(params_.data() + off, r, c); }
  Eigen::Map<const Mat> cblock(long off, long r, long c) const {
    return Eigen::Map<const Mat>(params_.data() + off, r, c);
  }
  VinShape shape_;
  long off_wh_ = 0, off_bh_ = 0, off_wr_ = 0, off_wq_ = 0, off_wv_ = 0, off_fc_ = 0;
  Vec params_;
};

using VinNetwork = VinNetworkT<float>;

}  // namespace dynalab
