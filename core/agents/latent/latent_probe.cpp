#include "core/agents/latent/latent_probe.h"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>


namespace dynalab {

LatentModel::Mat HeldOutFrames::all_obs() const {
  Eigen::Index n = 0;
  for (const auto& o : obs) n += o.rows();
  LatentModel::Mat out(n, obs.empty() ? 0 : obs[0].cols());
  n = 0;
  for (const auto& o : obs) out.middleRows(n, o.rows()) = o, n += o.rows();
  return out;
}

Eigen::MatrixXd HeldOutFrames::all_truth() const {
  Eigen::Index n = 0;
  for (const auto& t : truth) n += t.rows();
  Eigen::MatrixXd out(n, truth.empty() ? 0 : truth[0].cols());
  n = 0;
  for (const auto& t : truth) out.middleRows(n, t.rows()) = t, n += t.rows();
  return out;
}

HeldOutFrames collect_held_out(const Env& pixels_env, int rollouts, int steps, Rng& rng) {
  std::unique_ptr<Env> env = pixels_env.clone();
  const std::optional<PixelLayout> pixels = env->pixel_layout();
  if (!pixels) throw std::invalid_argument("collect_held_out: expected a pixels env");
  const Space as = env->action_space();
  HeldOutFrames h;
  for (int r = 0; r < rollouts; ++r) {
    Vec obs = env->reset(rng.next_u64());
    std::vector<Vec> o{obs}, truth{pixels->true_observation()}, acts;
    std::vector<double> rewards;
    for (int t = 0; t < steps; ++t) {
      Vec a(as.dim());
      for (int d = 0; d < as.dim(); ++d) a[d] = rng.uniform(as.low[d], as.high[d]);
      const StepResult s = env->step(a);
      acts.push_back(a);
      rewards.push_back(s.reward);
      o.push_back(s.obs);
      truth.push_back(pixels->true_observation());
      if (s.terminated || s.truncated) break;
    }
    const int T = int(acts.size());
    LatentModel::Mat O(T + 1, o[0].size()), A(T, as.dim());
    Eigen::MatrixXd Y(T + 1, truth[0].size());
    for (int t = 0; t <= T; ++t) O.row(t) = o[size_t(t)].cast<float>().transpose(), Y.row(t) = truth[size_t(t)].transpose();
    for (int t = 0; t < T; ++t) A.row(t) = acts[size_t(t)].cast<float>().transpose();
    h.obs.push_back(O), h.actions.push_back(UnitActions(as.low, as.high)(A)), h.truth.push_back(Y);
    h.rewards.push_back(Eigen::Map<const Eigen::VectorXd>(rewards.data(), T));
  }
  return h;
}

Eigen::VectorXd linear_probe_r2_per_target(const Eigen::MatrixXd& X_raw, const Eigen::MatrixXd& Y, double ridge) {
  const Eigen::Index n = X_raw.rows(), train = (n + 1) / 2, test = n / 2;
  if (test < 2) throw std::invalid_argument("linear_probe_r2: at least 4 rows");
  // Each column standardised first, so the penalty means the same for a latent of any scale (an
  // untrained encoder's tiny z would otherwise be shrunk to nothing by the ridge alone).
  const Eigen::RowVectorXd mean = X_raw.colwise().mean();
  Eigen::MatrixXd X = X_raw.rowwise() - mean;
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    const double sd = std::sqrt(X.col(j).squaredNorm() / double(n));
    X.col(j) /= sd > 1e-12 ? sd : 1.0;
  }
  Eigen::MatrixXd Xa(train, X.cols() + 1), Ya(train, Y.cols()), Xt(test, X.cols() + 1), Yt(test, Y.cols());
  for (Eigen::Index i = 0; i < n; ++i) {
    auto& xs = i % 2 == 0 ? Xa : Xt;
    auto& ys = i % 2 == 0 ? Ya : Yt;
    xs.row(i / 2) << X.row(i), 1.0;
    ys.row(i / 2) = Y.row(i);
  }
  Eigen::MatrixXd G = Xa.transpose() * Xa;
  G.diagonal().head(X.cols()).array() += ridge * double(train);
  const Eigen::MatrixXd W = G.ldlt().solve(Xa.transpose() * Ya);
  const Eigen::MatrixXd residual = Yt - Xt * W;
  Eigen::VectorXd r2(Y.cols());
  for (Eigen::Index j = 0; j < Y.cols(); ++j) {
    const double total = (Yt.col(j).array() - Yt.col(j).mean()).square().sum();
    r2[j] = 1 - residual.col(j).squaredNorm() / std::max(total, 1e-12);
  }
  return r2;
}

