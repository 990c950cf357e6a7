#pragma once
// A plain multilayer perceptron with hand-written backprop, templated on the scalar type: the
// models run in float32; the gradient tests instantiate double to compare with finite
// differences at 1e-3 relative error without fighting float round-off.
//
// Conventions (as ../shared/bench/README.md section 3): samples are rows; layer l computes
// z = h W_l + b_l with W_l of shape [fan_in, fan_out]; hidden layers apply the activation, the
// last layer is linear. All parameters live in ONE flat vector (per layer: W column-major, then
// b) so Adam, weight snapshots, finiteness checks and save/load are single vector operations.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/models/activation.h"

namespace dynalab {

class Rng;

/// Layer widths and activation of an MLP.
struct MlpShape {
  int in = 1, out = 1;
  std::vector<int> hidden;  ///< widths of the hidden layers, input side first
  Activation activation = Activation::silu;
  /// Linear layers (hidden + output); fan_in/fan_out of layer l.
  int layers() const { return static_cast<int>(hidden.size()) + 1; }
  int fan_in(int l) const { return l == 0 ? in : hidden[l - 1]; }
  int fan_out(int l) const { return l == layers() - 1 ? out : hidden[l]; }
  /// Number of scalar parameters (weights and biases).
  long param_count() const;
  /// Multiply-adds times 2 per sample of one forward pass (bias and activation not counted).
  long flops_per_sample() const;
  bool operator==(const MlpShape&) const = default;
  /// The shape of a config's network: in -> hidden -> out with the activation named
  /// `activation` (parse_activation: InputError naming `key` if unknown).
  static MlpShape of(int in, int out, std::vector<int> hidden, const std::string& activation,
                     const std::string& key = "activation");
};

template <class T>
class MlpT {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  using ConstMatMap = Eigen::Map<const Mat>;
  using RowMap = Eigen::Map<const Eigen::Matrix<T, 1, Eigen::Dynamic>>;

  /// Activations kept by forward() for backward(): per hidden layer the pre-activation z and
  /// the output h, and the network output.
  struct Cache {
    std::vector<Mat> z, h;
    Mat out;
  };
  /// Reusable buffers of predict(): two ping-pong slabs of 64-byte aligned floats.
  struct Scratch {
    std::vector<T, Eigen::aligned_allocator<T>> a, b;
  };

  MlpT() = default;
  /// A network of `shape` with all parameters zero (call init()).
  explicit MlpT(const MlpShape& shape);

  /// Layer widths and activation.
  const MlpShape& shape() const { return shape_; }
  /// All parameters, flat: for each layer W (fan_in x fan_out, column-major) then b (fan_out).
  Vec& params() { return params_; }
  const Vec& params() const { return params_; }
  /// Offset of layer l's W in params(); its b follows at w_offset(l) + fan_in*fan_out.
  long w_offset(int l) const { return offsets_[l]; }
  long b_offset(int l) const { return offsets_[l] + long(shape_.fan_in(l)) * shape_.fan_out(l); }
  /// Views of layer l's weights [fan_in, fan_out] and bias [1, fan_out].
  ConstMatMap W(int l) const {
    return ConstMatMap(params_.data() + w_offset(l), shape_.fan_in(l), shape_.fan_out(l));
  }
  RowMap b(int l) const { return RowMap(params_.data() + b_offset(l), shape_.fan_out(l)); }
  /// Mask of params() entries that are weights (1) rather than biases (0): weight decay uses it.
  Vec weight_mask() const;

  /// PETS initialisation: weights ~ normal(0, 1/(2 sqrt(fan_in))) truncated at 2 std, biases 0.
  void init(Rng& rng);

  /// Forward pass of X (n x in), keeping what backward() needs; the output is cache.out (n x out).
  void forward(const Eigen::Ref<const Mat>& X, Cache& cache) const;
  /// Backprop of dL/dout (n x out) through the pass that filled `cache`: ADDS dL/dparams to
  /// `grad` (sized like params()) and, if dX is not null, writes dL/dX (n x in).
  void backward(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& dout, Cache& cache,
                Vec& grad, Mat* dX) const;
  /// Backprop of dL/dout to the input only: writes dL/dX (n x in) and no parameter gradient (a
  /// critic differentiated in its action for the SAC actor's loss: the weight products would be
  /// a third of the pass, thrown away).
  void input_gradient(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& dout,
                      Cache& cache, Mat& dX) const;

  /// Inference only: out (n x out) = net(X), with no allocation once `scratch` has grown (to
  /// about one row block x the widest layer). X, out: column-major, contiguous. On AVX-512
  /// builds (float) the layers run through dense_kernel.h, otherwise through Eigen's GEMM.
  void predict(const Eigen::Ref<const Mat>& X, Eigen::Ref<Mat> out, Scratch& scratch) const;

 private:
  /// predict() of one row block through dense_forward (float, AVX-512): x and out are the
  /// block's first rows (column strides ld_x, ld_out); cur and nxt are slabs of `slab` values.
  void predict_block_fused(const T* x, long ld_x, T* out, long ld_out, long m, T* cur, T* nxt,
                           size_t slab) const;

  void backprop(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& dout, Cache& c,
                Vec* grad, Mat* dX) const;

  MlpShape shape_;
  std::vector<long> offsets_;
  Vec params_;
};

using Mlp = MlpT<float>;

}  // namespace dynalab
