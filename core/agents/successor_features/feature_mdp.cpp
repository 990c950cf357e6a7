#include "core/agents/successor_features/feature_mdp.h"

#include <deque>
#include <stdexcept>

namespace dynalab {

int FeatureMdp::live_states() const {
  int n = 0;
  for (char l : live) n += l;
  return n;
}

FeatureMdp probe_feature_mdp(const Env& env, uint64_t seed) {
  const auto grid = env.grid_layout();
  if (!grid || grid->objects.empty())
    throw std::invalid_argument("successor features need a grid world with objects (letters a, b, ... in the maze)");
  if (!env.observation_space().is_discrete() || !env.action_space().is_discrete())
    throw std::invalid_argument("successor features need discrete observations and actions");
  FeatureMdp m;
  m.n_states = env.observation_space().n;
  m.n_actions = env.action_space().n;
  m.n_features = int(grid->objects.size());
  m.next.assign(size_t(m.n_states) * m.n_actions, -1);
  m.terminal.assign(m.next.size(), 0);
  m.feature_of.assign(size_t(m.n_states), -1);
  m.live.assign(size_t(m.n_states), 0);
  for (int k = 0; k < m.n_features; ++k) m.feature_of[size_t(grid->state_of(grid->objects[size_t(k)]))] = k;

  // Breadth first from the reset state; every state reached is kept as the env state that
  // produced it, and each action is tried from a restored copy.
  std::unique_ptr<Env> probe = env.clone();
  const int s0 = int(probe->reset(seed)[0]);
  std::vector<std::vector<double>> state_of(size_t(m.n_states));
  state_of[size_t(s0)] = probe->get_state();
  m.live[size_t(s0)] = 1;
  std::deque<int> todo{s0};
  while (!todo.empty()) {
    const int s = todo.front();
    todo.pop_front();
    for (int a = 0; a < m.n_actions; ++a) {
      probe->set_state(state_of[size_t(s)]);
      const StepResult r = probe->step(Vec::Constant(1, a));
      const int s2 = int(r.obs[0]);
      m.next[size_t(m.pair(s, a))] = s2;
      m.terminal[size_t(m.pair(s, a))] = r.terminated;
      if (r.terminated || m.live[size_t(s2)]) continue;
      m.live[size_t(s2)] = 1;
      state_of[size_t(s2)] = probe->get_state();
      todo.push_back(s2);
    }
  }
  return m;
}

}  // namespace dynalab
