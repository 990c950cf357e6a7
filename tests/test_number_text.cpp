// Numbers read from people's files and command lines: the whole field must be a finite number
// of the type it lands in (issue 15, parts 2 and 4). The readers that use these helpers are
// tested with their own files in test_dataset, test_config, test_session and test_bad_inputs.
#include <doctest/doctest.h>

#include <cmath>

#include "core/config.h"
#include "core/number_text.h"
#include "core/session.h"
#include "test_util.h"

namespace test_number_text {

using namespace dynalab;
using dynalab::test::error_of;

TEST_CASE("parse_finite takes a whole decimal number and nothing else") {
  CHECK(parse_finite("0.6") == 0.6);
  CHECK(parse_finite("-1.5e-3") == -1.5e-3);
  CHECK(parse_finite("+2") == 2.0);
  CHECK(parse_finite("1E5") == 1e5);
  CHECK(parse_finite(".5") == 0.5);
  CHECK(parse_finite("1e-320") == 1e-320);  // a subnormal, as to_chars writes it, reads back
  CHECK(parse_finite("-0") == 0.0);
  for (const char* bad : {"0.6abc", "1x",   "0x10",  " 1",     "1 ",  "",      "nan", "NaN",
                          "inf",    "-inf", "1e309", "-1e309", "1,5", "1.5.2", "--1", "+-1",
                          "++1",    "+",    ".",     "e5",     "5e",  "1\r",   "true"}) {
    INFO("'" << bad << "'");
    CHECK(!parse_finite(bad));
  }
}

TEST_CASE("parse_integer takes a whole base-10 integer within its bounds") {
  CHECK(parse_integer("42") == 42);
  CHECK(parse_integer("-7") == -7);
  CHECK(parse_integer("+3") == 3);
  CHECK(parse_integer("9223372036854775807") == 9223372036854775807LL);
  CHECK(parse_integer("5", 0, 5) == 5);
  for (const char* bad : {"1.0", "1e3", "0x10", " 1", "1 ", "", "1x", "-", "9223372036854775808",
                          "-9223372036854775809", "99999999999999999999"}) {
    INFO("'" << bad << "'");
    CHECK(!parse_integer(bad));
  }
  CHECK(!parse_integer("6", 0, 5));
  CHECK(!parse_integer("-1", 0, 5));
}

TEST_CASE("json_integer checks the range before converting, so nothing wraps") {
  CHECK(json_integer<int>(Json(2147483647)) == 2147483647);
  CHECK(json_integer<int>(Json(-2147483648LL)) == -2147483647 - 1);
  CHECK(!json_integer<int>(Json(2147483648LL)));         // get<int>(): -2147483648
  CHECK(!json_integer<int>(Json::parse("4294967296")));  // get<int>(): 0
  CHECK(!json_integer<int>(Json::parse("-2147483649")));
  CHECK(!json_integer<int64_t>(Json::parse("18446744073709551615")));  // get<int64_t>(): -1
  CHECK(!json_integer<int64_t>(Json::parse("9223372036854775808")));
  CHECK(!json_integer<int64_t>(Json::parse("-9223372036854775809")));  // parsed as a double
  CHECK(json_integer<int64_t>(Json::parse("9223372036854775807")) == 9223372036854775807LL);
  CHECK(json_integer<int>(Json::parse("3.0")) == 3);
  CHECK(!json_integer<int>(Json::parse("3.5")));
  CHECK(!json_integer<int64_t>(Json::parse("1e30")));
  CHECK(!json_integer<int>(Json("3")));
  CHECK(!json_integer<int>(Json(true)));
  CHECK(json_integer(Json(7), 0, 7) == 7);
  CHECK(!json_integer(Json(8), 0, 7));
  CHECK(!json_integer(Json::parse("18446744073709551615"), -5, -1));
}

TEST_CASE("a session file's integers are checked against the type they land in") {
  const Json j =
      Json::parse(R"({"ok": 5, "big": 2147483648, "wrap": 4294967296, "huge": 18446744073709551615,
                                 "list": [1, 4294967296]})");
  const SessionReader r(j, "s.json", "state");
  CHECK(r.integer<int>("ok") == 5);
  CHECK(r.integer("big") == 2147483648LL);
  CHECK(error_of([&] { r.integer<int>("big"); }) ==
        "s.json: state.big: expected an integer in [-2147483648, 2147483647], got 2147483648");
  CHECK(error_of([&] {
          r.integer<int>("wrap");
        }).find("s.json: state.wrap: expected an integer in") == 0);
  CHECK(error_of([&] { r.integer("huge"); }) ==
        "s.json: state.huge: expected an integer, got 18446744073709551615");
  CHECK(r.integers("list") == std::vector<int64_t>{1, 4294967296LL});
  CHECK(error_of([&] { r.integers<int>("list"); }) ==
        "s.json: state.list[1]: expected an integer in [-2147483648, 2147483647], got 4294967296");
}

}  // namespace test_number_text
