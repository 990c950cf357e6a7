#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/rng.h"

namespace test_rng {

using namespace dynalab;

TEST_CASE("same seed gives the same stream; different seeds differ") {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.next_u64();
    CHECK(x == b.next_u64());
    (void)c;
  }
  Rng d(42), e(43);
  int same = 0;
  for (int i = 0; i < 100; ++i) same += d.next_u64() == e.next_u64();
  CHECK(same == 0);
}

TEST_CASE("the engine's output is fixed across platforms (golden values)") {
  // xoshiro256** seeded by SplitMix64(0): these values pin the stream so that results never
  // silently change between builds or standard libraries.
  Rng r(0);
  const uint64_t first = r.next_u64();
  Rng again(0);
  CHECK(first == again.next_u64());
  CHECK(first == 0x99EC5F36CB75F2B4ull);
}

TEST_CASE("uniform, integer and normal draws have the right ranges and moments") {
  Rng r(7);
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
  std::set<uint64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    const uint64_t k = r.below(6);
    REQUIRE(k < 6);
    seen.insert(k);
  }
  CHECK(seen.size() == 6);
  for (int i = 0; i < n; ++i) {
    const double z = r.normal();
    sum += z;
    sum2 += z * z;
  }
  CHECK(std::abs(sum / n) < 0.01);
  CHECK(std::abs(sum2 / n - 1.0) < 0.02);
}

TEST_CASE("derived streams depend only on (seed, path)") {
  Rng a = Rng::derive(5, {1, 2});
  Rng b = Rng::derive(5, {1, 2});
  Rng c = Rng::derive(5, {2, 1});
  Rng d = Rng::derive(6, {1, 2});
  const uint64_t x = a.next_u64();
  CHECK(x == b.next_u64());
  CHECK(x != c.next_u64());
  CHECK(x != d.next_u64());
}

TEST_CASE("state save and restore reproduces the stream, including the cached normal") {
  Rng r(3);
  r.normal();  // leaves a spare cached
  const auto st = r.state();
  const double z1 = r.normal(), z2 = r.normal();
  r.set_state(st);
  CHECK(r.normal() == z1);
  CHECK(r.normal() == z2);
}

}  // namespace test_rng
