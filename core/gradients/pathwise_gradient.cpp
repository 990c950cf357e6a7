#include "core/gradients/pathwise_gradient.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/rng.h"

namespace dynalab {

ActionNoise ActionNoise::draw(int starts, int horizon, int action_dim, double std, Rng& rng) {
  ActionNoise n;
  n.std = std;
  n.eps.assign(size_t(starts), std::vector<Vec>(size_t(horizon), Vec(action_dim)));
  for (auto& start : n.eps)
    for (Vec& e : start)
      for (Eigen::Index d = 0; d < e.size(); ++d) e[d] = rng.normal();
  return n;
}

StateNoise StateNoise::draw(int starts, int horizon, int state_dim, Rng& rng) {
  StateNoise n;
  n.eps.assign(size_t(starts), std::vector<Vec>(size_t(horizon), Vec(state_dim)));
  for (auto& start : n.eps)
    for (Vec& e : start)
      for (Eigen::Index d = 0; d < e.size(); ++d) e[d] = rng.normal();
  return n;
}

namespace {

// True if draws (per start, per step) cover the starts and the horizon with `dim` values each.
bool covers(const std::vector<std::vector<Vec>>& eps, size_t starts, int horizon, Eigen::Index dim) {
  if (eps.size() < starts) return false;
  for (size_t i = 0; i < starts; ++i) {
    if (eps[i].size() < size_t(horizon)) return false;
    for (int t = 0; t < horizon; ++t)
      if (eps[i][size_t(t)].size() != dim) return false;
  }
  return true;
}

// Step t's draws of every start (the batched sample calls take them so).
std::vector<Vec> draws_at(const StateNoise& noise, size_t starts, int t) {
  std::vector<Vec> e(starts);
  for (size_t i = 0; i < starts; ++i) e[i] = noise.eps[i][size_t(t)];
  return e;
}

}  // namespace

void check_rollout_inputs(const char* who, const DifferentiableDynamics& f,
                          const SquashedPolicy& policy, const std::vector<Vec>& starts, int horizon,
                          const ActionNoise* noise, const StateNoise* state_noise) {
  const std::string w = std::string(who) + ": ";
  if (starts.empty()) throw std::invalid_argument(w + "no start states");
  if (horizon < 1) throw std::invalid_argument(w + "horizon must be >= 1");
  if (f.state_dim() != policy.obs_dim() || f.action_dim() != policy.action_dim())
    throw std::invalid_argument(w + "the policy's dimensions are not the model's");
  for (const Vec& s : starts)
    if (s.size() != f.state_dim()) throw std::invalid_argument(w + "a start state has the wrong size");
  if (noise && !covers(noise->eps, starts.size(), horizon, f.action_dim()))
    throw std::invalid_argument(w + "the action noise does not cover the starts and the horizon");
  if (state_noise && !covers(state_noise->eps, starts.size(), horizon, f.state_dim()))
    throw std::invalid_argument(w + "the state noise does not cover the starts and the horizon");
}

PathwiseResult pathwise_gradient(const DifferentiableDynamics& f, const DifferentiableReward& r,
                                 const SquashedPolicy& policy, const std::vector<Vec>& starts,
                                 const PathwiseOptions& o) {
  check_rollout_inputs("pathwise_gradient", f, policy, starts, o.horizon, o.action_noise,
                       o.state_noise);
  const int n = int(starts.size()), H = o.horizon, S = f.state_dim(), A = f.action_dim();
  using Mat = SquashedPolicy::Mat;

  // Forward: the whole batch through the policy at each step (one cache per step), each start
  // through the dynamics.
  PathwiseResult out;
  out.states.assign(n, std::vector<Vec>(H + 1));
  out.actions.assign(n, std::vector<Vec>(H));
  std::vector<Mat> obs(H);
  std::vector<SquashedPolicy::Cache> caches(H);
  for (int i = 0; i < n; ++i) out.states[i][0] = starts[i];
  double total = 0;
  // Step t's states and actions of every start, as the batched dynamics calls take them.
  std::vector<std::vector<Vec>> xs(H, std::vector<Vec>(n)), us(H, std::vector<Vec>(n));
  std::vector<Vec> next;
  std::vector<std::vector<Eigen::MatrixXd>> sample_A(o.state_noise ? H : 0), sample_B = sample_A;
  for (int t = 0; t < H; ++t) {
    obs[t].resize(n, S);
    for (int i = 0; i < n; ++i) obs[t].row(i) = out.states[i][t].transpose();
    const Mat a = policy.forward(obs[t], caches[t]);
    for (int i = 0; i < n; ++i) {
      out.actions[i][t] = a.row(i).transpose();
      if (o.action_noise) out.actions[i][t] += o.action_noise->std * o.action_noise->eps[i][t];
      xs[t][i] = out.states[i][t];
      us[t][i] = out.actions[i][t];
    }
    if (o.state_noise)  // the Jacobians in the same pass (kept for the backward one)
      f.sample_batch(xs[t], us[t], draws_at(*o.state_noise, size_t(n), t), next, &sample_A[t],
                     &sample_B[t]);
    else
      f.step_batch(xs[t], us[t], next);
    for (int i = 0; i < n; ++i) {
      out.states[i][t + 1] = next[i];
      total += std::pow(o.gamma, t) * r.reward(out.states[i][t], out.actions[i][t],
                                               out.states[i][t + 1]);
    }
  }
  out.objective = total / n;

  // Backward: lambda per start, the batch's g_t through the policy in one pass per step.
  out.gradient = Eigen::VectorXd::Zero(policy.params().size());
  out.action_sensitivity.assign(n, std::vector<double>(H));
  std::vector<Vec> lambda(n, Vec::Zero(S));
  Eigen::VectorXd step_grad(policy.params().size());
  std::vector<Eigen::MatrixXd> Fs_t, Fa_t;
  Mat g(n, A), d_obs;
  std::vector<Vec> mu(n);
  // The dynamics' own Jacobians F_s, kept per start and step for ds_H/ds_0 (open loop).
  std::vector<std::vector<Eigen::MatrixXd>> open(o.state_jacobian ? n : 0,
                                                   std::vector<Eigen::MatrixXd>(H));
  for (int t = H - 1; t >= 0; --t) {
    if (o.state_noise) {
      Fs_t = std::move(sample_A[t]);
      Fa_t = std::move(sample_B[t]);
    } else {
      f.jacobians_batch(xs[t], us[t], Fs_t, Fa_t);
    }
    for (int i = 0; i < n; ++i) {
      const Vec &s = out.states[i][t], &a = out.actions[i][t], &s1 = out.states[i][t + 1];
      const RewardGradient dr = r.gradient(s, a, s1);
      const Eigen::MatrixXd &Fs = Fs_t[i], &Fa = Fa_t[i];
      mu[i] = dr.rn + o.gamma * lambda[i];
      const Vec gi = dr.ra + Fa.transpose() * mu[i];
      g.row(i) = gi.transpose() / n;  // the objective is the batch mean
      out.action_sensitivity[i][t] = gi.norm();
      lambda[i] = dr.rs + Fs.transpose() * mu[i];
      if (o.state_jacobian) open[i][t] = Fs;
    }
    step_grad.setZero();
    policy.backward(obs[t], g, caches[t], &step_grad, &d_obs);
    out.gradient += std::pow(o.gamma, t) * step_grad;
    const bool detach = o.truncation > 0 && t % o.truncation == 0;
    for (int i = 0; i < n; ++i) {
      lambda[i] += n * d_obs.row(i).transpose();  // P_s' g_t (g was scaled by 1/n)
      if (detach) lambda[i].setZero();
    }
  }
  out.gradient_norm = out.gradient.norm();
  if (o.clip_norm > 0 && out.gradient_norm > o.clip_norm) {
    out.gradient *= o.clip_norm / out.gradient_norm;
    out.clipped = true;
  }

  if (o.state_jacobian) {
    out.state_jacobian.assign(n, Eigen::MatrixXd::Identity(S, S));
    for (int i = 0; i < n; ++i)
      for (int t = 0; t < H; ++t) out.state_jacobian[i] = open[i][t] * out.state_jacobian[i];
  }
  return out;
}

double rollout_return(const DifferentiableDynamics& f, const DifferentiableReward& r,
                      const SquashedPolicy& policy, const std::vector<Vec>& starts, int horizon,
                      double gamma, const ActionNoise* noise, const StateNoise* state_noise) {
  check_rollout_inputs("rollout_return", f, policy, starts, horizon, noise, state_noise);
  std::vector<Vec> next;
  double total = 0;
  for (size_t i = 0; i < starts.size(); ++i) {
    Vec s = starts[i];
    for (int t = 0; t < horizon; ++t) {
      Vec a = policy.act(s);
      if (noise) a += noise->std * noise->eps[i][size_t(t)];
      Vec s1;
      if (state_noise) {
        f.sample_batch({s}, {a}, {state_noise->eps[i][size_t(t)]}, next);
        s1 = next[0];
      } else {
        s1 = f.step(s, a);
      }
      total += std::pow(gamma, t) * r.reward(s, a, s1);
      s = s1;
    }
  }
  return total / double(starts.size());
}

}  // namespace dynalab
