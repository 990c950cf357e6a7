// Value iteration networks (core/agents/vin/, issue 21): the VI module with hand-set weights is
// plain value iteration, and with the move lengths as kernels its values are the expert's
// distances; the convolution's backward and the whole VIN's loss gradient match finite
// differences; the expert's paths (core/grid_moves.h) are shortest, and as short as a uniform-cost
// search through the env finds; the obstacle_map env and the dataset follow the reference
// generator; a short training run learns.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/agents/tree_search/graph_search.h"
#include "core/agents/vin/conv3x3.h"
#include "core/agents/vin/grid_policy.h"
#include "core/agents/vin/vin_agent.h"
#include "core/agents/vin/vin_dataset.h"
#include "core/agents/vin/vin_network.h"
#include "core/grid_moves.h"
#include "core/models/losses.h"
#include "core/rng.h"
#include "core/session.h"
#include "envs/registry.h"
#include "envs/obstacle_map_env.h"
#include "tests/gradient_check.h"
#include "tests/test_util.h"

namespace test_vin {

using namespace dynalab;
using VinD = VinNetworkT<double>;
using MatD = VinD::Mat;

namespace {

GridLayout random_map(int size, uint64_t seed) {
  ObstacleMapConfig cfg;
  cfg.size = size;
  ObstacleMapEnv env(cfg);
  env.reset(seed);
  return env.map();
}

/// V_{k+1}(s) = max_a [R(s) + gamma V_k(s + a)], V_0 = R, V = 0 off the map (the convolution's
/// zero padding), for every cell of an n x n map: what the hand-set VI module must compute.
std::vector<std::vector<double>> plain_value_iteration(const std::vector<double>& R, int n, double gamma, int K) {
  std::vector<std::vector<double>> V{R};
  for (int k = 0; k < K; ++k) {
    std::vector<double> next(R.size());
    for (int r = 0; r < n; ++r)
      for (int c = 0; c < n; ++c) {
        double best = -std::numeric_limits<double>::infinity();
        for (int a = 0; a < 8; ++a) {
          const int rr = r + kMoveRow[size_t(a)], cc = c + kMoveCol[size_t(a)];
          const double v = rr >= 0 && rr < n && cc >= 0 && cc < n ? V.back()[size_t(rr * n + cc)] : 0.0;
          best = std::max(best, R[size_t(r * n + c)] + gamma * v);
        }
        next[size_t(r * n + c)] = best;
      }
    V.push_back(next);
  }
  return V;
}

/// Kernels of value iteration in CNN form: channel a reads r at the centre and gamma v at the
/// cell move a leads to (a gamma-weighted one-hot shift).
void hand_set_vi(VinD& net, double gamma) {
  net.W_q().setZero();
  net.W_v().setZero();
  for (int a = 0; a < 8; ++a) {
    net.W_q()(4, a) = 1.0;  // (dy, dx) = (0, 0)
    net.W_v()((kMoveRow[size_t(a)] + 1) * 3 + (kMoveCol[size_t(a)] + 1), a) = gamma;
  }
}

}  // namespace

TEST_CASE("the VI module with hand-set weights is plain value iteration on random maps") {
  const int K = 12;
  const double gamma = 0.9;
  VinD net(VinShape{4, 8, K});
  hand_set_vi(net, gamma);
  Rng rng(5);
  for (int size : {8, 16}) {
    // Three random maps in one batch, each with a random reward map.
    std::vector<GridLayout> maps;
    for (uint64_t s = 0; s < 3; ++s) maps.push_back(random_map(size, 100 + s));
    const long nn = long(size) * size;
    MatD r(3 * nn, 1);
    for (long p = 0; p < r.rows(); ++p) r(p, 0) = maps[size_t(p / nn)].walls[size_t(p % nn)] ? -5.0 : rng.normal(-1, 0.5);
    VinD::Cache c;
    net.value_iteration(r, size, 3, K, c);
    double worst = 0;
    for (int b = 0; b < 3; ++b) {
      std::vector<double> R(r.data() + b * nn, r.data() + (b + 1) * nn);
      const auto V = plain_value_iteration(R, size, gamma, K);
      for (int k = 0; k <= K; ++k)
        for (long i = 0; i < nn; ++i) worst = std::max(worst, std::abs(c.v(b * nn + i, k) - V[size_t(k)][size_t(i)]));
    }
    CHECK(worst < 1e-6);
  }
}

TEST_CASE("the whole VIN with hand-set weights: r from the obstacle and goal maps, then value iteration") {
  // h = [obstacle, goal / 10, 1] (the goal input is 10), r = -1 - 50 obstacle + 11 goal: the
  // input layers make a reward map, and the VI module iterates on it exactly (every v_k).
  const int K = 20;
  VinD net(VinShape{3, 8, K});
  net.params().setZero();
  net.W_h()(0 * 9 + 4, 0) = 1.0;  // channel 0: the obstacle at the centre
  net.W_h()(1 * 9 + 4, 1) = 0.1;  // channel 1: the goal
  net.b_h()(2, 0) = 1.0;          // channel 2: 1
  net.W_r()(0, 0) = -50, net.W_r()(1, 0) = 11, net.W_r()(2, 0) = -1;
  hand_set_vi(net, 0.95);
  for (uint64_t seed = 0; seed < 5; ++seed) {
    const GridLayout m = random_map(16, seed);
    VinD::Cache c;
    net.forward({&m}, K, c);
    const int cells = m.rows * m.cols;
    std::vector<double> R(static_cast<size_t>(cells));
    double worst_r = 0, worst_v = 0;
    for (int i = 0; i < cells; ++i) {
      R[size_t(i)] = -1.0 - (m.walls[size_t(i)] ? 50.0 : 0.0) + (i == m.state_of(m.goal) ? 11.0 : 0.0);
      worst_r = std::max(worst_r, std::abs(c.r(i, 0) - R[size_t(i)]));
    }
    const auto V = plain_value_iteration(R, 16, 0.95, K);
    for (int k = 0; k <= K; ++k)
      for (int i = 0; i < cells; ++i) worst_v = std::max(worst_v, std::abs(c.v(i, k) - V[size_t(k)][size_t(i)]));
    CHECK(worst_r < 1e-12);
    CHECK(worst_v < 1e-6);
  }
}

TEST_CASE("conv3x3 backward matches finite differences") {
  Rng rng(3);
  const int n = 5, C = 2, O = 3, B = 2;
  MatD in = test::normal_matrix(B * n * n, C, rng), W = test::normal_matrix(C * 9, O, rng);
  const MatD G = test::normal_matrix(B * n * n, O, rng);  // L = sum(G .* conv(in))
  auto loss = [&]() {
    MatD cols, out;
    conv3x3_forward<double>(in, n, W, cols, out);
    return out.cwiseProduct(G).sum();
  };
  MatD cols, out, dW = MatD::Zero(C * 9, O), din;
  conv3x3_forward<double>(in, n, W, cols, out);
  conv3x3_backward<double>(cols, n, W, G, dW, &din);
  test::VecD pw = Eigen::Map<test::VecD>(W.data(), W.size());
  const test::VecD num_w = test::finite_difference(pw, [&] {
    W = Eigen::Map<MatD>(pw.data(), W.rows(), W.cols());
    return loss();
  });
  W = Eigen::Map<MatD>(pw.data(), W.rows(), W.cols());
  CHECK(test::relative_error(Eigen::Map<test::VecD>(dW.data(), dW.size()), num_w) < 1e-7);
  test::VecD pin = Eigen::Map<test::VecD>(in.data(), in.size());
  const test::VecD num_in = test::finite_difference(pin, [&] {
    in = Eigen::Map<MatD>(pin.data(), in.rows(), in.cols());
    return loss();
  });
  CHECK(test::relative_error(Eigen::Map<test::VecD>(din.data(), din.size()), num_in) < 1e-7);
  // im2col's zero padding: a corner pixel sees 4 of its 9 neighbours.
  MatD ones = MatD::Ones(n * n, 1), c1;
  im2col3x3<double>(ones, n, c1);
  CHECK(c1.row(0).sum() == 4.0);
  CHECK(c1.row(n + 1).sum() == 9.0);
}

TEST_CASE("the VIN's loss gradient matches finite differences") {
  VinD net(VinShape{5, 4, 4});
  Rng rng(11);
  net.init(rng);
  for (long i = 0; i < net.param_count(); ++i) net.params()[i] += rng.normal(0, 0.2);  // W_v non-zero too
  const GridLayout m1 = random_map(8, 1), m2 = random_map(8, 2);
  std::vector<VinD::Sample> samples;
  std::vector<int> actions;
  for (int i = 0; i < 10; ++i) {
    const GridLayout& m = i % 2 ? m2 : m1;
    samples.push_back({i % 2, m.state_of(m.goal) + (i % 3) - 1});
    actions.push_back(i % 8);
  }
  auto loss = [&]() {
    VinD::Cache c;
    net.forward({&m1, &m2}, 4, c);
    return softmax_cross_entropy_loss<double>(net.logits(c, samples), actions, nullptr);
  };
  VinD::Cache c;
  net.forward({&m1, &m2}, 4, c);
  MatD dlogits;
  softmax_cross_entropy_loss<double>(net.logits(c, samples), actions, &dlogits);
  test::VecD grad = test::VecD::Zero(net.param_count());
  net.backward(c, samples, dlogits, grad);
  const test::VecD num = test::finite_difference(net.params(), loss, 1e-6);
  CHECK(test::relative_error(grad, num) < 1e-6);
  CHECK(grad.norm() > 1e-3);
}

TEST_CASE("the reactive MLP's sparse first layer: its loss gradient matches finite differences") {
  ObstacleMapConfig ecfg;
  ObstacleMapEnv env(ecfg);
  Rng rng(4);
  const auto data = make_vin_dataset(env, 3, 7, rng);
  const std::vector<const MapSamples*> batch = {&data[0], &data[1], &data[2]};
  ReactivePolicy net(8, {16, 12}, 0.001, rng);
  int correct = 0;
  Eigen::VectorXf g_first, g_rest, unused_first, unused_rest;
  net.loss_and_gradient(batch, correct, g_first, g_rest);
  // Central differences in float on every coordinate with a clear gradient (analytic or
  // numeric): obstacle, goal and agent rows and the bias of layer 1, and the layers after it.
  // A step that crosses a ReLU's kink gives a wrong difference: such coordinates (where steps
  // h and h/2 disagree) are left out.
  auto check = [&](Eigen::VectorXf& p, const Eigen::VectorXf& g) {
    double num2 = 0, diff2 = 0;
    int used = 0;
    auto central = [&](long i, float h) {
      const float keep = p[i];
      p[i] = keep + h;
      const double up = net.loss_and_gradient(batch, correct, unused_first, unused_rest);
      p[i] = keep - h;
      const double down = net.loss_and_gradient(batch, correct, unused_first, unused_rest);
      p[i] = keep;
      return (up - down) / (2.0 * double(h));
    };
    for (long i = 0; i < p.size(); ++i) {
      const double num = central(i, 1e-2f);
      if (std::max(std::abs(num), double(std::abs(g[i]))) < 5e-3) continue;
      if (std::abs(num - central(i, 5e-3f)) > 0.05 * std::abs(num)) continue;
      num2 += num * num, diff2 += (num - g[i]) * (num - g[i]);
      ++used;
    }
    MESSAGE("used " << used << " of the coordinates, relative error " << std::sqrt(diff2 / num2));
    CHECK(used > 20);
    CHECK(std::sqrt(diff2 / num2) < 1e-2);
  };
  check(net.first_layer_params(), g_first);
  check(net.rest_params(), g_rest);
}

TEST_CASE("the expert's distances are shortest paths and its actions start one") {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const GridLayout m = random_map(16, seed);
    const std::vector<double> d = distances_to_goal(m);
    const int cells = m.rows * m.cols, goal = m.state_of(m.goal);
    // Bellman-Ford by sweeps, independent of Dijkstra's queue.
    std::vector<double> bf(d.size(), std::numeric_limits<double>::infinity());
    bf[size_t(goal)] = 0;
    for (bool changed = true; changed;) {
      changed = false;
      for (int s = 0; s < cells; ++s)
        for (int a = 0; a < 8 && !m.walls[size_t(s)]; ++a) {
          const int t = move_cell(m, s, a);
          if (t != s && bf[size_t(t)] + move_length(a) < bf[size_t(s)] - 1e-12)
            bf[size_t(s)] = bf[size_t(t)] + move_length(a), changed = true;
        }
    }
    for (int s = 0; s < cells; ++s) {
      CHECK((std::isinf(d[size_t(s)]) == std::isinf(bf[size_t(s)])));
      if (std::isfinite(bf[size_t(s)])) CHECK(d[size_t(s)] == doctest::Approx(bf[size_t(s)]));
      if (std::isfinite(d[size_t(s)]) && s != goal) {
        const std::vector<int> path = expert_path(m, d, s);
        CHECK(path_length(m, path) == doctest::Approx(d[size_t(s)]));
      }
    }
  }
}

