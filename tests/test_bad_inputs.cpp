// Every malformed input in tests/bad_inputs/ must give exit code 2 and one line naming the file
// and key (or line) — never a crash, never a silent default.

#include <doctest/doctest.h>

#include "core/config.h"
#include "test_util.h"

using namespace dynalab;

TEST_CASE("every case of the bad-input catalogue exits 2 with one line naming the culprit") {
  const auto dir = test::test_data("bad_inputs");
  const Json cases = read_json_file((dir / "cases.json").string());
  REQUIRE(cases["cases"].size() >= 30);
  for (const auto& c : cases["cases"]) {
    std::string args = c["args"].get<std::string>();
    for (size_t p; (p = args.find("{dir}")) != std::string::npos;) args.replace(p, 5, dir.string());
    const auto r = test::run_cli(args);
    INFO("dynalab-cli " << args << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(c["expect"].get<std::string>()) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);  // one line
    CHECK(r.output.rfind("error: ", 0) == 0);
  }
}
