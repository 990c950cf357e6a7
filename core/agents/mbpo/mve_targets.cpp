#include "core/agents/mbpo/mve_targets.h"

#include <stdexcept>

#include "core/planning/policy_rollout.h"

namespace dynalab {

void mve_targets(const ModelStepper& stepper, SacLearner& learner, const ReplayBatch& batch,
                 int horizon, double gamma, const std::function<Vec(const Vec&)>& to_env,
                 uint64_t seed, MveTargets& out) {
  if (horizon < 1 || stepper.rows_per_group() != 1)
    throw std::invalid_argument("mve_targets: horizon >= 1 and one row per group");
  const Eigen::Index n = batch.obs.rows(), obs_dim = batch.obs.cols(), a_dim = batch.actions.cols();
  const float g = float(gamma);
  std::vector<Mlp::Mat> unit;  // the policy's (-1, 1) actions per step: the critics' inputs
  const BatchPolicy policy = [&](const RowMatrixXf& states, RowMatrixXf& actions) {
    unit.push_back(learner.sample_actions(states));
    const Mlp::Mat& u = unit.back();
    for (Eigen::Index r = 0; r < u.rows(); ++r)
      actions.row(r) = to_env(u.row(r).transpose().cast<double>()).transpose().cast<float>();
  };
  const RowMatrixXf starts = batch.next_obs;
  const PolicyRollout roll = policy_rollout(stepper, starts, horizon, policy, seed);

  // G_t backwards from the bootstrap; a row that ended keeps its value from the ending step.
  std::vector<Mlp::Mat> G(size_t(horizon) + 1);
  G[size_t(horizon)] = learner.soft_target_value(roll.states[size_t(horizon)]);
  for (int t = horizon - 1; t >= 0; --t)
    G[size_t(t)] = (roll.rewards.col(t).array() +
                    g * (1.0f - roll.terminated.col(t).array()) * G[size_t(t) + 1].array())
                       .matrix();

  // Which imagined rows are real imagined transitions: the row still ran, and its start s' was
  // not a terminal state.
  int64_t m = n;
  for (Eigen::Index r = 0; r < n; ++r)
    for (int t = 0; t < horizon; ++t) m += batch.dones(r, 0) == 0 && roll.alive(r, t) != 0;
  out.x.resize(m, obs_dim + a_dim);
  out.y.resize(m, 1);
  out.x.topRows(n).leftCols(obs_dim) = batch.obs;
  out.x.topRows(n).rightCols(a_dim) = batch.actions;
  out.y.topRows(n) =
      (batch.rewards.array() + g * (1.0f - batch.dones.array()) * G[0].array()).matrix();
  Eigen::Index row = n;
  for (int t = 0; t < horizon; ++t)
    for (Eigen::Index r = 0; r < n; ++r) {
      if (batch.dones(r, 0) != 0 || roll.alive(r, t) == 0) continue;
      out.x.row(row).head(obs_dim) = roll.states[size_t(t)].row(r);
      out.x.row(row).tail(a_dim) = unit[size_t(t)].row(r);
      out.y(row, 0) = G[size_t(t)](r, 0);
      ++row;
    }
  out.imagined_rows = m - n;
}

}  // namespace dynalab
