#pragma once
// Standard normal draws in bulk for the planner's particle noise (about a million per replan):
// Box-Muller on 24-bit uniforms taken from Rng::next_u64, evaluated with Eigen's vectorised
// log/sin/cos over whole buffers. Rng::normal (polar method, double, one value per call) costs
// several times more per draw. Same Rng state and sizes -> the same values, on every thread.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace dynalab {

class Rng;

/// Fills out[0, n) with standard normal float draws from rng (consumes ceil(n/2) words).
void fill_normals(Rng& rng, float* out, long n);

/// Normals for many independent streams at once: segment i (length `len`, at out + i * len)
/// comes from streams[i] only, and the transcendental functions run once over all segments.
/// For a given stream state and len, a segment's values do not depend on the other segments.
class BulkNormals {
 public:
  /// Fills `count` segments of `len` values; streams[i] advances by ceil(len/2) words.
  void fill(Rng* streams, long count, long len, float* out);

 private:
  std::vector<float, Eigen::aligned_allocator<float>> u1_, u2_, c_, s_;
  std::vector<uint64_t> words_;
};

}  // namespace dynalab
