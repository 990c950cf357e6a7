#include "core/models/bulk_normal.h"

#include <algorithm>

#include "core/rng.h"

namespace dynalab {

namespace {
constexpr float kScale = 1.0f / 16777216.0f;  // 2^-24
constexpr float kTwoPi = 6.28318530717958647692f;
constexpr long kPacket = 16;  // pad to whole AVX-512 packets: one code path per value

// Two 24-bit uniforms from one word: u1 in (0, 1) (log finite), u2 in (-1/2, 1/2).
inline void uniform_pair(uint64_t x, float& u1, float& u2) {
  u1 = (float(uint32_t(x >> 40)) + 0.5f) * kScale;
  u2 = (float(uint32_t(x >> 8) & 0xFFFFFFu) + 0.5f) * kScale - 0.5f;
}
}  // namespace

void BulkNormals::fill(Rng* streams, long count, long len, float* out) {
  const long half = (len + 1) / 2;                               // pairs per segment
  const long stride = (half + kPacket - 1) / kPacket * kPacket;  // padded so segments align
  const long total = count * stride;
  if (long(u1_.size()) < total) {
    u1_.resize(total);
    u2_.resize(total);
    c_.resize(total);
    s_.resize(total);
  }
  // The words first (each stream is sequential), then their conversion in a separate loop that
  // the compiler vectorises.
  if (long(words_.size()) < half) words_.resize(half);
  for (long i = 0; i < count; ++i) {
    float* a = u1_.data() + i * stride;
    float* b = u2_.data() + i * stride;
    uint64_t* w = words_.data();
    Rng& rng = streams[i];
    for (long k = 0; k < half; ++k) w[k] = rng.next_u64();
    for (long k = 0; k < half; ++k) uniform_pair(w[k], a[k], b[k]);
    for (long k = half; k < stride; ++k) a[k] = 0.5f, b[k] = 0.0f;
  }
  using Map = Eigen::Map<Eigen::ArrayXf, Eigen::Aligned64>;
  Map U1(u1_.data(), total), U2(u2_.data(), total), C(c_.data(), total), S(s_.data(), total);
  U1 = (-2.0f * U1.log()).sqrt();
  U2 *= kTwoPi;
  C = U1 * U2.cos();
  S = U1 * U2.sin();
  // Segment i: its cosines first, then its sines.
  for (long i = 0; i < count; ++i) {
    float* dst = out + i * len;
    std::copy_n(c_.data() + i * stride, half, dst);
    std::copy_n(s_.data() + i * stride, len - half, dst + half);
  }
}

void fill_normals(Rng& rng, float* out, long n) {
  BulkNormals b;
  b.fill(&rng, 1, n, out);
}

}  // namespace dynalab
