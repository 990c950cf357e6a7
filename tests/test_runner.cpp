#include <doctest/doctest.h>

#include <thread>

#include "core/agents/tabular/dyna_agent.h"
#include "core/episodic_experiment.h"
#include "core/runner.h"
#include "envs/registry.h"

namespace test_runner {

using namespace dynalab;
using namespace std::chrono_literals;

namespace {
std::unique_ptr<Experiment> dyna_maze(uint64_t seed) {
  return make_experiment(load_experiment("dyna_maze", {"seed=" + std::to_string(seed)}),
                         env_registry());
}
const Snapshot& tabular(const std::shared_ptr<const Snapshot>& s) {
  REQUIRE(s);
  REQUIRE(s->q_table);
  return *s;
}
}  // namespace

TEST_CASE("a loaded experiment starts paused and publishes its first snapshot") {
  Runner r;
  r.load(dyna_maze, 3);
  REQUIRE(r.wait_idle(10s));
  auto st = r.status();
  CHECK(st.has_experiment);
  CHECK_FALSE(st.playing);
  CHECK(st.ticks == 0);
  CHECK(st.seed == 3);
  CHECK(tabular(r.latest()).tick == 0);
  std::this_thread::sleep_for(50ms);  // paused: nothing happens on its own
  CHECK(r.status().ticks == 0);
}

TEST_CASE("step(n) runs exactly n ticks, pauses and publishes at once") {
  Runner r(1);  // 1 publish per second: the step's snapshot must come from the pause rule
  r.load(dyna_maze, 0);
  r.step(1);
  REQUIRE(r.wait_idle(10s));
  CHECK(r.status().ticks == 1);
  CHECK(tabular(r.latest()).tick == 1);
  r.step(37);
  REQUIRE(r.wait_idle(10s));
  CHECK(r.status().ticks == 38);
  CHECK(tabular(r.latest()).tick == 38);
  CHECK_FALSE(r.status().playing);
}

TEST_CASE("N ticks through the runner equal N ticks done directly, bit for bit") {
  auto direct = dyna_maze(7);
  for (int i = 0; i < 500; ++i) direct->tick();
  auto expected = direct->snapshot();

  Runner r;
  r.load(dyna_maze, 7);
  r.set_speed(0);
  for (int i = 0; i < 10; ++i) r.step(50);  // split in chunks, interleaved with publishing
  REQUIRE(r.wait_idle(20s));
  const auto& got = tabular(r.latest());
  const auto& want = tabular(expected);
  CHECK(got.tick == 500);
  CHECK(got.q_table->q == want.q_table->q);
  CHECK(got.q_table->path == want.q_table->path);
  CHECK(got.q_table->planning_updates == want.q_table->planning_updates);
}

TEST_CASE("published snapshots are immutable: later ticks do not change an old one") {
  Runner r;
  r.load(dyna_maze, 1);
  r.step(300);
  REQUIRE(r.wait_idle(10s));
  auto old = r.latest();
  const auto q = tabular(old).q_table->q;
  const auto path = tabular(old).q_table->path;
  r.step(500);  // the 50-episode Dyna Maze run ends after ~1300 ticks
  REQUIRE(r.wait_idle(20s));
  CHECK(tabular(r.latest()).tick == 800);
  CHECK(tabular(old).tick == 300);
  CHECK(tabular(old).q_table->q == q);
  CHECK(tabular(old).q_table->path == path);
}

TEST_CASE("play runs until pause; commands run between ticks; reset rebuilds with a seed") {
  Runner r;
  r.load(dyna_maze, 0);
  r.play();
  std::this_thread::sleep_for(100ms);
  r.pause();
  REQUIRE(r.wait_idle(10s));
  const int64_t t = r.status().ticks;
  CHECK(t > 0);
  std::this_thread::sleep_for(50ms);
  CHECK(r.status().ticks == t);
  CHECK(tabular(r.latest()).tick == t);

  int64_t seen = -1;
  r.post([&](Experiment& e) { seen = e.snapshot()->tick; });
  REQUIRE(r.wait_idle(10s));
  CHECK(seen == t);

  r.reset(9);
  REQUIRE(r.wait_idle(10s));
  CHECK(r.status().ticks == 0);
  CHECK(r.status().seed == 9);
  CHECK(tabular(r.latest()).tick == 0);
}

TEST_CASE("speed limits ticks per second while playing") {
  Runner r;
  r.load(dyna_maze, 0);
  r.set_speed(50);
  r.play();
  std::this_thread::sleep_for(300ms);
  r.pause();
  REQUIRE(r.wait_idle(10s));
  // 50 ticks/s for 0.3 s is ~15 ticks; allow generous slack for a loaded machine.
  CHECK(r.status().ticks <= 30);
  CHECK(r.status().ticks >= 1);
}

TEST_CASE("a failing factory or command reports an error and the current experiment survives") {
  Runner r;
  r.load(dyna_maze, 0);
  r.step(10);
  r.load(
      [](uint64_t) -> std::unique_ptr<Experiment> {
        throw InputError("x.json: agent.alpha: expected a number");
      },
      0);
  r.post([](Experiment&) { throw InputError("bad command"); });
  REQUIRE(r.wait_idle(10s));
  auto errors = r.take_errors();
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "x.json: agent.alpha: expected a number");
  CHECK(errors[1] == "bad command");
  CHECK(r.status().ticks == 10);
  r.step(5);
  REQUIRE(r.wait_idle(10s));
  CHECK(r.status().ticks == 15);
  r.reset(0);  // still resets the old (working) factory
  REQUIRE(r.wait_idle(10s));
  CHECK(r.take_errors().empty());
}

TEST_CASE("destroying a playing runner does not deadlock") {
  for (int i = 0; i < 5; ++i) {
    Runner r;
    r.load(dyna_maze, uint64_t(i));
    r.set_speed(1000);  // slow enough that the run cannot finish before the runner is destroyed
    r.play();
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * i));
    CHECK_FALSE(r.idle());  // destroyed while really ticking (a deadlock hangs the test)
  }
}

}  // namespace test_runner