double linear_probe_r2(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y, double ridge) {
  return linear_probe_r2_per_target(X, Y, ridge).mean();
}

double reward_r2(const LatentModel& model, const HeldOutFrames& h, double reward_shift, double reward_scale) {
  double residual = 0, total = 0, sum = 0;
  long n = 0;
  for (const auto& r : h.rewards) sum += r.sum(), n += r.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();  // nothing measured is not a perfect head
  const double mean = sum / double(n);
  for (size_t i = 0; i < h.obs.size(); ++i) {
    const Eigen::Index T = h.actions[i].rows();
    if (T == 0) continue;
    LatentModel::Mat z_next, r;
    model.step(model.encode(h.obs[i].topRows(T)), h.actions[i], z_next, r);
    const Eigen::VectorXd predicted = reward_shift + reward_scale * r.col(0).cast<double>().array();
    residual += (predicted - h.rewards[i]).squaredNorm();
    total += (h.rewards[i].array() - mean).square().sum();
  }
  return 1 - residual / std::max(total, 1e-12);
}

void k_step_errors(const LatentModel& model, const HeldOutFrames& h, int K, std::vector<double>& model_error,
                   std::vector<double>& repeat) {
  model_error.assign(size_t(K), 0.0);
  repeat.assign(size_t(K), 0.0);
  const int F = model.frame_dim();
  long starts = 0;
  for (size_t r = 0; r < h.obs.size(); ++r) {
    const Eigen::Index T = h.actions[r].rows(), n = T - K + 1;
    if (n <= 0) continue;
    starts += n;
    LatentModel::Mat z = model.encode(h.obs[r].topRows(n)), z_next, reward;
    const LatentModel::Mat last = h.obs[r].topRows(n).rightCols(F);
    for (int k = 1; k <= K; ++k) {
      model.step(z, h.actions[r].middleRows(k - 1, n), z_next, reward);
      z.swap(z_next);
      const LatentModel::Mat real = h.obs[r].middleRows(k, n).rightCols(F);
      model_error[size_t(k - 1)] += double((model.decode(z) - real).squaredNorm());
      repeat[size_t(k - 1)] += double((last - real).squaredNorm());
    }
  }
  // No rollout with K further steps (episodes shorter than K): nothing measured, which is NaN,
  // not the 0 of a perfect model.
  for (int k = 0; k < K; ++k) {
    model_error[size_t(k)] = starts > 0 ? model_error[size_t(k)] / (double(starts) * F) : std::numeric_limits<double>::quiet_NaN();
    repeat[size_t(k)] = starts > 0 ? repeat[size_t(k)] / (double(starts) * F) : std::numeric_limits<double>::quiet_NaN();
  }
}

Eigen::MatrixXd principal_plane(const Eigen::MatrixXd& X) {
  const Eigen::MatrixXd C = X.rowwise() - X.colwise().mean();
  if (X.cols() <= 2) {
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(X.rows(), 2);
    out.leftCols(X.cols()) = C;
    return out;
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C.transpose() * C);
  // Eigenvalues ascend: the last two columns are the leading components.
  return C * eig.eigenvectors().rightCols(2).rowwise().reverse();
}

}  // namespace dynalab
