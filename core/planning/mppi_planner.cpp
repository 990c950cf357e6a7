#include "core/planning/mppi_planner.h"

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace dynalab {

MppiPlanner::MppiPlanner(const MppiConfig& cfg, int horizon, Vec low, Vec high)
    : SamplingPlanner(horizon, std::move(low), std::move(high)), cfg_(cfg) {
  for (int d = 0; d < action_dim_; ++d) {
    const bool bounded = low_[d] > -1e30f && high_[d] < 1e30f;
    init_std_[d] = float(cfg_.noise_std) * (bounded ? 0.5f * (high_[d] - low_[d]) : 1.0f);
  }
  weights_.resize(cfg_.population);
  acc_.resize(size_t(horizon_) * action_dim_);
  reset();
}

void MppiPlanner::sample(int iteration, ActionBatch& actions) {
  // Plain normal noise, then clipped to the bounds (MPPI's weights need no truncation).
  sample_gaussian(iteration, actions, /*truncated=*/false);
}

double MppiPlanner::update(const ActionBatch& actions, const Eigen::VectorXf& returns,
                           const std::vector<int>& order, std::vector<int>& elites) {
  if (order.empty()) return last_objective_ = std::nan("");
  const double best = returns[order[0]];
  double total = 0, objective = 0;
  for (int i : order) {  // -inf candidates are not in `order`, so they get no weight
    weights_[i] = std::exp((double(returns[i]) - best) / cfg_.lambda);
    total += weights_[i];
  }
  const int HA = horizon_ * action_dim_;
  std::fill(acc_.begin(), acc_.end(), 0.0);
  for (int i : order) {
    const double w = weights_[i] / total;
    const float* row = actions.row(i).data();
    for (int j = 0; j < HA; ++j) acc_[j] += w * row[j];
    objective += w * returns[i];
    // Show the candidates that carry more weight than a uniform share.
    if (w * double(order.size()) >= 1.0) elites.push_back(i);
  }
  for (int j = 0; j < HA; ++j) mean_[j] = float(acc_[j]);
  return last_objective_ = objective;  // the weighted mean return
}

void MppiPlanner::choose(PlanResult& r) {
  SamplingPlanner::choose(r);
  r.plan.resize(mean_.size());
  for (size_t i = 0; i < mean_.size(); ++i) r.plan[i] = clamp(mean_[i], int(i % action_dim_));
  if (r.valid) r.predicted_return = last_objective_;
}

}  // namespace dynalab
