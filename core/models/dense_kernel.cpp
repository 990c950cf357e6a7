#include "core/models/dense_kernel.h"

#include <algorithm>
#include <stdexcept>

#if defined(__AVX512F__)
#include <immintrin.h>
// GCC 12 builds _mm512_max_ps / _mm512_min_ps on _mm512_undefined_ps(), which it then reports
// as "used uninitialized" wherever they are inlined (a known false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#endif

namespace dynalab {

#if defined(__AVX512F__)

bool dense_kernel_available() { return true; }

namespace {

// A tile is R registers of 16 rows by NB columns: R x NB accumulators, at most 24 of the 32 zmm
// registers. Full tiles are 48 x 8; the last rows of a call take the smallest R that covers
// them (so 200 rows cost 208 rows of work, not 240) with NB = 24 / R columns, which keeps the
// loads per FMA about the same as in a full tile.
constexpr int kRowRegs = 3;
constexpr int kTileRows = 16 * kRowRegs;
constexpr int kAccumulators = 24;

enum class Act { none, relu, silu };

// The accumulator tile must live in registers: fully unrolled constant loops let GCC keep
// acc[i][j] as 24 zmm values instead of an array it writes back every iteration.
#define UNROLL _Pragma("GCC unroll 32")

// z * sigmoid(z) = z / (1 + e), e = exp(-z) = 2^t, t = -z log2(e) clamped to t <= 125.
// 2^t = 2^n 2^f with n = round(t), f in [-1/2, 1/2]; 2^f by a degree-4 polynomial fitted to
// relative error 2.9e-6 (near-minimax on Chebyshev nodes: the worst-case float rounding of the
// layer's own 64-term sums; degree 5 cost 2 % more per replan); 2^n by scalef, which flushes to
// 0 below the float range (large z needs no clamp: sigmoid = 1). The clamp keeps 1 + e and its
// reciprocal normal (z < -86: |silu| < 1e-35). The reciprocal is rcp14 and one Newton step: no
// division, the slow part of a library SiLU. 14 instructions; NaN propagates through the final
// multiply by z.
inline __m512 silu(__m512 z) {
  const __m512 one = _mm512_set1_ps(1.0f);
  __m512 t = _mm512_mul_ps(z, _mm512_set1_ps(-1.44269504088896341f));
  t = _mm512_min_ps(t, _mm512_set1_ps(125.0f));
  const __m512 n = _mm512_roundscale_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 f = _mm512_sub_ps(t, n);
  __m512 p = _mm512_set1_ps(9.582852945e-03f);
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(5.590642616e-02f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(2.402409911e-01f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(6.931241751e-01f));
  p = _mm512_fmadd_ps(p, f, one);
  const __m512 d = _mm512_add_ps(_mm512_scalef_ps(p, n), one);  // 1 + exp(-z)
  __m512 inv = _mm512_rcp14_ps(d);
  inv = _mm512_fmadd_ps(inv, _mm512_fnmadd_ps(d, inv, one), inv);
  return _mm512_mul_ps(z, inv);
}

template <Act A>
inline __m512 apply(__m512 v) {
  if constexpr (A == Act::relu) return _mm512_max_ps(_mm512_set1_ps(0.0f), v);  // NaN stays NaN
  if constexpr (A == Act::silu) return silu(v);
  return v;
}

// One tile: rows [r, r + 16 R) (masks cut the last one) x columns [n0, n0 + NB).
template <int R, int NB, Act A>
inline void tile(const float* in, long ld_in, int K, const float* W, const float* b, float* out,
                 long ld_out, long r, long n0, const __mmask16* mask) {
  __m512 acc[R][NB];
  UNROLL for (int j = 0; j < NB; ++j) {
    const __m512 bj = _mm512_set1_ps(b[n0 + j]);
    UNROLL for (int i = 0; i < R; ++i) acc[i][j] = bj;
  }
  const float* w = W + n0 * K;
  for (int k = 0; k < K; ++k) {
    const float* col = in + k * ld_in + r;
    __m512 a[R];
    UNROLL for (int i = 0; i < R; ++i) a[i] = _mm512_maskz_loadu_ps(mask[i], col + 16 * i);
    UNROLL for (int j = 0; j < NB; ++j) {
      const __m512 wj = _mm512_set1_ps(w[long(j) * K + k]);
      UNROLL for (int i = 0; i < R; ++i) acc[i][j] = _mm512_fmadd_ps(a[i], wj, acc[i][j]);
    }
  }
  UNROLL for (int j = 0; j < NB; ++j) {
    float* o = out + (n0 + j) * ld_out + r;
    UNROLL for (int i = 0; i < R; ++i)
      _mm512_mask_storeu_ps(o + 16 * i, mask[i], apply<A>(acc[i][j]));
  }
}

template <int R, int NB, Act A>
void tile_cols(int nb, const float* in, long ld_in, int K, const float* W, const float* b,
               float* out, long ld_out, long r, long n0, const __mmask16* mask) {
  if constexpr (NB > 1) {
    if (nb < NB)
      return tile_cols<R, NB - 1, A>(nb, in, ld_in, K, W, b, out, ld_out, r, n0, mask);
  }
  tile<R, NB, A>(in, ld_in, K, W, b, out, ld_out, r, n0, mask);
}

template <int R, Act A>
void row_tile(const float* in, long ld_in, int K, const float* W, const float* b, int N,
              float* out, long ld_out, long r, long rows) {
  __mmask16 mask[R];
  for (int i = 0; i < R; ++i) {
    const long left = std::clamp<long>(rows - 16 * i, 0, 16);
    mask[i] = __mmask16((1u << left) - 1u);
  }
  constexpr int NB = kAccumulators / R;
  for (long n0 = 0; n0 < N; n0 += NB)
    tile_cols<R, NB, A>(int(std::min<long>(NB, N - n0)), in, ld_in, K, W, b, out, ld_out, r, n0,
                        mask);
}

template <Act A>
void forward(const float* in, long ld_in, int K, const float* W, const float* b, int N,
             float* out, long ld_out, long m) {
  long r = 0;
  for (; r + kTileRows <= m; r += kTileRows)
    row_tile<kRowRegs, A>(in, ld_in, K, W, b, N, out, ld_out, r, kTileRows);
  const long rest = m - r;
  if (rest > 32)
    row_tile<3, A>(in, ld_in, K, W, b, N, out, ld_out, r, rest);
  else if (rest > 16)
    row_tile<2, A>(in, ld_in, K, W, b, N, out, ld_out, r, rest);
  else if (rest > 0)
    row_tile<1, A>(in, ld_in, K, W, b, N, out, ld_out, r, rest);
}

}  // namespace

void dense_forward(const float* in, long ld_in, int K, const float* W, const float* b, int N,
                   float* out, long ld_out, long m, const Activation* act) {
  if (!act) return forward<Act::none>(in, ld_in, K, W, b, N, out, ld_out, m);
  switch (*act) {
    case Activation::relu:
      return forward<Act::relu>(in, ld_in, K, W, b, N, out, ld_out, m);
    case Activation::silu:
      return forward<Act::silu>(in, ld_in, K, W, b, N, out, ld_out, m);
    case Activation::tanh:
      break;
  }
  throw std::invalid_argument("dense_forward: tanh is not fused (apply it after a linear call)");
}

#else

bool dense_kernel_available() { return false; }

void dense_forward(const float*, long, int, const float*, const float*, int, float*, long, long,
                   const Activation*) {
  throw std::logic_error("dense_forward: this build has no AVX-512 (check dense_kernel_available)");
}

#endif

}  // namespace dynalab