TEST_CASE("the VI module with the move lengths as kernels computes the expert's distances") {
  // Value iteration in CNN form for the obstacle_map domain itself: l_q = 9 channels, the 8 moves
  // and a stay. Channel a reads r times move_length(a) at the centre and v at the cell move a
  // leads to (gamma = 1); the stay channel reads r and v at the centre. With r = -1 on free cells,
  // 0 at the goal and -1000 on obstacles, q_a(s) = -move_length(a) + v(s + a) on free cells and
  // the goal keeps v = 0 by staying, so after K iterations v_K = -(shortest path length) on every
  // cell within K moves of the goal, and the best channel starts a shortest path.
  const int K = 40;
  VinD net(VinShape{1, 9, K});
  net.params().setZero();
  for (int a = 0; a < 8; ++a) {
    net.W_q()(4, a) = move_length(a);
    net.W_v()((kMoveRow[size_t(a)] + 1) * 3 + (kMoveCol[size_t(a)] + 1), a) = 1.0;
  }
  net.W_q()(4, 8) = 1.0;
  net.W_v()(4, 8) = 1.0;
  int checked = 0, far = 0;
  for (uint64_t seed = 0; seed < 30; ++seed) {
    const GridLayout m = random_map(16, 500 + seed);
    const int cells = m.rows * m.cols, goal = m.state_of(m.goal);
    MatD r(cells, 1);
    for (int i = 0; i < cells; ++i) r(i, 0) = m.walls[size_t(i)] ? -1000.0 : i == goal ? 0.0 : -1.0;
    VinD::Cache c;
    net.value_iteration(r, m.rows, 1, K, c);
    const std::vector<double> d = distances_to_goal(m);
    for (int s = 0; s < cells; ++s) {
      if (!std::isfinite(d[size_t(s)])) continue;
      const int moves = int(expert_path(m, d, s).size()) - 1;
      // v_K is exact within K moves of the goal; q_K reads v_{K-1}, exact within K - 1 moves.
      if (moves > K - 1) {
        ++far;
        continue;
      }
      CHECK(std::abs(c.v(s, K) + d[size_t(s)]) < 1e-9);
      if (s == goal) continue;
      Eigen::Index best;
      c.q.row(s).maxCoeff(&best);
      REQUIRE(best < 8);  // a move, never the stay
      CHECK(optimal_action(m, d, s, int(best)));
      ++checked;
    }
  }
  MESSAGE(checked << " cells checked, " << far << " more than K - 1 moves from the goal");
  CHECK(checked > 30 * 50);
  CHECK(far < checked / 100);
}

