#include "core/agents/actor_critic/gae.h"

#include <stdexcept>

namespace dynalab {

GaeResult gae(const std::vector<double>& rewards, const std::vector<double>& values,
              const std::vector<uint8_t>& episode_ends, double last_value, double gamma,
              double lambda) {
  const size_t n = rewards.size();
  if (values.size() != n || episode_ends.size() != n)
    throw std::invalid_argument("gae: rewards, values and episode_ends differ in length");
  GaeResult g{std::vector<double>(n), std::vector<double>(n)};
  double next_advantage = 0;
  for (size_t i = n; i-- > 0;) {
    const double not_end = episode_ends[i] ? 0.0 : 1.0;
    const double next_value = i + 1 < n ? values[i + 1] : last_value;
    const double delta = rewards[i] + gamma * not_end * next_value - values[i];
    next_advantage = delta + gamma * lambda * not_end * next_advantage;
    g.advantages[i] = next_advantage;
    g.returns[i] = next_advantage + values[i];
  }
  return g;
}

}  // namespace dynalab
