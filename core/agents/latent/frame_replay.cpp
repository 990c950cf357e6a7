#include "core/agents/latent/frame_replay.h"

#include <cmath>
#include <stdexcept>

namespace dynalab {

void FrameReplay::begin_episode(const Vec& obs) {
  obs_starts_.push_back(int64_t(obs_.size()) / obs_dim_);
  starts_.push_back(steps());
  terminated_.push_back(0);
  for (int i = 0; i < obs_dim_; ++i) obs_.push_back(float(obs[i]));
}

void FrameReplay::add(const Vec& action, double reward, const Vec& next_obs, bool terminated) {
  if (starts_.empty()) throw std::logic_error("FrameReplay::add before begin_episode");
  if (terminated_.back()) throw std::logic_error("FrameReplay::add after the episode terminated");
  terminated_.back() = terminated ? 1 : 0;
  for (int i = 0; i < action_dim_; ++i) actions_.push_back(float(action[i]));
  rewards_.push_back(reward);
  for (int i = 0; i < obs_dim_; ++i) obs_.push_back(float(next_obs[i]));
}

namespace {
// Steps of episode e of a replay with `starts` and `total` steps.
int64_t episode_steps(const std::vector<int64_t>& starts, size_t e, int64_t total) {
  return (e + 1 < starts.size() ? starts[e + 1] : total) - starts[e];
}
}  // namespace

int64_t FrameReplay::sequences_in(size_t e, int K, bool absorbing) const {
  const int64_t T = episode_steps(starts_, e, steps());
  return absorbing && terminated_[e] ? T + 1 : std::max<int64_t>(0, T - K + 1);
}

int64_t FrameReplay::sequences(int K, bool absorbing) const {
  int64_t n = 0;
  for (size_t e = 0; e < starts_.size(); ++e) n += sequences_in(e, K, absorbing);
  return n;
}

LatentModel::Batch FrameReplay::sample(int n, int K, Rng& rng, double reward_shift, double reward_scale,
                                       bool absorbing) const {
  const int64_t total = sequences(K, absorbing);
  if (total <= 0) throw std::logic_error("FrameReplay::sample: no sequence of that length");
  LatentModel::Batch b;
  b.obs.assign(size_t(K) + 1, LatentModel::Mat(n, obs_dim_));
  b.actions.assign(size_t(K), LatentModel::Mat(n, action_dim_));
  b.rewards.assign(size_t(K), LatentModel::Mat(n, 1));
  for (int i = 0; i < n; ++i) {
    int64_t pick = int64_t(rng.below(uint64_t(total)));
    size_t e = 0;
    for (;; ++e) {  // the episode holding sequence number `pick`
      const int64_t here = sequences_in(e, K, absorbing);
      if (pick < here) break;
      pick -= here;
    }
    // Steps past the episode's last one (pick + k >= T) are its absorbing state.
    const int64_t T = episode_steps(starts_, e, steps());
    const int64_t step = starts_[e] + pick, row = obs_starts_[e] + pick;
    for (int k = 0; k <= K; ++k)
      b.obs[size_t(k)].row(i) =
          Eigen::Map<const Eigen::RowVectorXf>(obs_.data() + (row + std::min<int64_t>(k, T - pick)) * obs_dim_, obs_dim_);
    for (int k = 0; k < K; ++k) {
      if (pick + k < T) {
        b.actions[size_t(k)].row(i) =
            Eigen::Map<const Eigen::RowVectorXf>(actions_.data() + (step + k) * action_dim_, action_dim_);
        b.rewards[size_t(k)](i, 0) = float((rewards_[size_t(step + k)] - reward_shift) / reward_scale);
      } else {
        for (int d = 0; d < action_dim_; ++d) b.actions[size_t(k)](i, d) = float(rng.uniform(-1, 1));
        b.rewards[size_t(k)](i, 0) = float((0 - reward_shift) / reward_scale);
      }
    }
  }
  return b;
}

std::pair<double, double> FrameReplay::reward_moments() const {
  if (rewards_.empty()) return {0.0, 1.0};
  double mean = 0;
  for (double r : rewards_) mean += r;
  mean /= double(rewards_.size());
  double var = 0;
  for (double r : rewards_) var += (r - mean) * (r - mean);
  const double sd = std::sqrt(var / double(rewards_.size()));
  return {mean, sd > 1e-12 ? sd : 1.0};
}

LatentModel::Mat FrameReplay::observations(int max_rows) const {
  const int64_t rows = int64_t(obs_.size()) / obs_dim_;
  const int64_t n = std::min<int64_t>(rows, max_rows);
  LatentModel::Mat out(n, obs_dim_);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t r = i * rows / n;
    for (int j = 0; j < obs_dim_; ++j) out(i, j) = obs_[size_t(r * obs_dim_ + j)];
  }
  return out;
}

Eigen::RowVectorXf FrameReplay::mean_frame(int frame_dim) const {
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(frame_dim);  // double: 10^4 rows of float
  const int64_t rows = int64_t(obs_.size()) / obs_dim_;
  for (int64_t r = 0; r < rows; ++r)
    sum += Eigen::Map<const Eigen::RowVectorXf>(obs_.data() + (r + 1) * obs_dim_ - frame_dim, frame_dim).cast<double>();
  return rows > 0 ? Eigen::RowVectorXf((sum / double(rows)).cast<float>()) : Eigen::RowVectorXf(sum.cast<float>());
}

}  // namespace dynalab
