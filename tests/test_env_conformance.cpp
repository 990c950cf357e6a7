// One conformance suite run over every registered env: spaces, seeded resets, long random runs
// (finite, within bounds, reward consistent with reward(s, a, s')), exact clone/set_state,
// termination vs truncation, and drawing.

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/rng.h"
#include "envs/registry.h"

namespace test_env_conformance {

using namespace dynalab;

namespace {

std::unique_ptr<Env> make_env(const std::string& name) {
  Json j = {{"name", name}};
  ConfigNode node(j, "test");
  return env_registry().make(node);
}

bool same_bits(const Vec& a, const Vec& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

/// Records what draw() produces: a count, and whether every coordinate was finite.
class CountingCanvas : public Canvas {
 public:
  int primitives = 0;
  bool finite = true;
  void check(Vec2 p) { finite = finite && std::isfinite(p.x) && std::isfinite(p.y); }
  void polygon(std::span<const Vec2> pts, Color, Color) override {
    ++primitives;
    for (auto p : pts) check(p);
  }
  void circle(Vec2 c, double r, Color, Color) override {
    ++primitives;
    check(c);
    finite = finite && std::isfinite(r) && r > 0;
  }
  void segment(Vec2 a, Vec2 b, Color, float) override {
    ++primitives;
    check(a), check(b);
  }
  void polyline(std::span<const Vec2> pts, Color, float) override {
    ++primitives;
    for (auto p : pts) check(p);
  }
  void rect(Vec2 lo, Vec2 hi, Color, Color) override {
    ++primitives;
    check(lo), check(hi);
  }
  void text(Vec2 at, std::string_view, Color, float) override { check(at); }
  void arrow(Vec2 a, Vec2 b, Color, float) override {
    ++primitives;
    check(a), check(b);
  }
};

void check_space(const Space& s) {
  if (s.is_discrete()) {
    CHECK(s.n > 0);
    return;
  }
  REQUIRE(s.low.size() > 0);
  REQUIRE(s.low.size() == s.high.size());
  for (int i = 0; i < s.low.size(); ++i) {
    CHECK(s.low[i] <= s.high[i]);
    CHECK(!std::isnan(s.low[i]));
    CHECK(!std::isnan(s.high[i]));
  }
}

}  // namespace

TEST_CASE("every registered env passes the conformance suite") {
  int known_terminations = 0;  // over all envs: the predicate is checked on real endings too
  REQUIRE(env_registry().entries().size() >= 9);
  for (const auto& entry : env_registry().entries()) {
    CAPTURE(entry.name);
    auto env = make_env(entry.name);
    CHECK(env->name() == entry.name);
    const Space os = env->observation_space(), as = env->action_space();

    // Spaces are valid and the names match the observation.
    check_space(os);
    check_space(as);
    CHECK(static_cast<int>(env->observation_names().size()) == os.dim());
    CHECK(env->max_episode_steps() > 0);
    const Bounds wb = env->world_bounds();
    CHECK(wb.lo.x < wb.hi.x);
    CHECK(wb.lo.y < wb.hi.y);

    // Reset with a seed is deterministic, on this instance and on another.
    const Vec o1 = env->reset(7);
    const auto st1 = env->get_state();
    env->step(as.sample(*std::make_unique<Rng>(3)));
    const Vec o2 = env->reset(7);
    CHECK(same_bits(o1, o2));
    auto fresh = make_env(entry.name);
    CHECK(same_bits(o1, fresh->reset(7)));
    // The full state of a fresh env (grid worlds also count steps over episodes, by design).
    CHECK(same_bits(st1, fresh->get_state()));
    CHECK(os.contains(o1));
    CHECK(env->episode_step() == 0);

    // 10,000 random steps: finite, within bounds, rewards as reward(s, a, s') says, episode
    // ends flagged correctly.
    Rng rng(11);
    Vec obs = env->reset(1);
    int episodes = 0, bad_obs = 0, bad_reward = 0, bad_flags = 0, reward_mismatch = 0,
        bad_counter = 0, termination_mismatch = 0;
    int steps_in_episode = 0;
    for (int t = 0; t < 10000; ++t) {
      const Vec a = as.sample(rng);
      const StepResult r = env->step(a);
      ++steps_in_episode;
      if (!os.contains(r.obs)) ++bad_obs;
      if (!std::isfinite(r.reward)) ++bad_reward;
      if (env->episode_step() != steps_in_episode) ++bad_counter;
      // Truncated exactly at the limit (unless terminated); never both.
      if (r.terminated && r.truncated) ++bad_flags;
      if (r.truncated != (!r.terminated && steps_in_episode >= env->max_episode_steps()))
        ++bad_flags;
      if (const auto known = env->reward(obs, as.clip(a), r.obs);
          known && !same_bits(*known, r.reward))
        ++reward_mismatch;
      // terminated(s, a, s') is what step() reports, wherever the env can say.
      if (const auto known = env->terminated(obs, as.clip(a), r.obs)) {
        if (*known != r.terminated) ++termination_mismatch;
        if (*known) ++known_terminations;
      }
      obs = r.obs;
      if (r.terminated || r.truncated) {
        ++episodes;
        obs = env->reset(1000 + t);
        steps_in_episode = 0;
      }
    }
    CHECK(bad_obs == 0);
    CHECK(bad_reward == 0);
    CHECK(bad_flags == 0);
    CHECK(bad_counter == 0);
    CHECK(reward_mismatch == 0);
    CHECK(termination_mismatch == 0);
    CHECK(episodes >= 1);

    // clone() and set_state() continue the trajectory bit for bit, from several points of an
    // episode (at rest after a reset, and mid-motion, in contact or not).
    for (int clone_at : {0, 17, 61}) {
      CAPTURE(clone_at);
      env->reset(5);
      Rng act(21 + clone_at);
      for (int t = 0; t < clone_at; ++t) {
        const auto r = env->step(as.sample(act));
        if (r.terminated || r.truncated) env->reset(6 + t);
      }
      auto copy = env->clone();
      auto restored = make_env(entry.name);
      restored->reset(99);  // somewhere else first
      restored->set_state(env->get_state());
      CHECK(same_bits(copy->get_state(), env->get_state()));
      CHECK(same_bits(restored->get_state(), env->get_state()));
      int mismatches = 0, compared = 0;
      for (int t = 0; t < 300; ++t) {
        const Vec a = as.sample(act);
        const StepResult r0 = env->step(a), r1 = copy->step(a), r2 = restored->step(a);
        ++compared;
        for (const StepResult* r : {&r1, &r2})
          if (!same_bits(r->obs, r0.obs) || !same_bits(r->reward, r0.reward) ||
              r->terminated != r0.terminated || r->truncated != r0.truncated)
            ++mismatches;
        if (!same_bits(copy->get_state(), env->get_state()) ||
            !same_bits(restored->get_state(), env->get_state()))
          ++mismatches;
        if (r0.terminated || r0.truncated) break;
      }
      CHECK(compared > 0);
      CHECK(mismatches == 0);
    }

    // A bad state vector is rejected.
    if (entry.name != "grid_world") CHECK_THROWS(env->set_state({1.0, 2.0}));

    // draw() draws something, all of it finite.
    CountingCanvas canvas;
    env->draw(canvas);
    CHECK(canvas.primitives >= 2);
    CHECK(canvas.finite);
  }
  CHECK(known_terminations >= 10);
}

// A state from a hand-edited session: every value of it out of range (a counter of 1e308 or NaN
// was a double cast to int, a pose of 1e308 NaN physics) is refused before any value is applied.
TEST_CASE("set_state refuses a state with any value out of range, in one line, and leaves the env as it was") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& entry : env_registry().entries()) {
    CAPTURE(entry.name);
    auto env = make_env(entry.name);
    env->reset(3);
    Rng rng(4);
    for (int t = 0; t < 10; ++t) {
      const StepResult r = env->step(env->action_space().sample(rng));
      if (r.terminated || r.truncated) env->reset(4 + t);
    }
    const std::vector<double> good = env->get_state();
    for (size_t i = 0; i < good.size(); ++i)
      for (double bad : {1e308, -1e308, nan}) {
        CAPTURE(i);
        CAPTURE(bad);
        std::vector<double> edited = good;
        edited[i] = bad;
        std::string error = "(no error)";
        try {
          env->set_state(edited);
        } catch (const std::invalid_argument& e) {
          error = e.what();
        }
        CHECK(error.find(": set_state: ") != std::string::npos);
        CHECK(error.find('\n') == std::string::npos);
        CHECK(same_bits(env->get_state(), good));
      }
    env->set_state(good);
    CHECK(same_bits(env->get_state(), good));
  }
}

TEST_CASE("physics envs terminate or truncate exactly when they should") {
  // Never-terminating envs truncate at their limit under a zero action.
  for (const char* name : {"pendulum", "cartpole_swingup", "reacher"}) {
    CAPTURE(name);
    auto env = make_env(name);
    env->reset(3);
    const Vec zero = Vec::Zero(env->action_space().dim());
    int t = 0;
    StepResult r;
    do {
      r = env->step(zero);
      ++t;
      if (t < env->max_episode_steps()) CHECK(!r.truncated);
    } while (!r.terminated && !r.truncated && t < 100000);
    CHECK(!r.terminated);
    CHECK(r.truncated);
    CHECK(t == env->max_episode_steps());
  }
}

}  // namespace test_env_conformance
