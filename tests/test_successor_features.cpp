// Successor features and GPI (core/agents/successor_features/; Barreto et al., NIPS 2017):
// the grid world's objects, the exact SFs, the GPI theorem with exact evaluation, TD-learned SFs
// against the exact ones, and the regression of w.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/agents/successor_features/gpi_agent.h"
#include "core/agents/successor_features/successor_features.h"
#include "core/config.h"
#include "core/rng.h"
#include "envs/grid_world.h"

namespace test_successor_features {

using namespace dynalab;

namespace {
Vec act(int a) { return Vec::Constant(1, a); }

// Four rooms with objects a, b, c (assets/mazes/object_rooms.txt).
GridWorld rooms(std::vector<double> rewards = {1, 0.8, -1}) {
  GridWorld g(load_maze("object_rooms"), 200);
  g.set_objects(std::move(rewards));
  return g;
}

// The largest amount by which Q^{pi'} falls short of max_k Q^{pi_k} at any live pair (<= 0 when
// the GPI inequality holds everywhere).
double worst_shortfall(const FeatureMdp& m, const std::vector<SfTable>& psi, const Policy& composed,
                       const Eigen::VectorXd& w, double gamma) {
  const Eigen::VectorXd q = sf_q_values(exact_successor_features(m, composed, gamma), w);
  double worst = -INFINITY;
  for (int s = 0; s < m.n_states; ++s) {
    if (!m.live[size_t(s)]) continue;
    for (int a = 0; a < m.n_actions; ++a) {
      double best_k = -INFINITY;
      for (const SfTable& p : psi) best_k = std::max(best_k, p.row(m.pair(s, a)).dot(w));
      worst = std::max(worst, best_k - q[m.pair(s, a)]);
    }
  }
  return worst;
}
}  // namespace

TEST_CASE("maze objects: letters a.. are cells with rewards; entering one ends the episode") {
  const Maze m = parse_maze("S.a\n...\nb.c\n", "test.txt");
  REQUIRE(m.objects.size() == 3);
  CHECK(m.objects[0] == Cell{0, 2});
  CHECK(m.objects[2] == Cell{2, 2});
  CHECK_FALSE(m.has_goal());  // objects alone may end episodes
  CHECK_THROWS_AS(parse_maze("S.b\n...\n", "test.txt"), InputError);   // 'a' is missing
  CHECK_THROWS_AS(parse_maze("S.a\n.a.\n", "test.txt"), InputError);   // a second 'a'
  CHECK_THROWS_AS(parse_maze("S..\n...\n", "test.txt"), InputError);   // no goal and no object
  GridWorld g(m);
  CHECK_THROWS_AS(g.set_objects({1, 2}), InputError);  // one reward per object
  g.set_objects({0.5, -1, 2}, {3, 3, 3}, 3);
  g.reset(0);
  StepResult r = g.step(act(GridWorld::right));
  CHECK(r.reward == 0);
  CHECK_FALSE(r.terminated);
  r = g.step(act(GridWorld::right));  // into a
  CHECK(r.reward == 0.5);
  CHECK(r.terminated);
  g.reset(1);
  g.step(act(GridWorld::down));  // step 3 of the run: the rewards change from here on
  r = g.step(act(GridWorld::down));  // into b
  CHECK(r.reward == 3);
  CHECK(r.terminated);
}

TEST_CASE("random starts draw free cells only, reproducibly from the reset seed") {
  GridWorld g = rooms();
  g.set_objects({1, 0.8, -1}, {}, -1, true);
  std::set<int> starts;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const int s = int(g.reset(seed)[0]);
    const Cell c = g.cell_of(s);
    CHECK_FALSE(g.is_wall(c.row, c.col));
    CHECK(g.object_at(s) < 0);
    starts.insert(s);
    CHECK(int(g.reset(seed)[0]) == s);
  }
  CHECK(starts.size() > 40);
}

