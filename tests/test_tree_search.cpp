// Reversible tree search (issue 21): graph search and UCT through a copy of the env, the real
// env never stepped while the agent thinks (deck 004, "Reversible Planning vs. Irreversible
// Learning").
#include <doctest/doctest.h>

#include <deque>

#include "core/agents/tree_search/graph_search.h"
#include "core/agents/tree_search/tree_search_agent.h"
#include "core/agents/tree_search/uct_search.h"
#include "core/episodic_experiment.h"
#include "core/session.h"
#include "core/snapshot.h"
#include "envs/grid_world.h"
#include "envs/registry.h"
#include "tests/episodic_util.h"
#include "tests/test_util.h"

namespace test_tree_search {

using namespace dynalab;
using namespace dynalab::test;

namespace {
std::unique_ptr<EpisodicExperiment> make(const std::string& name, std::vector<std::string> sets = {}) {
  return make_episodic(name, std::move(sets));
}

/// Shortest path length from start to goal over the maze's cells, by a BFS written here on the
/// maze itself (not through the env), so the search is checked against an independent answer.
int shortest_path(const GridWorld& g) {
  const Maze& m = g.maze();
  std::vector<int> dist(size_t(m.rows * m.cols), -1);
  std::deque<Cell> q{m.start};
  dist[size_t(g.state_of(m.start))] = 0;
  while (!q.empty()) {
    const Cell c = q.front();
    q.pop_front();
    for (auto [dr, dc] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
      const Cell n{c.row + dr, c.col + dc};
      if (n.row < 0 || n.row >= m.rows || n.col < 0 || n.col >= m.cols || g.is_wall(n.row, n.col)) continue;
      if (dist[size_t(g.state_of(n))] >= 0) continue;
      dist[size_t(g.state_of(n))] = dist[size_t(g.state_of(c))] + 1;
      q.push_back(n);
    }
  }
  return dist[size_t(g.state_of(m.goal))];
}
}  // namespace

TEST_CASE("breadth-first search finds the Dyna maze's shortest path with zero real env steps") {
  GridWorld real(load_maze("dyna_maze"));
  const Vec obs = real.reset(3);
  const std::vector<double> before = real.get_state();
  GraphSearch search(real, obs, SearchOrder::breadth_first, 1.0, 100000);
  while (!search.expand(1)) {
  }
  REQUIRE(search.found());
  const int shortest = shortest_path(real);
  CHECK(shortest == 14);  // Sutton & Barto, Example 8.1: the shortest path is 14 steps
  CHECK(int(search.plan().size()) == shortest);
  CHECK(search.imagined_steps() > shortest);  // imagined: many; real: none
  CHECK(real.get_state() == before);          // the real env's state and step counter unchanged
  CHECK(real.episode_step() == 0);
  CHECK(real.total_steps() == 0);
  // The plan, walked in the real env, reaches the goal in exactly that many steps.
  int steps = 0;
  bool reached = false;
  for (int a : search.plan()) {
    reached = real.step(Vec::Constant(1, a)).terminated;
    ++steps;
  }
  CHECK(reached);
  CHECK(steps == shortest);
}

TEST_CASE("uniform cost matches breadth-first on unit costs; depth-first backtracks and finds a longer path") {
  GridWorld real(load_maze("dyna_maze"));
  const Vec obs = real.reset(0);
  auto solve = [&](SearchOrder order) {
    auto s = std::make_unique<GraphSearch>(real, obs, order, 1.0, 100000);
    while (!s->expand(5)) {
    }
    return s;
  };
  const auto bfs = solve(SearchOrder::breadth_first), ucs = solve(SearchOrder::uniform_cost),
             dfs = solve(SearchOrder::depth_first);
  REQUIRE(ucs->found());
  REQUIRE(dfs->found());
  CHECK(ucs->plan().size() == bfs->plan().size());
  CHECK(dfs->plan().size() > bfs->plan().size());
  CHECK(dfs->backtracks() > 0);  // a dead end sends it back to a saved state
  // Breadth-first expands level by level: depths never decrease along the expansion order.
  for (size_t k = 1; k < bfs->expansion_order().size(); ++k)
    CHECK(bfs->nodes()[size_t(bfs->expansion_order()[k])].depth >=
          bfs->nodes()[size_t(bfs->expansion_order()[k - 1])].depth);
}

TEST_CASE("a walled-off goal: the search ends with the frontier empty and no plan") {
  GridWorld real(parse_maze("S.#G\n..#.\n", "walled.txt"));
  const Vec obs = real.reset(0);
  GraphSearch s(real, obs, SearchOrder::breadth_first, 1.0, 1000);
  while (!s.expand(1)) {
  }
  CHECK_FALSE(s.found());
  CHECK(s.plan().empty());
  CHECK(s.nodes().size() == 4);  // the four reachable cells, each once (the explored set)
}

TEST_CASE("the tree-search agent walks the shortest path; no real step happens while it searches") {
  auto e = make("tree_search_maze", {"episodes=2", "agent.expansions_per_tick=3"});
  int64_t searching_ticks = 0;
  while (e->tick()) {
    const auto s = e->snapshot();
    REQUIRE(s->search_tree);
    if (s->search_tree->searching) {
      ++searching_ticks;
      CHECK(s->trajectory.actions.size() == 0);  // the episode has no real step yet
    }
  }
  CHECK(searching_ticks > 10);
  const auto& rows = e->episodes();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].steps == 14);
  CHECK(rows[1].steps == 14);
  const auto s = e->snapshot();
  CHECK(s->search_tree->real_steps_run == 28);
  CHECK(s->search_tree->imagined_steps_run > 28);
  // The tree-vs-path plot ends at the same counts.
  const Figure* f = nullptr;
  for (const Figure& g : s->figures)
    if (g.id == "imagined_vs_real") f = &g;
  REQUIRE(f);
  REQUIRE(f->series.size() == 2);
  REQUIRE(!f->series[0].y.empty());
  REQUIRE(!f->series[1].y.empty());
  CHECK(f->series[0].y.back() == double(s->search_tree->imagined_steps_run));
  CHECK(f->series[1].y.back() == 28.0);
}

