#include "core/planning/oracle_evaluator.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace dynalab {

OracleEvaluator::OracleEvaluator(const Env& env, int threads)
    : obs_dim_(env.observation_space().dim()), action_dim_(env.action_space().dim()) {
  if (threads < 1 || threads > 2)
    throw std::invalid_argument("OracleEvaluator: threads must be 1 or 2");
  for (int t = 0; t < threads; ++t) clones_.push_back(env.clone());
  state_ = env.get_state();
  synced_ = true;
}

void OracleEvaluator::make_derivatives() {
  if (derivatives_made_) return;
  derivatives_made_ = true;
  const Env& env = *clones_[0];
  const Vec probe = Vec::Zero(obs_dim_), no_action = Vec::Zero(action_dim_);
  if (env.clone()->set_observation(probe)) dynamics_ = std::make_unique<EnvDynamics>(env);
  if (env.reward(probe, no_action, probe)) {
    reward_env_ = env.clone();
    reward_ = std::make_unique<EnvReward>(*reward_env_);
  }
}

const DifferentiableDynamics* OracleEvaluator::differentiable_dynamics() {
  make_derivatives();
  return dynamics_.get();
}

const DifferentiableReward* OracleEvaluator::differentiable_reward() {
  make_derivatives();
  return reward_.get();
}

void OracleEvaluator::sync(const Env& real) {
  state_ = real.get_state();
  synced_ = true;
}

void OracleEvaluator::run_range(int worker, const ActionBatch& actions, int horizon,
                                const Vec& start, int i0, int i1, Eigen::VectorXf& returns,
                                std::vector<float>* paths) {
  Env& env = *clones_[worker];
  const int A = action_dim_, O = obs_dim_;
  const size_t path_len = size_t(horizon + 1) * O;
  Vec a(A);
  for (int i = i0; i < i1; ++i) {
    env.set_state(state_);
    float* path = paths ? paths->data() + size_t(i) * path_len : nullptr;
    if (path)
      for (int d = 0; d < O; ++d) path[d] = float(start[d]);
    double ret = 0;
    bool ended = false;
    const float* row = actions.row(i).data();
    for (int t = 0; t < horizon; ++t) {
      if (!ended) {
        for (int d = 0; d < A; ++d) a[d] = row[t * A + d];
        const StepResult r = env.step(a);
        ret += r.reward;
        ended = r.terminated;
        if (path)
          for (int d = 0; d < O; ++d) path[(t + 1) * O + d] = float(r.obs[d]);
      } else if (path) {  // the path ends at the terminal state (ModelEnv does the same)
        for (int d = 0; d < O; ++d) path[(t + 1) * O + d] = std::numeric_limits<float>::quiet_NaN();
      }
    }
    returns[i] = std::isfinite(ret) ? float(ret) : -std::numeric_limits<float>::infinity();
  }
}

void OracleEvaluator::evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t,
                               Eigen::VectorXf& returns, std::vector<float>* paths) {
  if (!synced_) throw std::logic_error("OracleEvaluator::evaluate before sync()");
  if (actions.cols() != horizon * action_dim_)
    throw std::invalid_argument("OracleEvaluator: bad action batch width");
  const int P = int(actions.rows());
  if (returns.size() != P) returns.resize(P);
  if (paths) paths->resize(size_t(P) * (horizon + 1) * obs_dim_);
  env_steps_ += int64_t(P) * horizon;
  if (clones_.size() == 1 || P < 2) {
    run_range(0, actions, horizon, start, 0, P, returns, paths);
    return;
  }
  const int half = P / 2;
  std::thread other([&] { run_range(1, actions, horizon, start, half, P, returns, paths); });
  run_range(0, actions, horizon, start, 0, half, returns, paths);
  other.join();
}

}  // namespace dynalab