TEST_CASE("uniform-cost search through the obstacle_map env finds plans as short as the expert's") {
  // The env's step() (moves, walls, costs, termination) against core/grid_moves.h's Dijkstra:
  // GraphSearch's edge cost is step_cost - reward = the move's length with step_cost 0.
  ObstacleMapConfig cfg;
  cfg.size = 16;
  ObstacleMapEnv env(cfg);
  for (uint64_t seed = 0; seed < 40; ++seed) {
    const Vec obs = env.reset(seed);
    GraphSearch search(env, obs, SearchOrder::uniform_cost, 0.0, 100000);
    while (!search.expand(256)) {
    }
    REQUIRE(search.found());
    const std::vector<int> plan = search.plan();
    double cost = 0;
    for (int a : plan) cost += move_length(a);
    const std::vector<double> d = distances_to_goal(env.map());
    CHECK(std::abs(cost - d[size_t(env.start())]) < 1e-9);
    // The plan replayed in the env reaches the goal on its last step.
    ObstacleMapEnv replay(cfg);
    replay.reset(seed);
    StepResult r;
    for (int a : plan) r = replay.step(Vec::Constant(1, a));
    CHECK(r.terminated);
  }
}

TEST_CASE("obstacle_map: a border, a free interior goal, a reachable start; the map is a function of the seed") {
  ObstacleMapConfig cfg;
  ObstacleMapEnv env(cfg), other(cfg);
  int different = 0;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    env.reset(seed);
    const GridLayout& m = env.map();
    const int n = m.rows;
    REQUIRE(m.cols == n);
    for (int i = 0; i < n; ++i) {
      CHECK(m.wall({0, i}));      // top
      CHECK(m.wall({n - 1, i}));  // bottom
      CHECK(m.wall({i, 0}));      // left
      CHECK(m.wall({i, n - 1}));  // right
    }
    CHECK(!m.wall(m.goal));
    const int start = env.start();
    CHECK(start != m.state_of(m.goal));
    CHECK(std::isfinite(distances_to_goal(m)[size_t(start)]));
    CHECK(env.max_episode_steps() == rollout_budget(env.expert_moves()));
    CHECK(env.max_episode_steps() == 2 * env.expert_moves() + 1);
    other.reset(seed);
    CHECK(other.map().walls == m.walls);
    other.reset(seed + 1000);
    different += other.map().walls != m.walls;
  }
  CHECK(different >= 45);
}

