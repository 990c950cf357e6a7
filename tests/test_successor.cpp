// The tabular successor representation (core/agents/successor/): TD-SR converges to the closed
// form (1 - gamma)(I - gamma P_pi)^-1 with rows summing to 1, and the revaluation race after the
// goal moves (the SR's greedy path is optimal after one visit to the new goal, Q-learning's is
// not), on 3 seeds; a moved wall is the SR's weak spot. Also the maze format's moving goal.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/agents/successor/closed_form_sr.h"
#include "core/agents/successor/successor_agent.h"
#include "core/agents/successor/successor_learner.h"
#include "envs/grid_world.h"

namespace test_successor {

using namespace dynalab;

namespace {

std::unique_ptr<GridWorld> maze(const std::string& name) { return std::make_unique<GridWorld>(load_maze(name)); }

/// Runs `agent` on `env` for `steps` real steps as the episodic experiment does (before_step,
/// act, step, observe; reset on termination).
void run(SuccessorAgent& agent, GridWorld& env, int steps, uint64_t seed) {
  Vec obs = env.reset(seed);
  for (int t = 0; t < steps; ++t) {
    agent.before_step(env, obs);
    const Vec a = agent.act(obs);
    const StepResult r = env.step(a);
    Transition tr{0, obs, a, r.reward, r.obs, r.terminated};
    agent.observe(tr, r.truncated);
    obs = r.terminated || r.truncated ? env.reset(seed + uint64_t(t)) : r.obs;
  }
}

SuccessorSettingsConfig config(const std::string& algorithm, const std::string& sr_policy = "uniform") {
  SuccessorSettingsConfig c;
  c.agent.algorithm = algorithm;
  c.agent.sr.sr_policy = sr_policy;
  return c;
}

}  // namespace

TEST_CASE("a second maze layout with a G moves the goal at step N; without one the goal stays") {
  GridWorld g(parse_maze("S.G\n...\nafter 2:\nS..\n..G\n", "t.txt"));
  g.reset(0);
  CHECK(g.goal() == Cell{0, 2});
  g.step(Vec::Constant(1, GridWorld::down));
  CHECK(g.grid_layout()->goal == Cell{0, 2});
  StepResult r = g.step(Vec::Constant(1, GridWorld::right));  // step 2: the goal moves now
  CHECK(g.goal() == Cell{1, 2});
  CHECK(g.grid_layout()->goal == Cell{1, 2});
  CHECK_FALSE(r.terminated);
  r = g.step(Vec::Constant(1, GridWorld::right));
  CHECK(r.terminated);
  CHECK(r.reward == 1.0);
  // The old goal is an ordinary cell now.
  CHECK_FALSE(*g.terminated(Vec::Constant(1, 1), Vec::Constant(1, GridWorld::right), Vec::Constant(1, 2)));
  // The closed-form reward agrees with step(): it pays at the new goal and not at the old one.
  CHECK(*g.reward(Vec::Constant(1, 1), Vec::Constant(1, GridWorld::right), Vec::Constant(1, 2)) == 0.0);
  CHECK(*g.reward(Vec::Constant(1, 4), Vec::Constant(1, GridWorld::right), Vec::Constant(1, 5)) == 1.0);
  // Walls-only changes keep their goal (Sutton & Barto's blocking maze).
  const Maze b = load_maze("blocking_maze");
  CHECK_FALSE(b.changed_goal.has_value());
  CHECK(b.goal_at(true) == b.goal);
  CHECK_THROWS_AS(parse_maze("S.G\nafter 1:\nS.#\n.G.\n", "t.txt"), InputError);  // ragged second layout
}

TEST_CASE("TD-SR of a fixed (uniform) policy converges to (1 - gamma)(I - gamma P_pi)^-1; rows sum to 1") {
  auto env = maze("dyna_maze");
  const GridTransitions truth = probe_grid(*env);
  const int n = truth.n_states, A = truth.n_actions;
  SrConfig cfg;
  cfg.alpha = 0.5;
  cfg.gamma = 0.9;
  SuccessorLearner sr(n, A, cfg, Rng(7));
  Rng behaviour(11);
  Vec obs = env->reset(0);
  for (int t = 0; t < 300000; ++t) {
    const int s = int(obs[0]), a = int(behaviour.below(uint64_t(A)));
    const StepResult r = env->step(Vec::Constant(1, a));
    sr.td_update(s, a, int(r.obs[0]));
    obs = r.terminated ? env->reset(0) : r.obs;
  }
  const Eigen::MatrixXd exact = closed_form_sr(truth, sr.policy(), cfg.gamma);
  const Eigen::MatrixXd learned = sr.state_sr();
  double worst = 0;
  for (int s = 0; s < n; ++s) {
    if (!truth.free(s)) continue;
    worst = std::max(worst, (learned.row(s) - exact.row(s)).cwiseAbs().maxCoeff());
    CHECK(learned.row(s).sum() == doctest::Approx(1).epsilon(1e-9));
    CHECK(exact.row(s).sum() == doctest::Approx(1).epsilon(1e-9));
    CHECK(exact.row(s).minCoeff() >= -1e-12);
  }
  INFO("max |M - M_exact| = " << worst);
  CHECK(worst < 1e-3);
  // The closed form is the deck's Bellman backup with "reward" (1 - gamma) delta: M = (1 - gamma) I + gamma P_pi M.
  const int start = truth.layout.state_of(truth.layout.start);
  Eigen::RowVectorXd backup = Eigen::RowVectorXd::Zero(n);
  backup[start] = 1 - cfg.gamma;
  for (int a = 0; a < A; ++a) backup += cfg.gamma / A * exact.row(truth.next[size_t(start) * A + a]);
  CHECK((backup - exact.row(start)).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("the revaluation race: after the goal moves, SR is optimal after one visit, Q-learning is not") {
  for (uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    auto env_sr = maze("sr_goal_moves"), env_q = maze("sr_goal_moves");
    SuccessorAgent sr(config("sr"), *env_sr, RunSeed{seed, 0});
    SuccessorAgent ql(config("q_learning"), *env_q, RunSeed{seed, 0});
    run(sr, *env_sr, 8000, seed);  // the goal moves at step 3000
    run(ql, *env_q, 8000, seed);
    REQUIRE(sr.revaluation().size() >= 1);
    REQUIRE(ql.revaluation().size() >= 1);
    INFO("SR: " << sr.revaluation()[0] << " extra steps after the first visit; Q-learning: " << ql.revaluation()[0]);
    CHECK(sr.revaluation()[0] == 0);
    CHECK(*std::max_element(sr.revaluation().begin(), sr.revaluation().end()) == 0);  // and it stays optimal
    CHECK(ql.revaluation()[0] > 0);
    CHECK(sr.revaluation_race().back() == 0);
    CHECK(ql.revaluation_race().back() > 0);
  }
}

TEST_CASE("a goal dragged in the GUI (Env::edit_cell) starts the race like the maze's change") {
  auto env = maze("dyna_maze");
  SuccessorAgent sr(config("sr"), *env, RunSeed{4, 0});
  run(sr, *env, 3000, 4);
  CHECK(sr.revaluation_race().empty());  // no change yet
  REQUIRE(env->edit_cell(CellEdit::move_goal, Cell{2, 4}));
  run(sr, *env, 3000, 5);
  REQUIRE(!sr.revaluation().empty());
  CHECK(sr.revaluation()[0] == 0);
  CHECK(sr.revaluation_race().front() > 0);  // at the drag the old values lead elsewhere
  CHECK(sr.revaluation_race().back() == 0);
}

TEST_CASE("a moved wall is the SR's weak spot: M must relearn the transitions, r alone does not help") {
  for (uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    auto env = maze("sr_wall_moves");
    SuccessorAgent sr(config("sr"), *env, RunSeed{seed, 0});
    run(sr, *env, 8000, seed);  // the walls move at step 3000
    REQUIRE(!sr.revaluation_race().empty());
    CHECK(sr.revaluation_race().back() > 0);  // 5000 steps later still off the shortest path
    CHECK(sr.sr_error() > 0.05);              // and M is not the new world's (mean total variation)
  }
}

}  // namespace test_successor
