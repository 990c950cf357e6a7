#include "core/planning/env_functions.h"

namespace dynalab {

namespace {

/// Applies an env's closed-form function of (s, a, s') to every row of a batch, writing
/// out[i] = f(s, a, s'). Rows are converted to the env's double vectors in per-thread buffers
/// (rollouts call this from their worker threads).
template <class F>
void for_each_transition(const Eigen::Ref<const RowMatrixXf>& obs,
                         const Eigen::Ref<const RowMatrixXf>& act,
                         const Eigen::Ref<const RowMatrixXf>& next, Eigen::Ref<Eigen::VectorXf> out,
                         F f) {
  thread_local Vec s, a, s2;
  for (Eigen::Index i = 0; i < obs.rows(); ++i) {
    s = obs.row(i).transpose().cast<double>();
    a = act.row(i).transpose().cast<double>();
    s2 = next.row(i).transpose().cast<double>();
    out[i] = static_cast<float>(f(s, a, s2));
  }
}

}  // namespace

BatchRewardFn env_reward(const Env& env) {
  return [&env](const auto& obs, const auto& act, const auto& next, Eigen::Ref<Eigen::VectorXf> r) {
    for_each_transition(obs, act, next, r,
                        [&env](const Vec& s, const Vec& a, const Vec& s2) { return *env.reward(s, a, s2); });
  };
}

BatchTerminationFn env_termination(const Env& env) {
  return [&env](const auto& obs, const auto& act, const auto& next, Eigen::Ref<Eigen::VectorXf> d) {
    for_each_transition(obs, act, next, d, [&env](const Vec& s, const Vec& a, const Vec& s2) {
      return *env.terminated(s, a, s2) ? 1.0 : 0.0;
    });
  };
}

}  // namespace dynalab
