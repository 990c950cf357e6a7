#include "core/agents/mbpg/imagined_trajectory.h"

#include <numeric>
#include <stdexcept>

namespace dynalab {

double ImaginedTrajectory::total_reward() const {
  return std::accumulate(rewards.begin(), rewards.end(), 0.0);
}

ImaginedTrajectory imagine_trajectory(const ModelStepper& stepper, ActorCriticLearner& learner,
                                      const Space& actions, const Vec& start, int horizon,
                                      uint64_t seed, int64_t env_steps) {
  if (stepper.rows_per_group() != 1)
    throw std::invalid_argument("imagine_trajectory: the stepper needs one particle per row");
  if (horizon < 1) throw std::invalid_argument("imagine_trajectory: horizon must be >= 1");
  if (learner.updating())
    throw std::invalid_argument("imagine_trajectory: the learner is still training on a rollout");
  const std::vector<int>& elites = stepper.model().rollout_members();
  ModelStepper::Batch b;
  stepper.begin(b, 0, 1, seed);
  b.states.row(0) = start.transpose().cast<float>();

  ImaginedTrajectory out;
  out.states.push_back(start);
  learner.begin_episode(start);
  for (int t = 0; t < horizon; ++t) {
    const Vec s = out.states.back();
    const Vec a = learner.act(s);  // unclipped: log pi(a|s) is of this sample
    b.actions.row(0) = actions.clip(a).transpose().cast<float>();
    stepper.step(b);
    const Vec next = b.states.row(0).transpose().cast<double>();
    const double r = double(b.reward[0]);
    const bool terminated = b.done[0] != 0;
    out.members.push_back(elites[size_t(b.members()[0])]);
    out.rewards.push_back(r);
    out.states.push_back(next);
    const bool truncated = !terminated && t + 1 == horizon;
    learner.observe(r, next, terminated, truncated, env_steps);
    if (terminated) {
      out.terminated = true;
      break;
    }
    if (learner.updating()) {
      out.rollout_full = t + 1 < horizon;
      break;
    }
  }
  return out;
}

}  // namespace dynalab
