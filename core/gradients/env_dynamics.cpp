#include "core/gradients/env_dynamics.h"

#include <stdexcept>

namespace dynalab {

EnvDynamics::EnvDynamics(const Env& env, double h)
    : clone_(env.clone()),
      obs_dim_(env.observation_space().dim()),
      action_dim_(env.action_space().dim()) {
  fd_step = h;
  const Vec x = Vec::Zero(obs_dim_), u = Vec::Zero(action_dim_);
  Eigen::MatrixXd A, B;
  exact_ = env.dynamics_jacobians(x, u, A, B);
  if (!clone_->set_observation(x))
    throw std::invalid_argument("env '" + env.name() +
                                "' cannot be put at an observation (Env::set_observation), so "
                                "its dynamics cannot be differentiated");
}

Vec EnvDynamics::step(const Vec& x, const Vec& u) const {
  clone_->set_observation(x);
  return clone_->step(u).obs;
}

void EnvDynamics::jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A,
                            Eigen::MatrixXd& B) const {
  if (!exact_ || !clone_->dynamics_jacobians(x, u, A, B))
    finite_difference_jacobians(*this, x, u, fd_step, A, B);
}

EnvReward::EnvReward(const Env& env) : env_(env) {
  const Vec s = Vec::Zero(env.observation_space().dim()), a = Vec::Zero(env.action_space().dim());
  if (!env.reward(s, a, s))
    throw std::invalid_argument("env '" + env.name() + "' has no closed-form reward");
}

double EnvReward::reward(const Vec& s, const Vec& a, const Vec& s_next) const {
  return *env_.reward(s, a, s_next);
}

}  // namespace dynalab
