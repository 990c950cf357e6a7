#include "core/models/bulk_normal.h"

#include <Eigen/Core>
#include <algorithm>

#include "core/rng.h"

namespace dynalab {

void fill_normals(Rng& rng, float* out, long n) {
  constexpr long kBlock = 256;  // pairs per block: stack buffers, whole SIMD packets
  alignas(64) float u1[kBlock], u2[kBlock], a[kBlock], b[kBlock];
  constexpr float kScale = 1.0f / 16777216.0f;  // 2^-24
  constexpr float kTwoPi = 6.28318530717958647692f;
  long done = 0;
  while (done < n) {
    const long pairs = std::min(kBlock, (n - done + 1) / 2);
    // Always compute a whole block so every value takes the same (packet) code path.
    for (long i = 0; i < kBlock; ++i) {
      if (i < pairs) {
        const uint64_t x = rng.next_u64();
        u1[i] = (float(uint32_t(x >> 40)) + 0.5f) * kScale;            // (0, 1): log is finite
        u2[i] = (float(uint32_t(x >> 8) & 0xFFFFFFu) + 0.5f) * kScale - 0.5f;  // (-1/2, 1/2)
      } else {
        u1[i] = 0.5f;
        u2[i] = 0.0f;
      }
    }
    using A = Eigen::Map<Eigen::Array<float, kBlock, 1>, Eigen::Aligned64>;
    A U1(u1), U2(u2), R(a), T(b);
    R = (-2.0f * U1.log()).sqrt();
    T = kTwoPi * U2;
    U1 = R * T.cos();
    U2 = R * T.sin();
    const long m = std::min(2 * pairs, n - done);
    for (long i = 0; i < m; ++i) out[done + i] = (i & 1) ? u2[i >> 1] : u1[i >> 1];
    done += m;
  }
}

}  // namespace dynalab
