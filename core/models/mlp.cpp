#include "core/models/mlp.h"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "core/models/dense_kernel.h"
#include "core/rng.h"

namespace dynalab {

namespace {

// Eigen's matrix products allocate their packing buffers (hundreds of KiB for 256-wide layers)
// on every call and free them after it. With glibc's default thresholds such blocks are mapped
// and unmapped, or the heap top is trimmed and regrown, each time: every product then pays
// fresh page faults and zeroing. Measured on SAC's 256 x 256 update (`dynalab-cli bench
// --filter sac/`, quiet 2-core VM): 81 updates/s with the defaults, 224 with these. Fixed thresholds keep freed
// blocks below 64 MiB in the heap, and up to 256 MiB of free heap top untrimmed. Done here, at
// load time, because every binary that trains a network links this file; numbers are unaffected.
#if defined(__GLIBC__)
const bool kMallocTuned = [] {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  return true;
}();
#endif

}  // namespace

MlpShape MlpShape::of(int in, int out, std::vector<int> hidden, const std::string& activation,
                      const std::string& key) {
  MlpShape s;
  s.in = in;
  s.out = out;
  s.hidden = std::move(hidden);
  s.activation = parse_activation(activation, key);
  return s;
}

long MlpShape::param_count() const {
  long n = 0;
  for (int l = 0; l < layers(); ++l) n += long(fan_in(l)) * fan_out(l) + fan_out(l);
  return n;
}

long MlpShape::flops_per_sample() const {
  long n = 0;
  for (int l = 0; l < layers(); ++l) n += 2L * fan_in(l) * fan_out(l);
  return n;
}

template <class T>
MlpT<T>::MlpT(const MlpShape& shape) : shape_(shape) {
  long off = 0;
  for (int l = 0; l < shape_.layers(); ++l) {
    offsets_.push_back(off);
    off += long(shape_.fan_in(l)) * shape_.fan_out(l) + shape_.fan_out(l);
  }
  params_ = Vec::Zero(off);
}

template <class T>
typename MlpT<T>::Vec MlpT<T>::weight_mask() const {
  Vec m = Vec::Zero(params_.size());
  for (int l = 0; l < shape_.layers(); ++l)
    m.segment(w_offset(l), long(shape_.fan_in(l)) * shape_.fan_out(l)).setOnes();
  return m;
}

template <class T>
void MlpT<T>::init(Rng& rng) {
  params_.setZero();
  for (int l = 0; l < shape_.layers(); ++l) {
    const double sd = 1.0 / (2.0 * std::sqrt(double(shape_.fan_in(l))));
    const long n = long(shape_.fan_in(l)) * shape_.fan_out(l);
    for (long i = 0; i < n; ++i) {
      double x;
      do x = rng.normal();
      while (std::abs(x) > 2.0);
      params_[w_offset(l) + i] = T(sd * x);
    }
  }
}

template <class T>
void MlpT<T>::forward(const Eigen::Ref<const Mat>& X, Cache& c) const {
  const int L = shape_.layers();
  c.z.resize(L - 1);
  c.h.resize(L - 1);
  for (int l = 0; l < L - 1; ++l) {
    c.z[l].resize(X.rows(), shape_.fan_out(l));
    if (l == 0)
      c.z[l].noalias() = X * W(l);
    else
      c.z[l].noalias() = c.h[l - 1] * W(l);
    c.z[l].rowwise() += b(l);
    c.h[l] = c.z[l];
    activate(c.h[l], shape_.activation);
  }
  c.out.resize(X.rows(), shape_.out);
  if (L == 1)
    c.out.noalias() = X * W(0);
  else
    c.out.noalias() = c.h[L - 2] * W(L - 1);
  c.out.rowwise() += b(L - 1);
}

template <class T>
void MlpT<T>::backward(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& dout, Cache& c,
                       Vec& grad, Mat* dX) const {
  backprop(X, dout, c, &grad, dX);
}

template <class T>
void MlpT<T>::input_gradient(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& dout,
                             Cache& c, Mat& dX) const {
  backprop(X, dout, c, nullptr, &dX);
}

template <class T>
void MlpT<T>::backprop(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& dout, Cache& c,
                       Vec* grad, Mat* dX) const {
  const int L = shape_.layers();
  Mat dz = dout, dh;
  for (int l = L - 1; l >= 0; --l) {
    if (grad) {
      Eigen::Map<Mat> gW(grad->data() + w_offset(l), shape_.fan_in(l), shape_.fan_out(l));
      Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> gb(grad->data() + b_offset(l),
                                                         shape_.fan_out(l));
      if (l == 0)
        gW.noalias() += X.transpose() * dz;
      else
        gW.noalias() += c.h[l - 1].transpose() * dz;
      gb += dz.colwise().sum();
    }
    if (l > 0) {
      dh.resize(dz.rows(), shape_.fan_in(l));
      dh.noalias() = dz * W(l).transpose();
      activation_backward(dh, c.z[l - 1], c.h[l - 1], shape_.activation);
      dz.swap(dh);
    } else if (dX) {
      dX->resize(X.rows(), shape_.in);
      dX->noalias() = dz * W(0).transpose();
    }
  }
}

template <class T>
void MlpT<T>::predict(const Eigen::Ref<const Mat>& X, Eigen::Ref<Mat> out, Scratch& s) const {
  const int L = shape_.layers();
  const long n = X.rows();
  int widest = 0;
  for (int w : shape_.hidden) widest = std::max(widest, w);
  // Rows go through all layers a block at a time, the block sized so that its two activation
  // slabs stay in L2 (about 256 KiB): on a whole batch each layer's output would stream through
  // L3 once for the product and again for the activation. Whole 16-row multiples keep SIMD
  // packets aligned; the block size depends on the layer widths only (not on n or threads).
  const long block =
      std::max<long>(64, (long(256 * 1024 / sizeof(T)) / 2 / std::max(widest, 1)) / 16 * 16);
  // Whole 16-row multiples + 16: room for the fused path's padded column stride (below).
  const size_t need = size_t((std::min(n, block) + 15) / 16 * 16 + 16) * widest;
  if (s.a.size() < need) s.a.resize(need);
  if (s.b.size() < need) s.b.resize(need);
  for (long r0 = 0; r0 < n; r0 += block) {
    const long m = std::min(block, n - r0);
    T* cur = s.a.data();
    T* nxt = s.b.data();
    if constexpr (std::is_same_v<T, float>) {
      if (dense_kernel_available()) {
        predict_block_fused(X.data() + r0, X.outerStride(), out.data() + r0, out.outerStride(), m,
                            cur, nxt, std::min(s.a.size(), s.b.size()));
        continue;
      }
    }
    for (int l = 0; l < L - 1; ++l) {
      Eigen::Map<Mat> h(cur, m, shape_.fan_out(l));
      // Start from the bias and accumulate the product: this replaces the zero fill that
      // `h = X * W` does before its GEMM, so the bias costs no extra pass over h.
      h.rowwise() = b(l);
      if (l == 0)
        h.noalias() += X.middleRows(r0, m) * W(l);
      else
        h.noalias() += Eigen::Map<const Mat>(nxt, m, shape_.fan_in(l)) * W(l);
      activate(h, shape_.activation);
      std::swap(cur, nxt);
    }
    auto o = out.middleRows(r0, m);
    o.rowwise() = b(L - 1);
    if (L == 1)
      o.noalias() += X.middleRows(r0, m) * W(0);
    else
      o.noalias() += Eigen::Map<const Mat>(nxt, m, shape_.fan_in(L - 1)) * W(L - 1);
  }
}

template <class T>
void MlpT<T>::predict_block_fused(const T* x, long ld_x, T* out, long ld_out, long m, T* cur,
                                  T* nxt, size_t slab) const {
  if constexpr (std::is_same_v<T, float>) {
    const int L = shape_.layers();
    const Activation act = shape_.activation;
    const bool fused_act = act != Activation::tanh;
    // The slabs' column stride: m rounded up to whole 64-byte lines, and never a multiple of
    // 1 KiB, where the kernel's 48-row tile would read every column through the same few L1 sets
    // (measured: a stride of 1024 rows ran at 60 % of the padded speed, 512 rows at 85 %).
    long ld = (m + 15) / 16 * 16;
    if (ld % 256 == 0) ld += 16;
    // The kernel's masked AVX-512 stores are invisible to AddressSanitizer: check the bound here.
    for (int w : shape_.hidden)
      if (size_t(ld) * w > slab) throw std::logic_error("Mlp::predict: scratch slab too small");
    const T* in = x;
    long ld_in = ld_x;
    for (int l = 0; l < L; ++l) {
      const bool last = l == L - 1;
      T* dst = last ? out : cur;
      const long ld_dst = last ? ld_out : ld;
      dense_forward(in, ld_in, shape_.fan_in(l), params_.data() + w_offset(l),
                    params_.data() + b_offset(l), shape_.fan_out(l), dst, ld_dst, m,
                    last || !fused_act ? nullptr : &act);
      if (!last && !fused_act) {
        Eigen::Map<Mat, 0, Eigen::OuterStride<>> h(dst, m, shape_.fan_out(l),
                                                   Eigen::OuterStride<>(ld));
        activate(h, act);
      }
      in = dst;
      ld_in = ld;
      std::swap(cur, nxt);
    }
  }
}

template class MlpT<float>;
template class MlpT<double>;

}  // namespace dynalab
