#include "core/planning/sampling_planner.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/rng.h"

namespace dynalab {

SamplingPlanner::SamplingPlanner(int horizon, Vec low, Vec high)
    : TrajectoryOptimizer(horizon, std::move(low), std::move(high)) {
  init_std_.assign(action_dim_, 1.0f);
  std_.resize(mean_.size());
}

void SamplingPlanner::reset() {
  TrajectoryOptimizer::reset();
  for (int t = 0; t < horizon_; ++t)
    for (int d = 0; d < action_dim_; ++d) std_[size_t(t) * action_dim_ + d] = init_std_[d];
}

void SamplingPlanner::shift(int k) {
  if (k <= 0) return;
  TrajectoryOptimizer::shift(k);
  // The spread is re-opened every replan (as in PETS/mbrl-lib).
  for (size_t i = 0; i < std_.size(); ++i) std_[i] = init_std_[i % action_dim_];
}

void SamplingPlanner::start_replan() {
  has_best_ = false;
  best_return_ = -std::numeric_limits<double>::infinity();
  const int P = population(), HA = horizon_ * action_dim_;
  if (actions_.rows() != P || actions_.cols() != HA) actions_.resize(P, HA);
  if (returns_.size() != P) returns_.resize(P);
  order_.reserve(P);
  elites_.reserve(P);
  best_.resize(HA);
  objectives_.clear();
  objectives_.reserve(iterations());
}

void SamplingPlanner::run_iteration(PlanTrace* trace) {
  sample(iteration_, actions_);
  // Each iteration's evaluator noise is its own stream, so iterations see fresh particles.
  const uint64_t noise = Rng::derive(seed_, {uint64_t(iteration_), 0xE7A1ull}).next_u64();
  eval_->evaluate(actions_, horizon_, start_, noise, returns_, trace ? &paths_ : nullptr);
  const int P = population();
  order_.clear();
  for (int i = 0; i < P; ++i) {
    if (!std::isfinite(returns_[i]))
      returns_[i] = -std::numeric_limits<float>::infinity();
    else
      order_.push_back(i);
  }
  // Descending return, ties by index: a total order, so elites never depend on sort details.
  std::sort(order_.begin(), order_.end(), [&](int a, int b) {
    return returns_[a] != returns_[b] ? returns_[a] > returns_[b] : a < b;
  });
  if (!order_.empty() && (!has_best_ || returns_[order_[0]] > best_return_)) {
    has_best_ = true;
    best_return_ = returns_[order_[0]];
    std::copy_n(actions_.row(order_[0]).data(), best_.size(), best_.begin());
  }
  elites_.clear();
  const double objective = update(actions_, returns_, order_, elites_);
  objectives_.push_back(float(objective));
  if (trace) fill_trace(*trace);
}

void SamplingPlanner::fill_trace(PlanTrace& t) {
  const int P = population(), HA = horizon_ * action_dim_;
  t.horizon = horizon_;
  t.action_dim = action_dim_;
  t.obs_dim = eval_->obs_dim();
  t.candidates = P;
  t.particles = eval_->particles();
  t.iteration = iteration_;
  t.iterations = iterations();
  t.actions.assign(actions_.data(), actions_.data() + size_t(P) * HA);
  t.returns.assign(returns_.data(), returns_.data() + P);
  t.paths = paths_;
  if (t.elites.capacity() < size_t(P)) t.elites.reserve(P);  // the elite count varies (MPPI)
  t.elites = elites_;
  choose(trace_choice_);
  t.plan = trace_choice_.plan;
  t.mean = mean_;
  t.stddev = std_;
  t.objective_per_iteration = objectives_;
}

void SamplingPlanner::choose(PlanResult& r) {
  r.valid = has_best_;
  if (has_best_) {
    r.plan.assign(best_.begin(), best_.end());
    r.predicted_return = best_return_;
  } else {  // nothing finite was ever seen: fall back to the clamped mean
    r.plan.resize(mean_.size());
    for (size_t i = 0; i < mean_.size(); ++i) r.plan[i] = clamp(mean_[i], int(i % action_dim_));
    r.predicted_return = -std::numeric_limits<double>::infinity();
  }
}

float SamplingPlanner::truncated_normal(Rng& rng) {
  // Rejection from a standard normal restricted to [-2, 2] (95% acceptance), as in PETS.
  for (;;) {
    const double z = rng.normal();
    if (z >= -2.0 && z <= 2.0) return float(z);
  }
}

void SamplingPlanner::sample_gaussian(int iteration, ActionBatch& actions, bool truncated) const {
  const int A = action_dim_, HA = horizon_ * A;
  fill_chunked(iteration, actions, [&](Rng& rng, float* row) {
    for (int j = 0; j < HA; ++j)
      row[j] = clamp(mean_[j] + std_[j] * (truncated ? truncated_normal(rng) : float(rng.normal())), j % A);
  });
}

}  // namespace dynalab
