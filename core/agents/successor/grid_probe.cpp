#include "core/agents/successor/grid_probe.h"

#include <Eigen/LU>
#include <deque>
#include <stdexcept>

namespace dynalab {

GridTransitions probe_grid(const Env& env) {
  const std::optional<GridLayout> layout = env.grid_layout();
  if (!layout || !env.observation_space().is_discrete() || !env.action_space().is_discrete())
    throw std::invalid_argument("probe_grid: a grid world with discrete states and actions, got '" + env.name() + "'");
  GridTransitions t;
  t.layout = *layout;
  t.n_states = layout->rows * layout->cols;
  t.n_actions = env.action_space().n;
  if (env.observation_space().n != t.n_states)
    throw std::invalid_argument("probe_grid: one state per cell expected in '" + env.name() + "'");
  const size_t pairs = size_t(t.n_states) * t.n_actions;
  t.next.assign(pairs, -1);
  t.terminal.assign(pairs, false);
  t.reward.assign(pairs, 0.0);
  const std::vector<double> now = env.get_state();
  if (now.size() < 2) throw std::invalid_argument("probe_grid: get_state() must begin with the agent's row and column");
  std::unique_ptr<Env> probe = env.clone();
  for (int s = 0; s < t.n_states; ++s) {
    if (!t.free(s)) continue;
    const Cell c = layout->cell_of(s);
    std::vector<double> at = now;
    at[0] = c.row, at[1] = c.col;
    for (int a = 0; a < t.n_actions; ++a) {
      probe->set_state(at);
      if (a == 0 && !(probe->grid_layout()->agent == c))
        throw std::invalid_argument("probe_grid: set_state's first two values are not the agent's row and column in '" +
                                    env.name() + "'");
      const StepResult r = probe->step(Vec::Constant(1, a));
      const size_t k = size_t(s) * t.n_actions + a;
      t.next[k] = int(r.obs[0]);
      t.terminal[k] = r.terminated;
      t.reward[k] = r.reward;
    }
  }
  return t;
}

Eigen::MatrixXd closed_form_sr(const GridTransitions& t, const std::vector<double>& pi, double gamma) {
  const int n = t.n_states, A = t.n_actions;
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
  // A cell that some transition enters terminally is never left (the episode ends there):
  // absorbing, as the learned M has it.
  std::vector<bool> terminal_cell(size_t(n), false);
  for (size_t k = 0; k < t.next.size(); ++k)
    if (t.terminal[k]) terminal_cell[size_t(t.next[k])] = true;
  for (int s = 0; s < n; ++s) {
    if (!t.free(s) || terminal_cell[size_t(s)]) {
      P(s, s) = 1;
      continue;
    }
    for (int a = 0; a < A; ++a) {
      const size_t k = size_t(s) * A + a;
      P(s, t.next[k]) += pi[k];
    }
  }
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(n, n);
  return (1 - gamma) * (I - gamma * P).partialPivLu().inverse();
}

int shortest_path_steps(const GridTransitions& t) {
  const int start = t.layout.state_of(t.layout.start);
  std::vector<int> dist(size_t(t.n_states), -1);
  std::deque<int> queue{start};
  dist[size_t(start)] = 0;
  while (!queue.empty()) {
    const int s = queue.front();
    queue.pop_front();
    for (int a = 0; a < t.n_actions; ++a) {
      const size_t k = size_t(s) * t.n_actions + a;
      if (t.terminal[k]) return dist[size_t(s)] + 1;  // breadth-first: the first found is shortest
      const int s2 = t.next[k];
      if (s2 >= 0 && dist[size_t(s2)] < 0) {
        dist[size_t(s2)] = dist[size_t(s)] + 1;
        queue.push_back(s2);
      }
    }
  }
  return -1;
}

int greedy_path_steps(const GridTransitions& t, const std::vector<double>& q) {
  int s = t.layout.state_of(t.layout.start);
  for (int step = 1; step <= t.n_states; ++step) {
    int best = 0;
    for (int a = 1; a < t.n_actions; ++a)
      if (q[size_t(s) * t.n_actions + a] > q[size_t(s) * t.n_actions + best]) best = a;
    const size_t k = size_t(s) * t.n_actions + best;
    if (t.terminal[k]) return step;
    s = t.next[k];
  }
  return t.n_states;
}

}  // namespace dynalab