TEST_CASE("exact SFs satisfy psi = phi + gamma psi(s', pi(s')) and give Q = psi^T w") {
  const GridWorld g = rooms();
  const FeatureMdp m = feature_mdp(probe_grid(g));
  CHECK(m.n_features == 3);
  int free = 0;  // every free cell but the objects
  for (int s = 0; s < m.n_states; ++s) free += !g.is_wall(g.cell_of(s).row, g.cell_of(s).col) && g.object_at(s) < 0;
  CHECK(m.live_states() == free);
  const double gamma = 0.9;
  const auto base = object_policies(m, gamma);
  for (size_t k = 0; k < base.size(); ++k) {
    const SfTable psi = exact_successor_features(m, base[k], gamma);
    double residual = 0;
    for (int s = 0; s < m.n_states; ++s) {
      if (!m.live[size_t(s)]) continue;
      for (int a = 0; a < m.n_actions; ++a) {
        const int s2 = m.next[size_t(m.pair(s, a))];
        Eigen::VectorXd target = transition_features(m, s2);
        if (!m.terminal[size_t(m.pair(s, a))]) target += gamma * psi.row(m.pair(s2, base[k][size_t(s2)])).transpose();
        residual = std::max(residual, (psi.row(m.pair(s, a)).transpose() - target).cwiseAbs().maxCoeff());
      }
    }
    CHECK(residual < 1e-12);
    // pi_k is optimal for w = e_k: its Q from the SFs equals value iteration's V* at every state.
    Eigen::VectorXd v;
    optimal_policy(m, Eigen::VectorXd::Unit(3, int(k)), gamma, &v);
    const Eigen::VectorXd q = sf_q_values(psi, Eigen::VectorXd::Unit(3, int(k)));
    for (int s = 0; s < m.n_states; ++s)
      if (m.live[size_t(s)]) CHECK(q[m.pair(s, base[k][size_t(s)])] == doctest::Approx(v[s]).epsilon(1e-9));
  }
}

TEST_CASE("GPI theorem: Q^{pi'} >= max_k Q^{pi_k} at every (s, a) for 20 random w; one policy picked globally breaks it") {
  const GridWorld g = rooms();
  const FeatureMdp m = feature_mdp(probe_grid(g));
  const double gamma = 0.9;
  std::vector<SfTable> psi;
  for (const Policy& pi : object_policies(m, gamma)) psi.push_back(exact_successor_features(m, pi, gamma));
  Rng rng(2017);
  int idea1_fails = 0, single_fails = 0;
  for (int trial = 0; trial < 20; ++trial) {
    Eigen::VectorXd w(3);
    for (int k = 0; k < 3; ++k) w[k] = rng.uniform(-1, 1);
    CAPTURE(w.transpose());
    CHECK(worst_shortfall(m, psi, gpi_policy(m, psi, w).action, w, gamma) <= 1e-10);
    // Idea 1 (one policy-iteration step on the single best pi_k) and that pi_k itself.
    idea1_fails += worst_shortfall(m, psi, idea1_policy(m, psi, w).action, w, gamma) > 1e-3;
    single_fails += worst_shortfall(m, psi, object_policies(m, gamma)[size_t(best_single_policy(m, psi, w))], w, gamma) > 1e-3;
  }
  // They fall short wherever another object than the chosen policy's is worth going to (a w with
  // two positive objects, about half of them).
  CHECK(idea1_fails >= 5);
  CHECK(single_fails >= 5);
  // The lesson's task: idea 1 keeps pi_a and misses b's room.
  const Eigen::Vector3d w(1, 0.8, -1);
  CHECK(worst_shortfall(m, psi, gpi_policy(m, psi, w).action, w, gamma) <= 1e-10);
  CHECK(worst_shortfall(m, psi, idea1_policy(m, psi, w).action, w, gamma) > 0.1);
}

