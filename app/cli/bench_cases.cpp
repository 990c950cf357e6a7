// The benchmark cases. Each reports rates as counters (kIsRate: per second of real time).

#include "app/cli/bench.h"
#include "core/experiment.h"
#include "core/experiments/tabular_experiment.h"
#include "core/rng.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

using benchmark::Counter;

/// Random-action env steps per second, one env on one thread (resets counted as part of it).
void env_steps(benchmark::State& state, const EnvEntry& entry) {
  ConfigNode node(Json::object(), "bench");
  auto env = entry.make(node);
  Rng rng(1);
  const Space as = env->action_space();
  std::vector<Vec> actions;
  for (int i = 0; i < 1024; ++i) actions.push_back(as.sample(rng));
  env->reset(0);
  int64_t steps = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      const StepResult r = env->step(actions[(steps + i) & 1023]);
      if (r.terminated || r.truncated) env->reset(steps + i);
    }
    steps += 1000;
  }
  state.counters["steps_per_s"] = Counter(double(steps), Counter::kIsRate);
}

std::unique_ptr<Experiment> experiment(const std::string& name, const std::vector<std::string>& sets) {
  return make_experiment(load_experiment(name, sets), env_registry());
}

/// Dyna-Q planning updates per second on the Dyna Maze with n = 50 (the real steps are counted
/// in the time too, they are 1 in 51 updates).
void dyna_planning(benchmark::State& state) {
  int64_t updates = 0;
  for (auto _ : state) {
    auto e = experiment("dyna_maze", {"agent.planning_steps=50", "episodes=20"});
    e->run_to_end();
    updates += static_cast<TabularExperiment&>(*e).agent().planning_updates();
  }
  state.counters["planning_updates_per_s"] = Counter(double(updates), Counter::kIsRate);
}

/// The book's Figure 8.2: n = 0, 5, 50, 30 runs of 50 episodes each.
void dyna_maze_figure(benchmark::State& state) {
  for (auto _ : state)
    for (const char* n : {"0", "5", "50"})
      experiment("dyna_maze", {"runs=30", std::string("agent.planning_steps=") + n})->run_to_end();
  state.counters["figures_per_s"] = Counter(double(state.iterations()), Counter::kIsRate);
}

}  // namespace

std::vector<BenchCase> bench_cases() {
  std::vector<BenchCase> cases;
  for (const auto& e : env_registry().entries())
    cases.push_back({"env_steps/" + e.name, [&e](benchmark::State& s) { env_steps(s, e); }});
  cases.push_back({"dyna_q/planning_updates", dyna_planning});
  cases.push_back({"dyna_maze_figure", dyna_maze_figure});
  return cases;
}

}  // namespace dynalab::cli
