#include "core/agents/successor_features/feature_mdp.h"

#include <stdexcept>

namespace dynalab {

int FeatureMdp::live_states() const {
  int n = 0;
  for (char l : live) n += l;
  return n;
}

FeatureMdp feature_mdp(const GridTransitions& t) {
  if (t.layout.objects.empty())
    throw std::invalid_argument("successor features need a grid world with objects (letters a, b, ... in the maze)");
  FeatureMdp m;
  m.n_states = t.n_states;
  m.n_actions = t.n_actions;
  m.n_features = int(t.layout.objects.size());
  m.next = t.next;
  m.terminal.assign(t.terminal.begin(), t.terminal.end());
  m.feature_of.assign(size_t(m.n_states), -1);
  for (int k = 0; k < m.n_features; ++k) m.feature_of[size_t(t.layout.state_of(t.layout.objects[size_t(k)]))] = k;
  const std::vector<bool> ends = t.terminal_cells();
  m.live.assign(size_t(m.n_states), 0);
  for (int s = 0; s < m.n_states; ++s) m.live[size_t(s)] = t.free(s) && !ends[size_t(s)];
  return m;
}

}  // namespace dynalab