TEST_CASE("TD-learned SFs converge to the exact ones") {
  const GridWorld g = rooms();
  const FeatureMdp m = feature_mdp(probe_grid(g));
  const double gamma = 0.9;
  const auto base = object_policies(m, gamma);
  SfTdLearner td(m, base, gamma);
  // Experience: random walks from random free cells in the real env, every transition a TD step.
  GridWorld env = rooms();
  env.set_objects({1, 0.8, -1}, {}, -1, true);
  Rng rng(5);
  for (int episode = 0; episode < 3000; ++episode) {
    int s = int(env.reset(rng.next_u64())[0]);
    for (int t = 0; t < 200; ++t) {
      const int a = int(rng.below(4));
      const StepResult r = env.step(act(a));
      td.update(s, a, int(r.obs[0]), r.terminated, 0.5);
      if (r.terminated) break;
      s = int(r.obs[0]);
    }
  }
  double err = 0;
  for (size_t k = 0; k < base.size(); ++k) {
    const SfTable exact = exact_successor_features(m, base[k], gamma);
    for (int s = 0; s < m.n_states; ++s)
      if (m.live[size_t(s)]) err = std::max(err, (td.psi()[k].middleRows(m.pair(s, 0), 4) - exact.middleRows(m.pair(s, 0), 4)).cwiseAbs().maxCoeff());
  }
  CHECK(err < 1e-3);
}

TEST_CASE("least squares on the features recovers the reward weights") {
  GridWorld env = rooms();
  Rng rng(9);
  for (int trial = 0; trial < 5; ++trial) {
    const std::vector<double> w_true = {rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)};
    env.set_objects(w_true, {}, -1, true);
    const FeatureMdp m = feature_mdp(probe_grid(env));
    RewardRegression reg(3);
    for (int episode = 0; episode < 200; ++episode) {
      env.reset(rng.next_u64());
      for (int t = 0; t < 200; ++t) {
        const StepResult r = env.step(act(int(rng.below(4))));
        reg.add(transition_features(m, int(r.obs[0])), r.reward);
        if (r.terminated) break;
      }
    }
    for (int k = 0; k < 3; ++k) {
      REQUIRE(reg.known(k));
      CHECK(reg.weights()[k] == doctest::Approx(w_true[size_t(k)]).epsilon(1e-6));
    }
  }
}

TEST_CASE("the gpi agent: SFs exact after exploring, zero regret acting, a reward change costs only w") {
  Json cfg = Json::object();
  ConfigNode node(cfg, "test");
  GpiSettingsConfig c;
  c.visit(node);
  GridWorld env = rooms();
  env.set_objects({1, 0.8, -1}, {-1, 0.5, 1}, 2600, true);
  GpiAgent agent(c, env, RunSeed{42, 0});
  Rng resets(1);
  double regret_before = 0, regret_after = 0;
  int acting_before = 0, acting_after = 0;
  int64_t sf_updates_after_exploring = -1;
  int changed_at = -1;
  for (int episode = 0; episode < 200; ++episode) {
    Vec obs = env.reset(resets.next_u64());
    agent.begin_episode(episode, obs);
    Trajectory traj(0, episode, obs, 1);
    for (int t = 0; t < 200; ++t) {
      agent.before_step(env, obs);
      const Vec a = agent.act(obs);
      const StepResult r = env.step(a);
      agent.observe(Transition{episode, obs, a, r.reward, r.obs, r.terminated}, r.truncated);
      traj.push(a, r.reward, r.obs);
      obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
    const auto metrics = agent.episode_metrics();  // after the experiment's 4 columns
    agent.end_episode(traj);
    const double regret = metrics[2], phase = metrics[3];
    if (phase == 2 && sf_updates_after_exploring < 0) {
      sf_updates_after_exploring = agent.td().updates();
      CHECK(agent.sf_error() < 1e-6);
    }
    if (phase == 2 && env.total_steps() < 2600) regret_before += regret, ++acting_before;
    if (env.total_steps() >= 2600 && changed_at < 0) changed_at = episode;
    // At most one episode that meets the change and K = 3 sampling episodes, then GPI again.
    if (changed_at >= 0 && episode > changed_at + 4) regret_after += regret, ++acting_after;
  }
  CHECK(acting_before > 20);
  CHECK(acting_after > 20);
  CHECK(agent.episode_metrics().back() == 1);  // one regression restart: the task change
  CHECK(regret_before / acting_before < 1e-9);
  CHECK(regret_after / acting_after < 1e-9);
  CHECK(agent.td().updates() == sf_updates_after_exploring);  // the new task did not touch psi
  CHECK((agent.regression().weights() - Eigen::Vector3d(-1, 0.5, 1)).cwiseAbs().maxCoeff() < 1e-6);
}

}  // namespace test_successor_features
