// Live config edits (issue 16, point 5): every field marked Apply::live takes effect in a running
// experiment of every kind, and every other changed field is reported as pending, not dropped.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/experiment.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/episodic_experiment.h"
#include "core/agents/tabular/dyna_agent.h"
#include "core/episodic_experiment.h"
#include "core/live_edit.h"
#include "envs/registry.h"

namespace test_live_edit {

using namespace dynalab;

namespace {

std::unique_ptr<Experiment> make(const std::string& preset, const std::vector<std::string>& sets = {}) {
  return make_experiment(load_experiment(preset, sets), env_registry());
}

/// The value at key path "a.b.c" of a JSON object.
Json& at(Json& j, const std::string& path) {
  Json* p = &j;
  size_t start = 0;
  for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1)
    p = &(*p)[path.substr(start, dot - start)];
  return (*p)[path.substr(start)];
}

/// Ticks until the planner finishes `n` more replans.
void replans(Experiment& e, const MbrlAgent& agent, int64_t n) {
  const int64_t target = agent.replans() + n;
  for (int i = 0; i < 100000 && agent.replans() < target; ++i) e.tick();
  REQUIRE(agent.replans() >= target);
}

}  // namespace

TEST_CASE("split_live_edit: live leaves are merged, the others listed as pending") {
  const Json current = {{"seed", 0}, {"agent", {{"alpha", 0.1}, {"algorithm", "dyna_q"}}}, {"env", {{"name", "grid_world"}}}};
  Json edited = current;
  edited["agent"]["alpha"] = 0.5;
  edited["agent"]["algorithm"] = "q_learning";
  edited["env"]["name"] = "pendulum";
  const LiveEdit e = split_live_edit(current, edited, {{"seed", Apply::on_reset},
                                                       {"agent.alpha", Apply::live},
                                                       {"agent.algorithm", Apply::on_reset}});
  CHECK(e.live == std::vector<std::string>{"agent.alpha"});
  CHECK(e.pending == std::vector<std::string>{"agent.algorithm", "env.name"});
  CHECK(e.merged["agent"]["alpha"] == 0.5);
  CHECK(e.merged["agent"]["algorithm"] == "dyna_q");
  CHECK(e.merged["env"]["name"] == "grid_world");
}

TEST_CASE("the live-edit key paths use the renamed keys (one meaning per key, issue 16)") {
  const auto mbrl = config_applies(MpcSettingsConfig{});
  CHECK((mbrl.at("planner.optimizer") == Apply::on_reset));
  CHECK((mbrl.at("planner.elites") == Apply::live));  // CEM's elite candidates keep "elites"
  CHECK((mbrl.at("model.prediction") == Apply::on_reset));
  CHECK((mbrl.at("model.elite_members") == Apply::live));
  for (const char* old : {"planner.kind", "model.kind", "model.elites"}) CHECK(mbrl.count(old) == 0);
  const auto tabular = config_applies(TabularSettingsConfig{});
  CHECK((tabular.at("agent.algorithm") == Apply::on_reset));
  CHECK(tabular.count("agent.kind") == 0);
}

TEST_CASE("every preset knows which of its fields are live, and a no-op edit changes nothing") {
  for (const auto& info : list_experiments()) {
    CAPTURE(info.name);
    auto e = make(info.name);
    const Json before = e->config();
    const LiveEdit edit = e->apply_live_edit(before);
    CHECK(edit.live.empty());
    CHECK(edit.pending.empty());
    CHECK(e->config() == before);
  }
}

TEST_CASE("MPC: CEM population, elites and alpha, particles and training fields apply live") {
  auto e = make("pendulum_mpc", {"episodes=2"});
  auto& m = dynamic_cast<MpcAgent&>(dynamic_cast<EpisodicExperiment&>(*e).agent());
  replans(*e, m.planner_agent(), 1);
  CHECK(m.planner_agent().trace().candidates == 200);

  Json edited = e->config();
  at(edited, "planner.population") = 60;
  at(edited, "planner.elites") = 6;
  at(edited, "planner.alpha") = 0.3;
  at(edited, "rollout.particles") = 3;
  at(edited, "model.learning_rate") = 0.01;
  at(edited, "output.plan_traces") = true;
  at(edited, "planner.horizon") = 10;  // shapes the planner: waits for a reset
  const LiveEdit edit = e->apply_live_edit(edited);
  CHECK(edit.live.size() == 6);
  CHECK(edit.pending == std::vector<std::string>{"planner.horizon"});
  CHECK(at(const_cast<Json&>(e->config()), "planner.population") == 60);
  CHECK(at(const_cast<Json&>(e->config()), "planner.horizon") == 25);
  CHECK(m.planner_agent().model()->config().learning_rate == doctest::Approx(0.01));

  replans(*e, m.planner_agent(), 1);  // the edit reaches the next replan
  CHECK(m.planner_agent().trace().candidates == 60);
  CHECK(m.planner_agent().trace().elites.size() == 6);
  CHECK(m.planner_agent().trace().horizon == 25);
  CHECK(m.settings().output.plan_traces);
  CHECK(m.settings().agent.rollout.particles == 3);
}

TEST_CASE("a live edit with an invalid value is an error naming the key, and changes nothing") {
  auto e = make("pendulum_mpc");
  const Json before = e->config();
  Json edited = before;
  at(edited, "planner.elites") = 500;  // more elites than the population of 200
  CHECK_THROWS_WITH_AS(e->apply_live_edit(edited), doctest::Contains("elites"), InputError);
  CHECK(e->config() == before);
  edited = before;
  at(edited, "model.learning_rate") = -1;
  CHECK_THROWS_WITH_AS(e->apply_live_edit(edited), doctest::Contains("learning_rate"), InputError);
  CHECK(e->config() == before);
}

TEST_CASE("a live edit changes the run exactly from where it is made, the same in every front end") {
  // Two runs with the same edit at the same tick give the same numbers; without the edit they
  // differ (so the edit really acts).
  auto run = [](bool edit) {
    auto e = make("dyna_maze", {"episodes=5"});
    for (int i = 0; i < 500; ++i) e->tick();
    if (edit) {
      Json j = e->config();
      at(j, "agent.planning_steps") = 0;
      at(j, "agent.epsilon") = 0.3;
      e->apply_live_edit(j);
    }
    e->run_to_end();
    return dynamic_cast<EpisodicExperiment&>(*e).episodes().back().steps;
  };
  CHECK(run(true) == run(true));
  CHECK(run(true) != run(false));
}

}  // namespace test_live_edit
