#include "core/grid_transitions.h"

#include <deque>
#include <stdexcept>

namespace dynalab {

std::vector<bool> GridTransitions::terminal_cells() const {
  std::vector<bool> cells(size_t(n_states), false);
  for (size_t k = 0; k < next.size(); ++k)
    if (terminal[k] && next[k] >= 0) cells[size_t(next[k])] = true;
  return cells;
}

bool probeable_grid(const Env& env) {
  const std::optional<GridLayout> layout = env.grid_layout();
  if (!layout || !env.deterministic() || !env.action_space().is_discrete() ||
      !env.observation_space().is_discrete() || env.observation_space().n != layout->rows * layout->cols)
    return false;
  const std::unique_ptr<Env> probe = env.clone();
  return probe->set_observation(Vec::Constant(1, layout->state_of(layout->start)));
}

GridTransitions probe_grid(const Env& env) {
  if (!probeable_grid(env))
    throw std::invalid_argument("probe_grid: a deterministic grid world whose observation is the agent's cell, got '" +
                                env.name() + "'");
  GridTransitions t;
  t.layout = *env.grid_layout();
  t.n_states = t.layout.rows * t.layout.cols;
  t.n_actions = env.action_space().n;
  const size_t pairs = size_t(t.n_states) * size_t(t.n_actions);
  t.next.assign(pairs, -1);
  t.terminal.assign(pairs, false);
  t.reward.assign(pairs, 0.0);
  const std::vector<double> now = env.get_state();
  const std::unique_ptr<Env> probe = env.clone();
  for (int s = 0; s < t.n_states; ++s) {
    if (!t.free(s)) continue;
    for (int a = 0; a < t.n_actions; ++a) {
      // From the real env's state every time, so the step counts (a maze's scheduled change)
      // are the real ones, not the probe's own.
      probe->set_state(now);
      if (!probe->set_observation(Vec::Constant(1, s))) break;  // a cell the agent cannot stand in
      const StepResult r = probe->step(Vec::Constant(1, a));
      const size_t k = size_t(t.pair(s, a));
      t.next[k] = int(r.obs[0]);
      t.terminal[k] = r.terminated;
      t.reward[k] = r.reward;
    }
  }
  return t;
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
      const size_t k = size_t(t.pair(s, a));
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
      if (q[size_t(t.pair(s, a))] > q[size_t(t.pair(s, best))]) best = a;
    const size_t k = size_t(t.pair(s, best));
    if (t.terminal[k]) return step;
    s = t.next[k];
    if (s < 0) return t.n_states;
  }
  return t.n_states;
}

}  // namespace dynalab
