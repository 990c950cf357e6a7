#include <doctest/doctest.h>

#include <cmath>

#include "core/config.h"
#include "core/dataset.h"
#include "core/io/npy.h"
#include "core/rng.h"
#include "test_util.h"

namespace test_dataset {

using namespace dynalab;
using dynalab::test::error_of;
using dynalab::test::npy_with_header;

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

TEST_CASE("head copies the oldest transitions, also from a ring that has wrapped") {
  const Dataset full = random_dataset(25);
  const Dataset first = full.head(7);
  REQUIRE(first.size() == 7);
  CHECK(first.observations() == full.observations().topRows(7));
  CHECK(first.terminations() == full.terminations().head(7));
  CHECK(full.head(100).size() == 25);
  const Dataset ring = random_dataset(25, 10);
  CHECK(ring.head(3).observations() == full.observations().middleRows(15, 3));
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

namespace {
/// One CSV line of a dataset with obs 1, action 1:
/// episode,obs_0,action_0,reward,next_obs_0,terminated.
std::string csv1(const std::string& row) {
  return "episode,obs_0,action_0,reward,next_obs_0,terminated\n" + row + "\n";
}
}  // namespace

TEST_CASE("a CSV field is read only when all of it is a number of the column's kind") {
  const Dataset ok = Dataset::from_csv(csv1("2,0.6,-1,+0.5,1e-3,1"), "d.csv", 1, 1);
  CHECK(ok.at(0).episode == 2);
  CHECK(ok.at(0).obs[0] == 0.6);
  CHECK(ok.at(0).reward == 0.5);
  CHECK(ok.at(0).terminated);
  // strtod read "0.6abc" as 0.6: the dataset passed `check` as ok.
  CHECK(error_of([] { Dataset::from_csv(csv1("0,0.6abc,0,0,0,0"), "p.csv", 1, 1); }) ==
        "p.csv:2: column 'obs_0': expected a finite number, got '0.6abc'");
  for (const char* field : {"1x", "0x10", " 1", "1 ", "", "nan", "1e309", "--1"}) {
    INFO("'" << field << "'");
    CHECK(error_of([&] {
            Dataset::from_csv(csv1(std::string("0,0,") + field + ",0,0,0"), "p.csv", 1, 1);
          }) ==
          std::string("p.csv:2: column 'action_0': expected a finite number, got '") + field + "'");
  }
  CHECK(error_of([] { Dataset::from_csv(csv1("1.5,0,0,0,0,0"), "e.csv", 1, 1); }) ==
        "e.csv:2: column 'episode': expected an integer in [-2147483648, 2147483647], got '1.5'");
  CHECK(error_of([] { Dataset::from_csv(csv1("4294967296,0,0,0,0,0"), "e.csv", 1, 1); }) ==
        "e.csv:2: column 'episode': expected an integer in [-2147483648, 2147483647], got "
        "'4294967296'");
  CHECK(Dataset::from_csv(csv1("-3,0,0,0,0,0"), "e.csv", 1, 1).at(0).episode ==
        -3);  // a random-action episode
  CHECK(error_of([] { Dataset::from_csv(csv1("0,0,0,0,0,2"), "t.csv", 1, 1); }) ==
        "t.csv:2: column 'terminated': expected 0 or 1, got '2'");
  CHECK(error_of([] { Dataset::from_csv(csv1("0,0,0,0,0,0.5"), "t.csv", 1, 1); }) ==
        "t.csv:2: column 'terminated': expected 0 or 1, got '0.5'");
  // A trailing comma is a seventh, empty column (std::getline dropped it).
  CHECK(error_of([] { Dataset::from_csv(csv1("0,0,0,0,0,0,"), "c.csv", 1, 1); }) ==
        "c.csv:2: expected 6 columns, got 7");
  // Windows line ends are not part of the last field.
  const Dataset crlf = Dataset::from_csv(
      "episode,obs_0,action_0,reward,next_obs_0,terminated\r\n3,1,2,3,4,0\r\n", "w.csv", 1, 1);
  CHECK(crlf.size() == 1);
  CHECK(crlf.at(0).episode == 3);
}

TEST_CASE("a .npy's flags are checked like a CSV's: episode an integer, terminated 0 or 1") {
  std::vector<double> row = {0.5, 0, 0, 0, 0, 0};
  CHECK(
      error_of([&] { Dataset::from_npy(npy_encode(row.data(), 1, 6), "e.npy", 1, 1); }) ==
      "e.npy: row 1, column 'episode': expected an integer in [-2147483648, 2147483647], got 0.5");
  row = {1e300, 0, 0, 0, 0, 0};  // Transition::at casts the episode to an int
  CHECK(error_of([&] {
          Dataset::from_npy(npy_encode(row.data(), 1, 6), "e.npy", 1, 1);
        }).find("column 'episode'") != std::string::npos);
  row = {0, 0, 0, 0, 0, -1};
  CHECK(error_of([&] { Dataset::from_npy(npy_encode(row.data(), 1, 6), "t.npy", 1, 1); }) ==
        "t.npy: row 1, column 'terminated': expected 0 or 1, got -1");
}

TEST_CASE("the .npy header is read as the Python dict it is, in any spelling numpy reads") {
  const std::vector<double> data = {0, 1, 2, 3, 4, 1, 1, 5, 6, 7, 8, 0};  // 2 rows, obs 1, action 1
  for (const char* header : {
           "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 6), }",
           "{'descr':'<f8','fortran_order':False,'shape':(2,6)}",
           "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 6)}",
           "{'shape': (2, 6,), 'fortran_order': False, 'descr': '<f8'}",
           "{ 'descr' : '<f8' ,\t'fortran_order' : False , 'shape' : ( 2 , 6 ) , }",
       }) {
    INFO(header);
    const Dataset d = Dataset::from_npy(npy_with_header(header, data), "h.npy", 1, 1);
    REQUIRE(d.size() == 2);
    CHECK(d.at(0).reward == 3);
    CHECK(d.at(1).episode == 1);
    CHECK(d.at(1).reward == 7);
  }
}

TEST_CASE("a Fortran-order .npy is read transposed, in any spelling of its header") {
  // The same 2 x 6 array stored column by column: a C-order read would scramble the rows.
  const std::vector<double> columns = {0, 1, 1, 5, 2, 6, 3, 7, 4, 8, 1, 0};
  for (const char* header : {"{'descr': '<f8', 'fortran_order': True, 'shape': (2, 6), }",
                             "{'descr':'<f8','fortran_order':True,'shape':(2,6)}"}) {
    INFO(header);
    const Dataset d = Dataset::from_npy(npy_with_header(header, columns), "f.npy", 1, 1);
    REQUIRE(d.size() == 2);
    CHECK(d.at(0).episode == 0);
    CHECK(d.at(0).obs[0] == 1);
    CHECK(d.at(0).reward == 3);
    CHECK(d.at(0).terminated);
    CHECK(d.at(1).episode == 1);
    CHECK(d.at(1).next_obs[0] == 8);
    CHECK(!d.at(1).terminated);
  }
}

TEST_CASE("a .npy header outside the dict numpy writes is refused, never guessed at") {
  const std::vector<double> data(12, 0.0);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"{'descr': '<f8', 'fortran_order': False}",
       "expected the keys descr, fortran_order and shape"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 6), 'extra': 1}",
       "expected only the keys"},
      {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 6)}",
       "'descr' given twice"},
      {"{'descr': '<f8', 'fortran_order': false, 'shape': (2, 6)}",
       "expected 'fortran_order' True or False"},
      {"{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 6)}",
       "expected 'fortran_order' True or False"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (12)}",
       "expected 'shape' as a tuple such as (3,), got a number in parentheses"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': [2, 6]}", "expected 'shape' as a tuple"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, -6)}", "expected 'shape' as a tuple"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 0x6)}",
       "expected 'shape' as a tuple"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,, 6)}", "expected 'shape' as a tuple"},
      {"{'descr': '<f8' 'fortran_order': False, 'shape': (2, 6)}", "expected ',' or '}'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 6)} x",
       "expected nothing after the dict"},
      {"{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2, 6)}",
       "expected 'descr' of float64 or float32 without escapes"},
      {"{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2, 6)}",
       "expected 'descr' of float64"},
      {"{'descr': '>f8', 'fortran_order': False, 'shape': (2, 6)}", "big-endian"},
      {"{'descr': '<i8', 'fortran_order': False, 'shape': (2, 6)}",
       "expected dtype float64 or float32, got i8"},
      {"'descr': '<f8', 'fortran_order': False, 'shape': (2, 6)", "expected a dict"},
  };
  for (const auto& item : bad) {
    const auto& header = item.first;  // not a structured binding: clang 14 cannot capture one
    const auto& expect = item.second;
    INFO(header);
    const std::string msg =
        error_of([&] { Dataset::from_npy(npy_with_header(header, data), "b.npy", 1, 1); });
    CHECK(msg.find("b.npy: header: " + expect) == 0);
  }
}

TEST_CASE("an empty .npy of the wrong width is refused like a full one") {
  CHECK(error_of([] { Dataset::from_npy(npy_encode(nullptr, 0, 5), "e.npy", 3, 2); }) ==
        "e.npy: expected 11 columns, got 5");
  CHECK(Dataset::from_npy(npy_encode(nullptr, 0, 11), "e.npy", 3, 2).empty());
  const std::string one_d =
      npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", {});
  CHECK(error_of([&] { Dataset::from_npy(one_d, "e.npy", 3, 2); }) ==
        "e.npy: expected 11 columns, got 1");
}

}  // namespace test_dataset