TEST_CASE("the dataset: per map, the trajectories from the first 7 cells of a permutation of its free cells") {
  ObstacleMapConfig cfg;
  cfg.size = 8;
  ObstacleMapEnv env(cfg), check(cfg);
  Rng rng(1), again(1);
  const auto data = make_vin_dataset(env, 50, 7, rng);
  CHECK(data.size() == 50);
  size_t trajectories = 0;
  for (const auto& ms : data) {
    // The same draws as make_vin_dataset: the map's reset seed, then a permutation of its free
    // cells; the first 7 cells start a trajectory unless one is the goal or cannot reach it.
    check.reset(again.next_u64());
    REQUIRE(check.map().walls == ms.map.walls);
    const auto d = distances_to_goal(ms.map);
    std::vector<int> free;
    for (int c = 0; c < ms.map.rows * ms.map.cols; ++c)
      if (!ms.map.walls[size_t(c)]) free.push_back(c);
    for (size_t i = free.size(); i > 1; --i) std::swap(free[i - 1], free[size_t(again.below(i))]);
    std::vector<int> starts;
    size_t samples = 0;
    for (size_t t = 0; t < 7; ++t) {
      const int s = free[t % free.size()];
      if (s == ms.map.state_of(ms.map.goal) || !std::isfinite(d[size_t(s)])) continue;
      starts.push_back(s);
      samples += expert_path(ms.map, d, s).size() - 1;
    }
    CHECK(ms.starts == starts);
    CHECK(ms.cells.size() == samples);
    trajectories += ms.starts.size();
    for (size_t i = 0; i < ms.cells.size(); ++i) CHECK(optimal_action(ms.map, d, ms.cells[i], ms.actions[i]));
  }
  // Most free cells of an 8x8 map are walled-in pockets or the goal: about 3 trajectories per map
  // (14.7k over vin_8x8's 5000 maps), not 7.
  MESSAGE(trajectories << " trajectories over 50 maps");
  CHECK(trajectories >= 50);
}

