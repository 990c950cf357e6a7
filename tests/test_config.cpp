#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "core/config.h"
#include "core/agents/mpc/mbrl_agent.h"
#include "core/agents/registry.h"
#include "core/agents/tree_search/tree_search_agent.h"
#include "core/agents/tabular/tabular_agent.h"
#include "tests/test_util.h"

namespace test_config {

using namespace dynalab;

namespace {
struct Inner {
  int n = 3;
  template <class V>
  void visit(V& v) {
    v.field("n", n, Range::closed(0, 10));
  }
};
struct Outer {
  double alpha = 0.1;
  bool flag = false;
  std::string kind = "a";
  Inner inner;
  template <class V>
  void visit(V& v) {
    v.field("alpha", alpha, Range::unit());
    v.field("flag", flag);
    v.choice("kind", kind, {"a", "b"});
    v.section("inner", inner);
  }
};
Outer read(const std::string& text) {
  Outer o;
  ConfigNode node(Json::parse(text), "cfg.json");
  o.visit(node);
  node.finish();
  return o;
}
std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("defaults fill what the file leaves out, and the resolved config has every field") {
  Outer o = read(R"({"alpha": 0.5, "inner": {}})");
  CHECK(o.alpha == 0.5);
  CHECK(o.inner.n == 3);
  ConfigNode node(Json::parse("{}"), "x");
  Outer d;
  d.visit(node);
  CHECK(node.resolved().dump() == R"({"alpha":0.1,"flag":false,"kind":"a","inner":{"n":3}})");
}

TEST_CASE("errors name the file and the key") {
  CHECK(error_of(R"({"alpha": 2})") == "cfg.json: alpha: expected a number in (0, 1], got 2");
  CHECK(error_of(R"({"alpha": "x"})").find("cfg.json: alpha: expected a number") == 0);
  CHECK(error_of(R"({"flag": 1})") == "cfg.json: flag: expected true or false, got 1");
  CHECK(error_of(R"({"kind": "c"})") == "cfg.json: kind: expected one of a, b, got \"c\"");
  CHECK(error_of(R"({"inner": {"n": 2.5}})").find("cfg.json: inner.n: expected an integer") == 0);
  CHECK(error_of(R"({"inner": {"n": 11}})").find("cfg.json: inner.n:") == 0);
  CHECK(error_of(R"({"inner": 3})").find("cfg.json: inner: expected an object") == 0);
  CHECK(error_of(R"({"alpah": 0.2})").find("cfg.json: alpah: unknown key") == 0);
  CHECK(error_of(R"({"inner": {"m": 1}})").find("cfg.json: inner.m: unknown key") == 0);
}

TEST_CASE("--set overrides create nested keys, parse JSON values and keep bare words as strings") {
  Json j = Json::parse(R"({"agent": {"alpha": 0.1}})");
  CHECK(apply_override(j, "agent.alpha=0.5") == "agent.alpha");
  CHECK(j["agent"]["alpha"] == 0.5);
  apply_override(j, "agent.algorithm=dyna_q");
  CHECK(j["agent"]["algorithm"] == "dyna_q");
  apply_override(j, "env.maze=\"x\"");
  CHECK(j["env"]["maze"] == "x");
  CHECK_THROWS_AS(apply_override(j, "novalue"), InputError);
  CHECK_THROWS_AS(apply_override(j, "agent..x=1"), InputError);
}

TEST_CASE("an overridden key is reported as coming from --set") {
  Json j = Json::parse("{}");
  auto set = std::make_shared<std::set<std::string>>();
  set->insert(apply_override(j, "alpha=-1"));
  Outer o;
  ConfigNode node(j, "cfg.json", set);
  try {
    o.visit(node);
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "--set alpha: alpha: expected a number in (0, 1], got -1");
  }
}

namespace {
// Every integer kind a config can hold, nested one level as env sections are.
struct Ints {
  int n = 0;
  int64_t big = 0;
  uint64_t seed = 0;
  std::vector<int> dims;
  template <class V>
  void visit(V& v) {
    v.field("n", n);
    v.field("big", big);
    v.field("seed", seed, Range::closed(0, 1000));
    v.field("dims", dims, Range::at_least(0));
  }
};
struct Wrapper {
  Ints env;
  template <class V>
  void visit(V& v) {
    v.section("env", env);
  }
};
std::string int_error(const Json& j, std::shared_ptr<std::set<std::string>> set = {}) {
  try {
    Wrapper w;
    ConfigNode node(j, "cfg.json", set);
    w.visit(node);
    node.finish();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE(
    "integers are range-checked against their C++ type before the conversion (nothing wraps)") {
  // get<int>() turned 2147483648 into -2147483648 (a crash in mountain_car_dyna's env.dims) and
  // 4294967296 into 0.
  CHECK(int_error(Json::parse(R"({"env": {"dims": [2147483648, 1]}})")) ==
        "cfg.json: env.dims[0]: expected an integer in [0, 2147483647], got 2147483648");
  CHECK(int_error(Json::parse(R"({"env": {"dims": [1, 4294967296]}})")) ==
        "cfg.json: env.dims[1]: expected an integer in [0, 2147483647], got 4294967296");
  CHECK(int_error(Json::parse(R"({"env": {"dims": [-1]}})"))
            .find("cfg.json: env.dims[0]: expected") == 0);
  CHECK(int_error(Json::parse(R"({"env": {"dims": [1.5]}})"))
            .find("cfg.json: env.dims[0]: expected") == 0);
  CHECK(int_error(Json::parse(R"({"env": {"n": 2147483648}})")) ==
        "cfg.json: env.n: expected an integer in [-2147483648, 2147483647], got 2147483648");
  CHECK(
      int_error(Json::parse(R"({"env": {"n": -2147483649}})")).find("cfg.json: env.n: expected") ==
      0);
  CHECK(int_error(Json::parse(R"({"env": {"big": 9223372036854775807}})")) ==
        "cfg.json: env.big: expected an integer in [-9007199254740992, 9007199254740992], got "
        "9223372036854775807");
  CHECK(int_error(Json::parse(R"({"env": {"big": -9223372036854775809}})"))
            .find("cfg.json: env.big:") == 0);
  // An unsigned JSON number skipped the field's range.
  CHECK(int_error(Json::parse(R"({"env": {"seed": 18446744073709551615}})")) ==
        "cfg.json: env.seed: expected an integer in [0, 1000], got 18446744073709551615");
  CHECK(int_error(Json::parse(
            R"({"env": {"n": -5, "big": -3, "seed": 1000, "dims": [0, 2147483647, 3.0]}})")) ==
        "(no error)");
  // An element of an array set with --set names the flag.
  Json j = Json::object();
  auto set = std::make_shared<std::set<std::string>>();
  set->insert(apply_override(j, "env.dims=[2147483648,1]"));
  CHECK(int_error(j, set) ==
        "--set env.dims: env.dims[0]: expected an integer in [0, 2147483647], got 2147483648");
}

TEST_CASE("every agent the registry lists is a value a config can pick") {
  for (const auto& a : agent_registry()) {
    CAPTURE(a.name);
    REQUIRE(find_agent_family(a.family));
    const std::vector<std::string> values = a.family == "tabular" ? TabularConfig::algorithms()
                                            : a.family == "planning"  ? MbrlAgentConfig::versions()
                                            : a.family == "tree_search" ? TreeSearchConfig::algorithms()
                                                                           : std::vector<std::string>{a.family};
    CHECK(std::find(values.begin(), values.end(), a.name) != values.end());
  }
}

namespace {
/// The sections of both experiment families, as one config: "planner", "model" (mbrl, at the
/// top level) and "agent" (tabular).
struct AllSections {
  MbrlAgentConfig mbrl;
  TabularConfig tabular;
  template <class V>
  void visit(V& v) {
    mbrl.visit(v);
    v.section("agent", tabular);
  }
};
std::string renamed_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    Json j = Json::parse(text);
    auto set = std::make_shared<std::set<std::string>>();
    for (const auto& s : sets) set->insert(apply_override(j, s));
    AllSections c;
    ConfigNode node(j, "experiment.json", set);
    c.visit(node);
    node.finish();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("a key of another planner optimizer, left by --set planner.optimizer, names the optimizers and the way out") {
  CHECK(renamed_error(R"({"planner": {"optimizer": "cem", "horizon": 25, "population": 200, "elites": 20}})",
                      {"planner.optimizer=mppi"}) ==
        "experiment.json: planner.elites: expected no \"elites\" with optimizer \"mppi\" (a key of cem; to switch "
        "optimizers set the whole section, e.g. --set 'planner={\"optimizer\":\"mppi\",\"horizon\":25}')");
  // A key several optimizers share is named with all of them.
  CHECK(renamed_error(R"({"planner": {"optimizer": "cem", "population": 200}})", {"planner.optimizer=ilqr"})
            .find("planner.population: expected no \"population\" with optimizer \"ilqr\" (a key of random_shooting, cem, mppi;") !=
        std::string::npos);
  CHECK(renamed_error(R"({"planner": {"optimizer": "cem", "population": 200}})", {"planner.optimizer=mppi"}) ==
        "(no error)");
}

TEST_CASE("a renamed key fails with one line naming the file, the old key and the new key") {
  CHECK(renamed_error(R"({"planner": {"kind": "cem", "elites": 20}})") ==
        "experiment.json: planner.kind was renamed to planner.optimizer");
  CHECK(renamed_error(R"({"model": {"kind": "deterministic"}})") ==
        "experiment.json: model.kind was renamed to model.prediction");
  // Before any field is read: else the default elite_members (5) > ensemble_size would be the error.
  CHECK(renamed_error(R"({"model": {"ensemble_size": 3, "elites": 3}})") ==
        "experiment.json: model.elites was renamed to model.elite_members");
  CHECK(renamed_error(R"({"agent": {"kind": "dyna_q", "alpha": 0.5}})") ==
        "experiment.json: agent.kind was renamed to agent.algorithm");
  // The first old key in the file's order is the one named.
  CHECK(renamed_error(R"({"model": {"elites": 3, "kind": "deterministic", "ensemble_size": 3}})") ==
        "experiment.json: model.elites was renamed to model.elite_members");
  // From --set, the flag is named; a whole section set at once names that flag.
  CHECK(renamed_error("{}", {"agent.kind=q_learning"}) ==
        "--set agent.kind: agent.kind was renamed to agent.algorithm");
  CHECK(renamed_error("{}", {R"(planner={"kind": "mppi"})"}) ==
        "--set planner: planner.kind was renamed to planner.optimizer");
  // The new keys read; "elites" stays CEM's; the top-level "kind" became "family".
  CHECK(renamed_error(R"({"planner": {"optimizer": "cem", "elites": 20},
                          "model": {"prediction": "deterministic", "ensemble_size": 3,
                                    "elite_members": 3},
                          "agent": {"algorithm": "dyna_q_plus"}})") == "(no error)");
  // The top level's "kind" became "family": make_experiment says so (tests/bad_inputs/cases.json).
  CHECK(renamed_error(R"({"kind": "mbrl"})").find("experiment.json: kind: unknown key") == 0);
}

TEST_CASE("the table of renamed keys matches the config structs: new keys read, old keys gone") {
  AllSections c;
  ConfigNode node(Json::object(), "x");
  c.visit(node);
  const Json& resolved = node.resolved();
  REQUIRE(!renamed_keys().empty());
  for (const RenamedKey& r : renamed_keys()) {
    CAPTURE(r.section);
    CAPTURE(r.old_key);
    REQUIRE(resolved.contains(r.section));
    CHECK(resolved[r.section].contains(r.new_key));
    CHECK(!resolved[r.section].contains(r.old_key));
  }
  // One meaning per key: CEM's candidates are "elites", the ensemble's members "elite_members".
  CHECK(resolved["planner"].contains("elites"));
  CHECK(!resolved["model"].contains("elites"));
}

TEST_CASE("a config file with a number beyond a double is a one-line error naming the file") {
  const auto dir = dynalab::test::temp_dir("config_number_overflow");
  const std::string path = (dir / "inf.json").string();
  std::ofstream(path) << R"({"family": "latent", "env": {"name": "pixels", "size": 1e999}})";
  try {
    read_json_file(path);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == path + ": invalid JSON (number overflow parsing '1e999')");
  }
}

}  // namespace test_config
