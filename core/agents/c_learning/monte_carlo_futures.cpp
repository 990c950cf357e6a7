#include "core/agents/c_learning/monte_carlo_futures.h"

#include "core/agents/c_learning/future_replay.h"

namespace dynalab {

void monte_carlo_futures(const Env& env, const std::vector<double>& state, const Vec& action,
                         const BehaviourPolicy& policy, double gamma, int rollouts,
                         std::array<int, 2> dims, Rng& rng, std::vector<double>& xs,
                         std::vector<double>& ys) {
  const std::unique_ptr<Env> sim = env.clone();
  for (int r = 0; r < rollouts; ++r) {
    sim->set_state(state);
    const int delta = geometric_offset(rng, gamma);
    StepResult s = sim->step(action);
    Vec previous = action;
    // Only termination ends a rollout: `truncated` is the episode's step limit, not the MDP's.
    for (int k = 1; k < delta && !s.terminated; ++k) {
      previous = policy(s.obs, previous, rng);
      s = sim->step(previous);
    }
    xs.push_back(s.obs[dims[0]]);
    ys.push_back(s.obs[dims[1]]);
  }
}

}  // namespace dynalab
