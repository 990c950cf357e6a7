// The learning results of Sutton & Barto chapter 8, with fixed seeds, averaged over runs.

#include <doctest/doctest.h>

#include "core/agents/tabular/dyna_agent.h"
#include "core/episodic_experiment.h"
#include "envs/registry.h"

namespace test_tabular {

using namespace dynalab;

namespace {
std::unique_ptr<EpisodicExperiment> make(const std::string& name, std::vector<std::string> sets) {
  auto e = make_experiment(load_experiment(name, sets), env_registry());
  return std::unique_ptr<EpisodicExperiment>(static_cast<EpisodicExperiment*>(e.release()));
}
const TabularAgent& learner(const EpisodicExperiment& e) {
  return dynamic_cast<const DynaAgent&>(e.agent()).learner();
}
/// Mean steps of episode `episode` (0-based) over all runs.
double mean_steps(const EpisodicExperiment& e, int episode) {
  double sum = 0;
  int n = 0;
  for (const auto& r : e.episodes())
    if (r.episode == episode) sum += r.steps, ++n;
  return sum / n;
}
double mean_final_cumulative(const EpisodicExperiment& e) {
  double sum = 0;
  for (const auto& run : e.cumulative_reward()) sum += run.back();
  return sum / e.cumulative_reward().size();
}
}  // namespace

TEST_CASE("Dyna Maze: n = 50 is near-optimal by episode 5 while Q-learning (n = 0) is not") {
  auto n50 = make("dyna_maze", {"runs=10", "seed=3", "agent.planning_steps=50"});
  auto n0 = make("dyna_maze", {"runs=10", "seed=3", "agent.planning_steps=0"});
  n50->run_to_end();
  n0->run_to_end();
  MESSAGE("episode 5: n=50 ", mean_steps(*n50, 4), " steps, n=0 ", mean_steps(*n0, 4), " steps");
  CHECK(mean_steps(*n50, 4) <= 25);
  CHECK(mean_steps(*n0, 4) > 60);
  CHECK(mean_steps(*n0, 49) < 25);  // Q-learning gets there eventually
}

TEST_CASE("q_learning kind behaves exactly like Dyna-Q with n = 0") {
  auto q = make("dyna_maze", {"runs=2", "agent.algorithm=q_learning", "agent.planning_steps=7"});
  auto d0 = make("dyna_maze", {"runs=2", "agent.algorithm=dyna_q", "agent.planning_steps=0"});
  q->run_to_end();
  d0->run_to_end();
  REQUIRE(q->episodes().size() == d0->episodes().size());
  for (size_t i = 0; i < q->episodes().size(); ++i) CHECK(q->episodes()[i].steps == d0->episodes()[i].steps);
  CHECK(learner(*q).planning_updates() == 0);
}

TEST_CASE("Shortcut Maze: Dyna-Q+ finds the shortcut and collects more reward than Dyna-Q by step 6000") {
  auto plus = make("shortcut_maze", {"runs=10", "seed=1", "agent.algorithm=dyna_q_plus"});
  auto plain = make("shortcut_maze", {"runs=10", "seed=1", "agent.algorithm=dyna_q"});
  plus->run_to_end();
  plain->run_to_end();
  MESSAGE("cumulative reward at 6000: Dyna-Q+ ", mean_final_cumulative(*plus), ", Dyna-Q ", mean_final_cumulative(*plain));
  CHECK(mean_final_cumulative(*plus) > mean_final_cumulative(*plain) + 20);
}

TEST_CASE("Blocking Maze: after the block Dyna-Q+ finds the new path sooner than Dyna-Q") {
  auto plus = make("blocking_maze", {"runs=10", "seed=1", "agent.algorithm=dyna_q_plus"});
  auto plain = make("blocking_maze", {"runs=10", "seed=1", "agent.algorithm=dyna_q"});
  plus->run_to_end();
  plain->run_to_end();
  auto mean_at = [](const EpisodicExperiment& e, int step) {
    double sum = 0;
    for (const auto& run : e.cumulative_reward()) sum += run[step - 1];
    return sum / e.cumulative_reward().size();
  };
  // Reward keeps coming after the block at step 1000: on average both found the new path,
  // Dyna-Q+ (which keeps trying old actions) collects more after the change.
  CHECK(mean_at(*plain, 3000) > mean_at(*plain, 1500) + 10);
  CHECK(mean_at(*plus, 3000) - mean_at(*plus, 1000) > mean_at(*plain, 3000) - mean_at(*plain, 1000));
  CHECK(mean_final_cumulative(*plus) > mean_final_cumulative(*plain));
}

TEST_CASE("prioritized sweeping learns the Dyna Maze with few planning updates") {
  auto ps = make("prioritized_sweeping_maze", {"runs=5", "seed=2"});
  ps->run_to_end();
  CHECK(mean_steps(*ps, 49) < 25);
  CHECK(learner(*ps).planning_updates() > 0);
  CHECK(learner(*ps).real_updates() == 0);  // the book's algorithm learns only through its queue
}

TEST_CASE("the snapshot carries the Q table, the model, recent planning updates and the path") {
  auto e = make("dyna_maze", {"agent.planning_steps=5"});
  for (int i = 0; i < 30; ++i) e->tick();
  auto base = e->snapshot();
  REQUIRE(base->q_table);
  const auto tab = base->q_table;  // keeps the view alive
  const QTableView* s = tab.get();
  CHECK(s->n_states == 54);
  CHECK(s->n_actions == 4);
  CHECK(s->q.size() == 54 * 4);
  CHECK(!s->model.empty());
  CHECK(s->real_updates == 30);
  CHECK(s->planning_updates == 150);
  CHECK(s->recent_updates.size() == 180);
  CHECK(s->recent_updates.back().tick == 30);
  CHECK_FALSE(base->plan);
  CHECK_FALSE(base->model);
  // The path holds the start state and one state per step of the current episode.
  int64_t finished_steps = 0;
  for (const auto& row : e->episodes()) finished_steps += row.steps;
  CHECK(s->path.size() == size_t(30 - finished_steps + 1));
  CHECK(base->world);
  CHECK(s->planning_steps == 5);
  CHECK(s->aliased_fraction == 0.0);  // a grid world is deterministic
  // The snapshot is a copy: ticking on does not change it.
  const auto q_before = s->q;
  for (int i = 0; i < 50; ++i) e->tick();
  CHECK(s->q == q_before);
}

TEST_CASE("live parameter changes apply at the next tick") {
  auto e = make("dyna_maze", {"agent.planning_steps=5"});
  e->tick();
  Json edited = e->config();
  edited["agent"]["planning_steps"] = 20;
  const LiveEdit edit = e->apply_live_edit(edited);
  CHECK(edit.live == std::vector<std::string>{"agent.planning_steps"});
  CHECK(edit.pending.empty());
  CHECK(e->config()["agent"]["planning_steps"] == 20);
  const auto before = learner(*e).planning_updates();
  e->tick();
  CHECK(learner(*e).planning_updates() - before == 20);
}

}  // namespace test_tabular