TEST_CASE("a run's phase line is the agent's own while it runs and 'run finished' once it is over (add_phase)") {
  using Stats = std::vector<std::pair<std::string, std::string>>;
  Snapshot s;
  add_phase(s, "searching (imagined)");
  s.finished = true;
  add_phase(s, "searching (imagined)");
  CHECK(s.stats == Stats{{"phase", "searching (imagined)"}, {"phase", "run finished"}});
  auto phases = [](const Snapshot& snap) {
    std::vector<std::string> p;
    for (const auto& [k, v] : snap.stats)
      if (k == "phase") p.push_back(v);
    return p;
  };
  auto e = make("tree_search_maze", {"episodes=1"});
  e->tick();
  CHECK(phases(*e->snapshot()) == std::vector<std::string>{"searching (imagined)"});
  e->run_to_end();
  CHECK(phases(*e->snapshot()) == std::vector<std::string>{"run finished"});
}

TEST_CASE("UCT: 400 simulations pick the move toward the goal; visit counts add up; the real env is untouched") {
  GridWorld real(parse_maze("....\nS..G\n....\n", "corridor.txt"));
  const Vec obs = real.reset(0);
  const std::vector<double> before = real.get_state();
  std::vector<Vec> actions;
  for (int a = 0; a < 4; ++a) actions.push_back(Vec::Constant(1, a));
  UctSearch uct(real, obs, actions, UctSettings{1.4142135623730951, 8, 0.95, 100000});
  Rng rng(5);
  uct.simulate(400, rng);
  CHECK(uct.simulations() == 400);
  CHECK(uct.best_action() == GridWorld::right);
  CHECK(uct.nodes()[0].visits == 400);
  int64_t edge_visits = 0;
  for (int a = 0; a < 4; ++a) edge_visits += uct.action_visits(0, a);
  CHECK(edge_visits == 400);
  CHECK(real.get_state() == before);
}

TEST_CASE("a stochastic env is refused in one line naming agent.algorithm") {
  CHECK_THROWS_WITH_AS(make("tree_search_maze", {"env.slip=0.2"}), doctest::Contains("agent.algorithm"), InputError);
  CHECK_THROWS_WITH_AS(make("uct_pendulum", {"agent.algorithm=breadth_first"}), doctest::Contains("agent.algorithm"),
                       InputError);
}

TEST_CASE("a tree-search session saved mid-search continues bit-identically (graph search and UCT)") {
  const auto dir = temp_dir("tree_search_session");
  for (const auto& [name, sets, cut] :
       {std::tuple{std::string("tree_search_maze"), std::vector<std::string>{"episodes=2"}, 30},
        std::tuple{std::string("uct_pendulum"),
                   std::vector<std::string>{"episodes=1", "agent.simulations=12", "agent.simulations_per_tick=5"}, 47}}) {
    auto whole = make(name, sets);
    whole->run_to_end();
    auto first = make(name, sets);
    for (int i = 0; i < cut; ++i) first->tick();
    save_session(*first, dir / name);
    auto loaded = load_session(dir / name, env_registry());
    loaded->run_to_end();
    whole->write_outputs(dir / (name + "_a"));
    loaded->write_outputs(dir / (name + "_b"));
    CHECK(read_file(dir / (name + "_a") / "metrics.csv") == read_file(dir / (name + "_b") / "metrics.csv"));
    CHECK(read_file(dir / (name + "_a") / "trajectories.csv") == read_file(dir / (name + "_b") / "trajectories.csv"));
  }
}

}  // namespace test_tree_search
