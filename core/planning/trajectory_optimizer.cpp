#include "core/planning/trajectory_optimizer.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/gradients/differentiable_dynamics.h"
#include "core/io/input_error.h"

namespace dynalab {

Vec PlanResult::action(int t, int action_dim) const {
  Vec a(action_dim);
  for (int d = 0; d < action_dim; ++d) a[d] = plan[size_t(t) * action_dim + d];
  return a;
}

TrajectoryOptimizer::TrajectoryOptimizer(int horizon, Vec low, Vec high)
    : horizon_(horizon), action_dim_(int(low.size())) {
  if (horizon < 1) throw std::invalid_argument("Planner: horizon must be >= 1");
  if (low.size() != high.size() || low.size() == 0)
    throw std::invalid_argument("Planner: bad action bounds");
  low_.resize(action_dim_);
  high_.resize(action_dim_);
  init_mean_.resize(action_dim_);
  for (int d = 0; d < action_dim_; ++d) {
    // Unbounded dimensions are clamped to the float range, i.e. not at all.
    low_[d] = std::isfinite(low[d]) ? float(low[d]) : -std::numeric_limits<float>::max();
    high_[d] = std::isfinite(high[d]) ? float(high[d]) : std::numeric_limits<float>::max();
    init_mean_[d] =
        std::isfinite(low[d]) && std::isfinite(high[d]) ? float(0.5 * (low[d] + high[d])) : 0.0f;
  }
  mean_.resize(size_t(horizon_) * action_dim_);
}

void TrajectoryOptimizer::reset() {
  for (int t = 0; t < horizon_; ++t)
    for (int d = 0; d < action_dim_; ++d) mean_[size_t(t) * action_dim_ + d] = init_mean_[d];
}

void TrajectoryOptimizer::shift(int k) {
  if (k <= 0) return;
  const int A = action_dim_;
  for (int t = 0; t < horizon_; ++t)
    for (int d = 0; d < A; ++d)
      mean_[size_t(t) * A + d] = t + k < horizon_ ? mean_[size_t(t + k) * A + d] : init_mean_[d];
}

void TrajectoryOptimizer::check_evaluator(SequenceEvaluator& eval) const {
  if (eval.action_dim() != action_dim_)
    throw std::invalid_argument("Planner: evaluator action_dim differs from the planner's");
  if (!needs_derivatives()) return;
  const std::string head = std::string("planner.optimizer: \"") + name() +
                           "\" needs the derivatives of the dynamics and the reward, ";
  const DifferentiableDynamics* f = eval.differentiable_dynamics();
  if (!f)
    throw InputError(head + "and these dynamics have none (the oracle needs an env that can be "
                            "put at an observation, Env::set_observation; a learned model needs "
                            "input Jacobians); choose a sampling optimizer (cem, mppi, "
                            "random_shooting)");
  if (!eval.differentiable_reward())
    throw InputError(head + "and this reward has none (it needs the env's closed-form reward, "
                            "Env::reward, not a learned one: model.learn_reward=false); choose a "
                            "sampling optimizer (cem, mppi, random_shooting)");
  if (f->state_dim() != eval.obs_dim() || f->action_dim() != action_dim_)
    throw std::invalid_argument("Planner: the evaluator's differentiable dynamics are " +
                                std::to_string(f->state_dim()) + " x " +
                                std::to_string(f->action_dim()) + ", its observations and actions " +
                                std::to_string(eval.obs_dim()) + " x " + std::to_string(action_dim_));
}

void TrajectoryOptimizer::begin(SequenceEvaluator& eval, const Vec& start, uint64_t seed) {
  check_evaluator(eval);
  eval_ = &eval;
  start_ = start;
  seed_ = seed;
  iteration_ = 0;
  start_replan();
  active_ = true;
}

bool TrajectoryOptimizer::iterate_once(PlanTrace* trace) {
  if (!active_) throw std::logic_error("TrajectoryOptimizer::iterate_once before begin()");
  if (done()) return false;
  run_iteration(trace);
  ++iteration_;
  return !done();
}

const PlanResult& TrajectoryOptimizer::finish() {
  if (!active_) throw std::logic_error("TrajectoryOptimizer::finish before begin()");
  while (!done()) iterate_once(nullptr);
  choose(result_);
  result_.iterations = iteration_;
  active_ = false;
  return result_;
}

PlanResult TrajectoryOptimizer::plan(SequenceEvaluator& eval, const Vec& start, uint64_t seed,
                                     PlanTrace* trace, const IterationCallback& cb) {
  begin(eval, start, seed);
  PlanTrace* t = trace ? trace : (cb ? &scratch_ : nullptr);
  while (!done()) {
    iterate_once(t);
    if (cb) cb(*t);
  }
  return finish();
}

}  // namespace dynalab
