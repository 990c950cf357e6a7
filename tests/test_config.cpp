#include <doctest/doctest.h>

#include "core/config.h"

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
  apply_override(j, "agent.kind=dyna_q");
  CHECK(j["agent"]["kind"] == "dyna_q");
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
