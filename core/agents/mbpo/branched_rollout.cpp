#include "core/agents/mbpo/branched_rollout.h"

#include <algorithm>
#include <stdexcept>

#include "core/planning/policy_rollout.h"
#include "core/rng.h"

namespace dynalab {

namespace {
// The first `count` rollouts of `out` as the view draws them: each up to its last live step.
std::vector<BranchedRolloutView::Rollout> rollout_sample(const PolicyRollout& out,
                                                         Eigen::Index count) {
  std::vector<BranchedRolloutView::Rollout> sample(size_t(std::max<Eigen::Index>(count, 0)));
  const int horizon = int(out.states.size()) - 1;
  for (Eigen::Index r = 0; r < count; ++r) {
    BranchedRolloutView::Rollout& ro = sample[size_t(r)];
    ro.states.push_back(out.states[0].row(r).transpose().cast<double>());
    for (int t = 0; t < horizon && out.alive(r, t) != 0; ++t) {
      ro.states.push_back(out.states[t + 1].row(r).transpose().cast<double>());
      ro.members.push_back(out.members(r, t));
      ro.terminated = out.terminated(r, t) != 0;
    }
  }
  return sample;
}
}  // namespace

int rollout_horizon(const std::vector<int>& schedule, int64_t x) {
  if (schedule.size() != 4) throw std::invalid_argument("rollout_horizon: schedule needs 4 values");
  const double min_x = schedule[0], max_x = schedule[1], min_y = schedule[2], max_y = schedule[3];
  if (double(x) <= min_x) return int(min_y);
  if (double(x) >= max_x) return int(max_y);
  const double y = min_y + (double(x) - min_x) / (max_x - min_x) * (max_y - min_y);
  return int(y);  // mbrl-lib: int(truncated_linear(...))
}

BranchedRolloutStats branched_rollout(const ModelStepper& stepper, const ReplayBuffer& real, int n,
                                      int horizon, SacLearner& learner,
                                      const std::function<Vec(const Vec&)>& to_env, Rng& rng,
                                      uint64_t seed, ReplayBuffer& model,
                                      std::vector<BranchedRolloutView::Rollout>* sample,
                                      int sample_size) {
  if (stepper.rows_per_group() != 1)
    throw std::invalid_argument("branched_rollout: the stepper needs one particle per rollout");
  if (real.size() == 0 || n < 1 || horizon < 1)
    throw std::invalid_argument("branched_rollout: needs real data, n >= 1 and horizon >= 1");
  // Start states: real observations only (the branch points of MBPO's figure 1).
  ReplayBatch starts;
  real.sample(n, rng, starts);
  const RowMatrixXf s0 = starts.obs;

  // The policy's own (-1, 1) actions of every step, kept for the buffer; the model sees them in
  // env units, as it was fit on the env's actions.
  std::vector<Mlp::Mat> unit;
  unit.reserve(size_t(horizon));
  const BatchPolicy policy = [&](const RowMatrixXf& states, RowMatrixXf& actions) {
    unit.push_back(learner.sample_actions(states));
    const Mlp::Mat& u = unit.back();
    for (Eigen::Index r = 0; r < u.rows(); ++r)
      actions.row(r) = to_env(u.row(r).transpose().cast<double>()).transpose().cast<float>();
  };
  const PolicyRollout out = policy_rollout(stepper, s0, horizon, policy, seed);

  BranchedRolloutStats stats;
  for (int t = 0; t < horizon; ++t)
    for (Eigen::Index r = 0; r < s0.rows(); ++r) {
      if (out.alive(r, t) == 0) continue;  // ended at an earlier step
      model.add(out.states[t].row(r).transpose().cast<double>(),
                unit[t].row(r).transpose().cast<double>(), out.rewards(r, t),
                out.states[t + 1].row(r).transpose().cast<double>(), out.terminated(r, t) != 0);
      ++stats.transitions;
      if (out.terminated(r, t) != 0 && t + 1 < horizon) ++stats.terminated;
    }
  if (sample) *sample = rollout_sample(out, std::min<Eigen::Index>(s0.rows(), sample_size));
  return stats;
}

}  // namespace dynalab
