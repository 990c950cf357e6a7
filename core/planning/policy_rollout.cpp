#include "core/planning/policy_rollout.h"

#include <stdexcept>

namespace dynalab {

PolicyRollout policy_rollout(const ModelStepper& stepper, const RowMatrixXf& starts, int horizon,
                             const BatchPolicy& policy, uint64_t seed) {
  const DynamicsModel& model = stepper.model();
  if (horizon < 0) throw std::invalid_argument("policy_rollout: horizon must be >= 0");
  if (starts.cols() != model.obs_dim())
    throw std::invalid_argument("policy_rollout: starts must have obs_dim columns");
  if (!policy) throw std::invalid_argument("policy_rollout: no policy");
  const long K = stepper.rows_per_group(), N = starts.rows(), n = N * K;
  ModelStepper::Batch b;
  stepper.begin(b, 0, int(N), seed);
  for (long s = 0; s < N; ++s) b.states.middleRows(s * K, K).rowwise() = starts.row(s);

  PolicyRollout out;
  out.states.reserve(horizon + 1);
  out.actions.reserve(horizon);
  out.rewards.resize(n, horizon);
  out.terminated.resize(n, horizon);
  out.alive.resize(n, horizon);
  out.members.setConstant(n, horizon, -1);
  const std::vector<int>& el = model.rollout_members();
  const std::string& mode = stepper.config().propagation;
  const bool one_member = mode == "ts1" || mode == "tsinf";
  out.returns.setZero(n);
  out.states.push_back(b.states);
  for (int t = 0; t < horizon; ++t) {
    policy(b.states, b.actions);
    if (b.actions.rows() != n || b.actions.cols() != model.action_dim())
      throw std::invalid_argument("policy_rollout: the policy changed the actions' shape");
    out.actions.push_back(b.actions);
    stepper.step(b);
    if (one_member)
      for (long i = 0; i < n; ++i) out.members(i, t) = el[size_t(b.members()[size_t(i)])];
    out.states.push_back(b.states);
    out.rewards.col(t) = b.reward;
    out.terminated.col(t) = b.done.cwiseProduct(b.was_alive);  // ended in this very step
    out.alive.col(t) = b.was_alive;
    out.returns += b.reward;  // in step order, as ModelEnv sums a particle's return
  }
  return out;
}

}  // namespace dynalab
