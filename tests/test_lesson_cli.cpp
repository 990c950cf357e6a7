// The lesson gate in core and dynalab-cli lesson NAME --step K --out DIR: a step's variants run
// until the step's condition (the same gate the GUI's lesson player wraps its runners in), each
// variant's outputs in its own folder, one line per variant; bad steps exit 2 with one line.
// Also Experiment::progress(), the cheap counters the gate reads after every tick.

#include <doctest/doctest.h>

#include <algorithm>

#include "core/experiment.h"
#include "core/lesson.h"
#include "core/lesson_gate.h"
#include "core/lesson_step_run.h"
#include "envs/registry.h"
#include "test_util.h"

namespace test_lesson_cli {

using namespace dynalab;

TEST_CASE("progress() holds the snapshot's counters, for every kind") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"dyna_maze", {}}, {"cliff_hill_v05", {"random_steps=30", "model.epochs=5"}}};
  for (const auto& [name, sets] : cases) {
    auto e = make_experiment(load_experiment(name, sets), env_registry());
    for (int i = 0; i < 120 && e->tick(); ++i) {
    }
    const Progress p = e->progress();
    const auto s = e->snapshot();
    CHECK(p.experiment == s->experiment);
    CHECK(p.family == s->family);
    CHECK(p.tick == s->tick);
    CHECK(p.tick == 120);
    CHECK(p.run == s->run);
    CHECK(p.episode == s->episode);
    CHECK(p.total_steps == s->total_steps);
    CHECK(p.finished == s->finished);
    CHECK(p.episode_terminated == s->episode_terminated);
    CHECK(p.obs == s->obs);
  }
}

TEST_CASE("the gate stops at its condition, reports it once, and runs on after a release") {
  LessonUntil until;
  until.episode = 2;
  int calls = 0;
  GatedExperiment g(make_experiment(load_experiment("dyna_maze"), env_registry()), until, [&] { ++calls; });
  while (!g.reached() && g.tick()) {
  }
  CHECK(g.met() == "episode 2");
  CHECK(calls == 1);
  const Progress at = g.progress();
  CHECK(at.episode == 2);
  CHECK(g.tick());  // held: no tick happens, the callback runs again (the GUI pauses again)
  CHECK(g.progress().tick == at.tick);
  CHECK(calls == 2);
  release_gate(g);
  g.tick();
  CHECK(g.progress().tick == at.tick + 1);
  CHECK(&unwrap_gate(g) == &g.inner());
}

TEST_CASE("dynalab-cli lesson runs a step to its condition and writes its outputs") {
  const Lesson lesson = load_lesson_named("07_dyna_maze");
  const LessonStep& step = lesson_step(lesson, 1);
  REQUIRE(step.has_until);
  // The tick at which the condition holds, counted in-process with the same gate.
  GatedExperiment g(make_experiment(variant_source(lesson, 1, 0), env_registry()), step.until);
  while (!g.reached() && g.tick()) {
  }
  const auto dir = test::temp_dir("lesson_step");
  const auto r = test::run_cli("lesson 07_dyna_maze --step 1 --out " + dir.string());
  REQUIRE(r.exit_code == 0);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  CHECK(r.output.find("07_dyna_maze step 1: '" + g.met() + "' held at tick " +
                      std::to_string(g.progress().tick) + ", episode " +
                      std::to_string(g.progress().episode)) != std::string::npos);
  CHECK(std::filesystem::exists(dir / "dyna_maze" / "metrics.csv"));
  CHECK(std::filesystem::exists(dir / "dyna_maze" / "config.json"));
  CHECK(std::filesystem::exists(dir / "figures" / "steps_per_episode.svg"));
}

TEST_CASE("dynalab-cli lesson: side-by-side variants get one folder and one line each") {
  const auto dir = test::temp_dir("lesson_variants");
  const auto r = test::run_cli("lesson 07_dyna_maze --step 4 --out " + dir.string());
  REQUIRE(r.exit_code == 0);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 3);
  for (const char* folder : {"n_0_Q-learning", "n_5", "n_50"}) {
    CHECK(std::filesystem::exists(dir / folder / "metrics.csv"));
    CHECK(r.output.find(std::string("outputs in ") + (dir / folder).string()) != std::string::npos);
  }
  // The step's plot, every variant's series on one figure (as the GUI shows it).
  const std::string fig = test::read_file(dir / "figures" / "steps_per_episode.csv");
  CHECK(fig.find("n = 5") != std::string::npos);
  CHECK(fig.find("n = 50") != std::string::npos);
}

TEST_CASE("dynalab-cli lesson: a tick cap always ends; bad input exits 2 with one line") {
  const auto dir = test::temp_dir("lesson_bad");
  const auto capped = test::run_cli("lesson 07_dyna_maze --step 1 --max-ticks 10 --out " + dir.string());
  CHECK(capped.exit_code == 0);
  CHECK(capped.output.find("tick cap 10 hit (until episode 1 did not hold) at tick 10") != std::string::npos);
  const auto bad_step = test::run_cli("lesson 07_dyna_maze --step 99 --out " + dir.string());
  CHECK(bad_step.exit_code == 2);
  CHECK(bad_step.output == "error: lesson '07_dyna_maze': no step 99 (it has 5)\n");
  const auto zero = test::run_cli("lesson 07_dyna_maze --step 0 --out " + dir.string());
  CHECK(zero.exit_code == 2);
  CHECK(zero.output.find("--step") != std::string::npos);
  const auto unknown = test::run_cli("lesson no_such_lesson --step 1 --out " + dir.string());
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("no_such_lesson: no such lesson") != std::string::npos);
  CHECK(test::run_cli("lesson 07_dyna_maze --out " + dir.string()).exit_code == 2);  // no --step
}

}  // namespace test_lesson_cli
