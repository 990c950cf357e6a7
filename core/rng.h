#pragma once
// The one random engine of dynalab. Every random draw in the project goes through an Rng
// passed explicitly: no global engine, no std:: distributions (their output differs between
// standard libraries), so the same seed gives the same numbers in the GUI, the CLI and the tests.

#include <array>
#include <cstdint>
#include <initializer_list>

namespace dynalab {

/// SplitMix64 step: a strong 64-bit mixer, used for seeding and deriving streams.
uint64_t splitmix64(uint64_t& x);

/// xoshiro256** engine with its own uniform, normal and integer draws.
class Rng {
 public:
  /// Seeds the engine from one 64-bit seed (SplitMix64 expansion of the seed).
  explicit Rng(uint64_t seed = 0);

  /// A child stream derived from (seed, path...), e.g. Rng::derive(seed, {run, episode}).
  /// Streams for different paths are statistically independent; the result does not depend
  /// on how many draws any other stream made, so parallel work stays thread-count independent.
  static Rng derive(uint64_t seed, std::initializer_list<uint64_t> path);

  /// The next raw 64-bit output (inline: the planner's noise draws call it ~10^6 times per replan).
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform double in [0, 1) with 53 random bits.
  double uniform();
  /// Uniform double in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform float in [0, 1) with 24 random bits.
  float uniform_float();
  /// Uniform integer in [0, n), unbiased (Lemire's method). n must be > 0.
  uint64_t below(uint64_t n);
  /// Uniform int in [lo, hi] inclusive.
  int integer(int lo, int hi) { return lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo) + 1)); }
  /// Standard normal draw (Marsaglia polar method, the spare value cached).
  double normal();
  /// Normal draw with mean and standard deviation.
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }

  /// Full engine state (for saving a session): 4 words, then spare flag and spare bits.
  struct State {
    std::array<uint64_t, 4> s{};
    bool has_spare = false;
    double spare = 0.0;
    bool operator==(const State&) const = default;
  };
  State state() const { return {s_, has_spare_, spare_}; }
  void set_state(const State& st) {
    s_ = st.s;
    has_spare_ = st.has_spare;
    spare_ = st.spare;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace dynalab
