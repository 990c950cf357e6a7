#include "core/planning/cem_planner.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/rng.h"

namespace dynalab {

namespace {
/// Half the width of dimension d's bounds, or 1 if it is unbounded.
float half_range(float lo, float hi) { return lo > -1e30f && hi < 1e30f ? 0.5f * (hi - lo) : 1.0f; }
}  // namespace

CemPlanner::CemPlanner(const CemConfig& cfg, int horizon, Vec low, Vec high)
    : SamplingPlanner(horizon, std::move(low), std::move(high)), cfg_(cfg) {
  if (cfg_.elites > cfg_.population) throw std::invalid_argument("CemPlanner: elites > population");
  min_std_.resize(action_dim_);
  for (int d = 0; d < action_dim_; ++d) {
    init_std_[d] = float(cfg_.initial_std) * half_range(low_[d], high_[d]);
    min_std_[d] = float(cfg_.min_std) * half_range(low_[d], high_[d]);
  }
  sum_.resize(size_t(horizon_) * action_dim_);
  sum_sq_.resize(sum_.size());
  reset();
}

void CemPlanner::sample(int iteration, ActionBatch& actions) {
  sample_gaussian(iteration, actions, /*truncated=*/true);
}

double CemPlanner::update(const ActionBatch& actions, const Eigen::VectorXf& returns,
                          const std::vector<int>& order, std::vector<int>& elites) {
  const size_t k = std::min<size_t>(order.size(), size_t(cfg_.elites));
  elites.assign(order.begin(), order.begin() + k);
  if (k == 0) return last_objective_ = std::nan("");  // nothing finite: keep the distribution
  const int A = action_dim_, HA = horizon_ * A;
  std::fill(sum_.begin(), sum_.end(), 0.0);
  std::fill(sum_sq_.begin(), sum_sq_.end(), 0.0);
  double objective = 0;
  for (size_t e = 0; e < k; ++e) {
    const float* row = actions.row(elites[e]).data();
    for (int j = 0; j < HA; ++j) {
      sum_[j] += row[j];
      sum_sq_[j] += double(row[j]) * row[j];
    }
    objective += returns[elites[e]];
  }
  const double a = cfg_.alpha;
  for (int j = 0; j < HA; ++j) {
    const double m = sum_[j] / double(k);
    const double var = std::max(0.0, sum_sq_[j] / double(k) - m * m);
    const double old_var = double(std_[j]) * std_[j];
    mean_[j] = float(a * mean_[j] + (1 - a) * m);
    std_[j] = std::max(float(std::sqrt(a * old_var + (1 - a) * var)), min_std_[j % A]);
  }
  return last_objective_ = objective / double(k);  // the elite-mean return
}

void CemPlanner::choose(PlanResult& r) {
  if (!cfg_.return_mean) return SamplingPlanner::choose(r);
  SamplingPlanner::choose(r);  // validity from the best candidate seen
  r.plan.resize(mean_.size());
  for (size_t i = 0; i < mean_.size(); ++i) r.plan[i] = clamp(mean_[i], int(i % action_dim_));
  // The mean itself was not evaluated; report the last elite-mean return as its prediction.
  if (r.valid) r.predicted_return = last_objective_;
}

}  // namespace dynalab