TEST_CASE("a short VIN training run learns the expert's actions on held-out maps" * doctest::skip(test::kSanitized)) {
  ObstacleMapConfig ecfg;
  ObstacleMapEnv env(ecfg);
  VinSettingsConfig cfg;
  cfg.vin.compare = false;
  cfg.vin.epochs = 4;
  cfg.vin.train_maps = 400;
  cfg.vin.test_maps = 100;
  cfg.vin.batches_per_tick = 1000;
  VinAgent agent(cfg, env, RunSeed{0, 0});
  while (agent.thinking()) agent.think(env, Vec::Zero(1), {});
  CHECK(agent.test_accuracy(0) > 80.0);
}

TEST_CASE("a session saved mid-epoch continues exactly (vin_8x8 shrunk)") {
  const std::vector<std::string> sets = {"vin.train_maps=60", "vin.test_maps=20", "vin.epochs=3", "vin.batches_per_tick=2",
                                         "episodes=3"};
  auto a = make_experiment(load_experiment("vin_8x8", sets), env_registry());
  for (int i = 0; i < 4; ++i) a->tick();  // the datasets, then 6 batches: inside epoch 1
  const auto dir = std::filesystem::temp_directory_path() / "dynalab_test_vin_session";
  std::filesystem::remove_all(dir);
  save_session(*a, dir);
  auto b = load_session(dir, env_registry());
  while (a->tick()) REQUIRE(b->tick());
  CHECK(!b->tick());
  const auto sa = a->snapshot(), sb = b->snapshot();
  CHECK(sa->stats == sb->stats);
  CHECK(sa->metrics == sb->metrics);
  CHECK(sa->metrics.size() == 3);
  std::filesystem::remove_all(dir);
}

}  // namespace test_vin
