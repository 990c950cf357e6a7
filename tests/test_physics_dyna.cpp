// Tabular Dyna-Q on the discretised Box2D mountain car (assets/experiments/mountain_car_dyna):
// it improves, and its model records the aliasing that discretising a physics world causes.

#include <doctest/doctest.h>

#include "core/experiment.h"
#include "core/agents/tabular/dyna_agent.h"
#include "core/episodic_experiment.h"
#include "envs/registry.h"
#include "test_util.h"

namespace test_physics_dyna {

using namespace dynalab;

TEST_CASE("mountain_car_dyna improves: last 10 episodes beat the first 10, over 5 runs") {
  auto exp = make_experiment(load_experiment("mountain_car_dyna"), env_registry());
  auto* tab = dynamic_cast<EpisodicExperiment*>(exp.get());
  REQUIRE(tab);
  REQUIRE(tab->settings().runs >= 5);
  REQUIRE(tab->settings().episodes == 200);
  exp->run_to_end();
  const auto& rows = tab->episodes();
  REQUIRE(rows.size() == size_t(tab->settings().runs) * 200);
  double first = 0, last = 0;
  int improved = 0;
  for (int run = 0; run < tab->settings().runs; ++run) {
    double f = 0, l = 0;
    for (const auto& r : rows) {
      if (r.run != run) continue;
      if (r.episode < 10) f += r.ret / 10;
      if (r.episode >= 190) l += r.ret / 10;
    }
    MESSAGE("run " << run << ": first 10 mean " << f << ", last 10 mean " << l);
    first += f / tab->settings().runs;
    last += l / tab->settings().runs;
    improved += l > f;
  }
  MESSAGE("mean over runs: first 10 " << first << ", last 10 " << last);
  // The criterion is the mean over runs; single runs are noisy (aliasing makes the
  // deterministic tabular model wrong, which is the lesson), so they are only reported.
  CHECK(last > first + 10);
  MESSAGE(improved << " of " << tab->settings().runs << " runs improved");

  // The model saw the aliasing: many (cell, action) pairs led to different next cells.
  const auto full = exp->snapshot();
  REQUIRE(full->q_table);
  const QTableView* snap = full->q_table.get();
  CHECK(snap->aliased_fraction > 0.2);
  int64_t changes = 0;
  for (const auto& e : snap->model) changes += e.outcome_changes;
  CHECK(changes > 0);

  // write_outputs reports the model per pair.
  const auto dir = test::temp_dir("mountain_car_dyna");
  exp->write_outputs(dir);
  const std::string model = test::read_file(dir / "model.csv");
  CHECK(model.rfind("state,action,visits,outcome_changes,next_state,reward\n", 0) == 0);
  CHECK(std::count(model.begin(), model.end(), '\n') == int(snap->model.size()) + 1);
}

TEST_CASE("cartpole_balance_dyna: prioritized sweeping on the binned cart-pole balances longer") {
  auto exp = make_experiment(load_experiment("cartpole_balance_dyna"), env_registry());
  auto* tab = dynamic_cast<EpisodicExperiment*>(exp.get());
  REQUIRE(tab);
  exp->run_to_end();
  const int runs = tab->settings().runs, episodes = tab->settings().episodes;
  double first = 0, last = 0;
  for (const auto& r : tab->episodes()) {
    if (r.episode < 10) first += r.ret / (10.0 * runs);
    if (r.episode >= episodes - 10) last += r.ret / (10.0 * runs);
  }
  MESSAGE("cartpole_balance_dyna: first 10 " << first << ", last 10 " << last);
  CHECK(last > first + 10);
}

}  // namespace test_physics_dyna
