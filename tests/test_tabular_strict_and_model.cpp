// The tabular agent's lecture-004 switches: strict model-based learning (agent.strict), the
// maximum-likelihood sample model (agent.model) and the update counts the lessons show
// (metrics.csv real_updates / planning_updates per episode, the q_updates figure).

#include <doctest/doctest.h>

#include <map>

#include "core/agents/tabular/dyna_agent.h"
#include "core/episodic_experiment.h"
#include "envs/registry.h"

namespace test_tabular_strict_and_model {

using namespace dynalab;

namespace {
std::unique_ptr<EpisodicExperiment> make(const std::string& name, std::vector<std::string> sets) {
  auto e = make_experiment(load_experiment(name, sets), env_registry());
  return std::unique_ptr<EpisodicExperiment>(static_cast<EpisodicExperiment*>(e.release()));
}
const TabularAgent& learner(const EpisodicExperiment& e) {
  return dynamic_cast<const DynaAgent&>(e.agent()).learner();
}
/// The InputError message of building `name` with `sets` ("" if it builds).
std::string build_error(const std::string& name, std::vector<std::string> sets) {
  try {
    make(name, std::move(sets));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
TabularConfig config(int n, bool strict, std::string model = "deterministic") {
  TabularConfig c;
  c.planning_steps = n;
  c.strict = strict;
  c.model = std::move(model);
  return c;
}
/// The value of `column` in row `row` of the experiment's metrics (the snapshot's copy).
double metric(const EpisodicExperiment& e, size_t row, const std::string& column) {
  const auto s = e.snapshot();
  for (size_t c = 0; c < s->metric_columns.size(); ++c)
    if (s->metric_columns[c] == column) return s->metrics.at(row).at(c);
  FAIL("no column " << column);
  return 0;
}
}  // namespace

TEST_CASE("strict: a real transition only updates the model; every Q update is a planning update") {
  TabularAgent strict(4, 2, config(3, true), Rng(1));
  const auto& u = strict.learn(0, 1, 1.0, 3, true);
  REQUIRE(u.size() == 3);
  for (const QUpdate& x : u) {
    CHECK(x.planning);
    CHECK(x.state == 0);  // the model knows one pair, so planning replays it
    CHECK(x.action == 1);
  }
  CHECK(strict.real_updates() == 0);
  CHECK(strict.planning_updates() == 3);
  CHECK(strict.model().known(0, 1));
  // The hybrid: the direct update first, then the n planning updates.
  TabularAgent hybrid(4, 2, config(3, false), Rng(1));
  const auto& h = hybrid.learn(0, 1, 1.0, 3, true);
  REQUIRE(h.size() == 4);
  CHECK_FALSE(h[0].planning);
  for (size_t i = 1; i < h.size(); ++i) CHECK(h[i].planning);
  CHECK(hybrid.real_updates() == 1);
  CHECK(hybrid.planning_updates() == 3);
}

TEST_CASE("strict on the Dyna Maze: no direct update in a whole run, n planning updates per real step") {
  auto e = make("dyna_maze", {"episodes=5", "agent.planning_steps=4", "agent.strict=true"});
  e->run_to_end();
  int64_t steps = 0;
  for (size_t i = 0; i < e->episodes().size(); ++i) {
    steps += e->episodes()[i].steps;
    CHECK(metric(*e, i, "real_updates") == 0);
    CHECK(metric(*e, i, "planning_updates") == 4.0 * e->episodes()[i].steps);
  }
  CHECK(learner(*e).real_updates() == 0);
  CHECK(learner(*e).planning_updates() == 4 * steps);
  CHECK(e->episodes().back().steps < 100);  // it learns the maze from the model alone
}

TEST_CASE("the per-episode update counts add up to the counters; prioritized sweeping makes no direct update") {
  auto d = make("dyna_maze", {"episodes=6", "agent.planning_steps=5"});
  d->run_to_end();
  double real = 0, planning = 0;
  for (size_t i = 0; i < d->episodes().size(); ++i) {
    CHECK(metric(*d, i, "real_updates") == d->episodes()[i].steps);
    CHECK(metric(*d, i, "planning_updates") == 5.0 * d->episodes()[i].steps);
    real += metric(*d, i, "real_updates");
    planning += metric(*d, i, "planning_updates");
  }
  CHECK(real == double(learner(*d).real_updates()));
  CHECK(planning == double(learner(*d).planning_updates()));

  auto ps = make("prioritized_sweeping_maze", {"episodes=6"});
  ps->run_to_end();
  double ps_planning = 0;
  for (size_t i = 0; i < ps->episodes().size(); ++i) {
    CHECK(metric(*ps, i, "real_updates") == 0);
    CHECK(metric(*ps, i, "planning_updates") <= 5.0 * ps->episodes()[i].steps);
    ps_planning += metric(*ps, i, "planning_updates");
  }
  CHECK(ps_planning == double(learner(*ps).planning_updates()));
  CHECK(metric(*ps, 0, "planning_updates") < 10);  // nothing to sweep until the goal is found

  // The q_updates figure: the total at each episode's end, log scale.
  const auto s = d->snapshot();
  const Figure* f = nullptr;
  for (const auto& fig : s->figures)
    if (fig.id == "q_updates") f = &fig;
  REQUIRE(f);
  CHECK(f->log_y);
  REQUIRE(f->series.size() == 1);
  REQUIRE(f->series[0].y.size() == 6);
  CHECK(f->series[0].y.back() == double(learner(*d).real_updates() + learner(*d).planning_updates()));
}

TEST_CASE("policy_states counts the states that show a policy arrow") {
  auto e = make("dyna_maze", {"episodes=1", "agent.planning_steps=0"});
  e->run_to_end();
  CHECK(metric(*e, 0, "policy_states") == 1);  // Q-learning: only the cell next to the goal
}

TEST_CASE("bad combinations are one-line errors naming the key") {
  CHECK(build_error("dyna_maze", {"agent.algorithm=q_learning", "agent.strict=true"}).find("agent.strict") !=
        std::string::npos);
  CHECK(build_error("dyna_maze", {"agent.planning_steps=0", "agent.strict=true"}).find("agent.planning_steps") !=
        std::string::npos);
  CHECK(build_error("prioritized_sweeping_maze", {"agent.model=maximum_likelihood"}).find("agent.model") !=
        std::string::npos);
  CHECK(build_error("dyna_maze", {"agent.model=counts"}).find("agent.model") != std::string::npos);
  CHECK(build_error("dyna_maze", {"agent.strict=true", "agent.model=maximum_likelihood"}).empty());
}

TEST_CASE("the maximum-likelihood model samples outcomes in proportion to their counts") {
  TabularModel m(5, 2);
  m.observe(0, 1, 2, 1.0, false, 1);
  m.observe(0, 1, 2, 3.0, false, 2);
  m.observe(0, 1, 2, 2.0, false, 3);
  m.observe(0, 1, 4, -1.0, true, 4);
  const ModelEntry& e = m.entry(0, 1);
  REQUIRE(e.outcomes.size() == 2);
  CHECK(e.outcomes[0].count == 3);
  CHECK(e.outcomes[0].mean_reward == doctest::Approx(2.0));
  CHECK(e.outcomes[1].terminal);
  CHECK(e.next_state == 4);  // the deterministic model keeps the last outcome
  Rng rng(7);
  std::map<int, int> seen;
  const int draws = 8000;
  for (int i = 0; i < draws; ++i) ++seen[m.sample(e, rng).next_state];
  CHECK(double(seen[2]) / draws == doctest::Approx(0.75).epsilon(0.05));
  CHECK(double(seen[4]) / draws == doctest::Approx(0.25).epsilon(0.1));
}

TEST_CASE("in a deterministic world the maximum-likelihood model is the book's table, draw for draw") {
  auto det = make("dyna_maze", {"episodes=8", "agent.planning_steps=10"});
  auto ml = make("dyna_maze", {"episodes=8", "agent.planning_steps=10", "agent.model=maximum_likelihood"});
  det->run_to_end();
  ml->run_to_end();
  REQUIRE(det->episodes().size() == ml->episodes().size());
  for (size_t i = 0; i < det->episodes().size(); ++i) CHECK(det->episodes()[i].steps == ml->episodes()[i].steps);
  CHECK(learner(*det).q_table() == learner(*ml).q_table());
}

TEST_CASE("slippery maze: with many planning updates, counts beat the last outcome (lesson 15)") {
  auto det = make("slippery_maze", {"agent.planning_steps=500"});
  auto ml = make("slippery_maze", {"agent.planning_steps=500", "agent.model=maximum_likelihood"});
  det->run_to_end();
  ml->run_to_end();
  const auto total = [](const EpisodicExperiment& e) { return e.episodes().back().env_steps; };
  MESSAGE("real steps over 100 episodes: last outcome ", total(*det), ", maximum likelihood ", total(*ml));
  CHECK(total(*ml) < total(*det));
  CHECK(learner(*det).model().aliased_fraction() > 0.5);  // most pairs have slipped at least once
}

}  // namespace test_tabular_strict_and_model
