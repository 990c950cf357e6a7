#include "core/planning/random_shooting.h"

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace dynalab {

RandomShootingPlanner::RandomShootingPlanner(const RandomShootingConfig& cfg, int horizon, Vec low,
                                             Vec high)
    : SamplingPlanner(horizon, std::move(low), std::move(high)), cfg_(cfg) {
  // The trace's mean/std describe the uniform distribution (std of U(a, b) is (b - a) / sqrt(12)).
  for (int d = 0; d < action_dim_; ++d) {
    const bool bounded = low_[d] > -1e30f && high_[d] < 1e30f;
    init_std_[d] = bounded ? (high_[d] - low_[d]) / std::sqrt(12.0f) : 1.0f;
  }
  reset();
}

void RandomShootingPlanner::sample(int iteration, ActionBatch& actions) {
  const int A = action_dim_;
  fill_chunked(iteration, actions, [&](Rng& rng, float* row) {
    for (int t = 0; t < horizon_; ++t)
      for (int d = 0; d < A; ++d) {
        const bool bounded = low_[d] > -1e30f && high_[d] < 1e30f;
        // Unbounded dimensions fall back to a unit normal around the initial mean.
        row[t * A + d] = bounded ? low_[d] + (high_[d] - low_[d]) * rng.uniform_float()
                                 : init_mean_[d] + float(rng.normal());
      }
  });
}

double RandomShootingPlanner::update(const ActionBatch&, const Eigen::VectorXf& returns,
                                     const std::vector<int>& order, std::vector<int>& elites) {
  const size_t k = std::min<size_t>(order.size(), size_t(cfg_.shown_elites));
  elites.assign(order.begin(), order.begin() + k);
  return order.empty() ? std::nan("") : double(returns[order[0]]);
}

}  // namespace dynalab
