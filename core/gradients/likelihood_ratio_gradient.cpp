#include "core/gradients/likelihood_ratio_gradient.h"

#include <cmath>
#include <stdexcept>

namespace dynalab {

LikelihoodRatioResult likelihood_ratio_gradient(
    const DifferentiableDynamics& f, const DifferentiableReward& r, const SquashedPolicy& policy,
    const std::vector<Vec>& starts, const ActionNoise& noise, const LikelihoodRatioOptions& o) {
  check_rollout_inputs("likelihood_ratio_gradient", f, policy, starts, o.horizon, &noise);
  if (!(noise.std > 0))
    throw std::invalid_argument("likelihood_ratio_gradient: the action noise's std must be > 0");
  const int n = int(starts.size()), H = o.horizon, S = f.state_dim(), A = f.action_dim();
  using Mat = SquashedPolicy::Mat;

  // Forward: the batch through the policy at each step (caches kept for the score's backward
  // pass), each start through the model; rewards per start and step.
  std::vector<Mat> obs(H);
  std::vector<SquashedPolicy::Cache> caches(H);
  Eigen::MatrixXd rewards(n, H);
  std::vector<Vec> s(starts), a(starts.size()), s1;
  for (int t = 0; t < H; ++t) {
    obs[t].resize(n, S);
    for (int i = 0; i < n; ++i) obs[t].row(i) = s[i].transpose();
    const Mat mean = policy.forward(obs[t], caches[t]);
    for (int i = 0; i < n; ++i) a[i] = mean.row(i).transpose() + noise.std * noise.eps[i][t];
    f.step_batch(s, a, s1);
    for (int i = 0; i < n; ++i) rewards(i, t) = r.reward(s[i], a[i], s1[i]);
    s.swap(s1);
  }

  // Returns-to-go G_it, backwards.
  Eigen::MatrixXd to_go(n, H);
  Eigen::VectorXd G = Eigen::VectorXd::Zero(n);
  for (int t = H - 1; t >= 0; --t) {
    G = rewards.col(t) + o.gamma * G;
    to_go.col(t) = G;
  }
  LikelihoodRatioResult out;
  out.objective = to_go.col(0).mean();

  // Each step's score terms in one backward pass of the policy: dL/da_it = gamma^t (G_it - b_it)
  // eps_it / std / n.
  out.gradient = Eigen::VectorXd::Zero(policy.params().size());
  Mat d_action(n, A);
  for (int t = 0; t < H; ++t) {
    const double sum = to_go.col(t).sum();
    for (int i = 0; i < n; ++i) {
      const double b = o.baseline && n > 1 ? (sum - to_go(i, t)) / (n - 1) : 0.0;
      const double weight = std::pow(o.gamma, t) * (to_go(i, t) - b) / (noise.std * n);
      d_action.row(i) = weight * noise.eps[i][t].transpose();
    }
    policy.backward(obs[t], d_action, caches[t], &out.gradient, nullptr);
  }
  return out;
}

}  // namespace dynalab
