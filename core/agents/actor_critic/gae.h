#pragma once
// Generalised advantage estimation (Schulman et al., "High-Dimensional Continuous Control Using
// Generalized Advantage Estimation", ICLR 2016), in the form of Stable-Baselines3's
// RolloutBuffer.compute_returns_and_advantage:
//   delta_t = r_t + gamma (1 - e_t) V(s_{t+1}) - V(s_t)
//   A_t     = delta_t + gamma lambda (1 - e_t) A_{t+1}
//   R_t     = A_t + V(s_t)                                (the value target, the lambda-return)
// where e_t = 1 if step t ended its episode. A time-limit end is not a true end: the caller
// adds gamma V(s_final) to that step's reward before (SB3's timeout bootstrap) and still marks
// e_t = 1, since s_{t+1} in the rollout is the next episode's first state. After the last step
// T-1, V(s_T) = last_value (ignored if e_{T-1} = 1).

#include <cstdint>
#include <vector>

namespace dynalab {

struct GaeResult {
  std::vector<double> advantages;  ///< A_t, one per step
  std::vector<double> returns;     ///< R_t = A_t + V(s_t)
};

/// rewards, values, episode_ends: one entry per rollout step (equal lengths). gamma, lambda in
/// [0, 1]. Throws std::invalid_argument on unequal lengths.
GaeResult gae(const std::vector<double>& rewards, const std::vector<double>& values,
              const std::vector<uint8_t>& episode_ends, double last_value, double gamma,
              double lambda);

}  // namespace dynalab
