#include <doctest/doctest.h>

#include <cmath>

#include "core/config.h"
#include "core/dataset.h"
#include "core/export/npy.h"
#include "core/rng.h"

using namespace dynalab;

namespace {
Dataset random_dataset(size_t n, size_t capacity = 0) {
  Dataset d(3, 2, capacity);
  Rng r(1);
  for (size_t i = 0; i < n; ++i) {
    Transition t;
    t.episode = static_cast<int>(i / 10);
    t.obs = Vec::NullaryExpr(3, [&] { return r.normal(); });
    t.action = Vec::NullaryExpr(2, [&] { return r.uniform(-1, 1); });
    t.reward = r.normal();
    t.next_obs = Vec::NullaryExpr(3, [&] { return r.normal(); });
    t.terminated = i % 10 == 9;
    d.add(t);
  }
  return d;
}
}  // namespace

TEST_CASE("CSV and .npy round trips give back exactly the same transitions") {
  const Dataset d = random_dataset(57);
  const Dataset c = Dataset::from_csv(d.to_csv(), "d.csv", 3, 2);
  const Dataset n = Dataset::from_npy(d.to_npy(), "d.npy", 3, 2);
  REQUIRE(c.size() == 57);
  REQUIRE(n.size() == 57);
  CHECK(c.observations() == d.observations());
  CHECK(c.actions() == d.actions());
  CHECK(c.next_observations() == d.next_observations());
  CHECK(c.rewards() == d.rewards());
  CHECK(n.observations() == d.observations());
  CHECK(n.at(9).terminated);
  CHECK(n.at(12).episode == 1);
}

TEST_CASE("a bounded buffer keeps the newest transitions in order") {
  const Dataset full = random_dataset(25);
  const Dataset ring = random_dataset(25, 10);
  CHECK(ring.size() == 10);
  for (size_t i = 0; i < 10; ++i) CHECK(ring.at(i).obs == full.at(15 + i).obs);
  CHECK(ring.observations() == full.observations().bottomRows(10));
}

TEST_CASE("the .npy header is what numpy.load expects") {
  const std::string bytes = random_dataset(4).to_npy();
  CHECK(bytes.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  const size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  CHECK((10 + header_len) % 64 == 0);
  CHECK(bytes.find("'shape': (4, 11)") != std::string::npos);
  CHECK(bytes.size() == 10 + header_len + 4 * 11 * 8);
}

TEST_CASE("bad datasets are errors naming the file and row or line") {
  const std::string csv = random_dataset(3).to_csv();
  auto err = [](auto&& f) {
    try {
      f();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(err([] { Dataset::from_csv("", "e.csv", 3, 2); }) == "e.csv: empty file (expected a header row)");
  std::string nan_csv = csv;
  nan_csv.replace(nan_csv.find('\n') + 3, 0, "nan");  // corrupt a number on line 2
  CHECK(err([&] { Dataset::from_csv(nan_csv, "n.csv", 3, 2); }).find("n.csv:2:") == 0);
  CHECK(err([&] { Dataset::from_csv("h\n1,2,3\n", "c.csv", 3, 2); }) == "c.csv:2: expected 11 columns, got 3");
  CHECK(err([&] { Dataset::from_npy(random_dataset(3).to_npy(), "w.npy", 2, 2); }) ==
        "w.npy: expected 9 columns, got 11");
  const std::string npy = random_dataset(3).to_npy();
  CHECK(err([&] { Dataset::from_npy(npy.substr(0, npy.size() - 5), "t.npy", 3, 2); }).find("t.npy: truncated") == 0);
  CHECK(err([&] { Dataset::from_npy("garbage", "g.npy", 3, 2); }).find("g.npy: not a .npy file") == 0);
  std::vector<double> bad = {0, 1, 2, 3, NAN, 5, 6, 7, 8, 9, 0};
  CHECK(err([&] { Dataset::from_npy(npy_encode(bad.data(), 1, 11), "x.npy", 3, 2); })==
        "x.npy: row 1, column 'action_0': expected a finite number, got nan");
}
