#include "core/planning/ilqr_planner.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dynalab {

IlqrPlanner::IlqrPlanner(const IlqrConfig& cfg, int horizon, Vec low, Vec high)
    : TrajectoryOptimizer(horizon, std::move(low), std::move(high)), cfg_(cfg) {
  options_.max_iterations = iterations();
  options_.tolerance = cfg_.tolerance;
  options_.mu_init = cfg_.mu_init;
  options_.mu_min = cfg_.mu_min;
  options_.mu_max = cfg_.mu_max;
  options_.mu_factor = cfg_.mu_factor;
  options_.accept_ratio = cfg_.accept_ratio;
  options_.alphas.clear();
  for (int k = 0; k < cfg_.line_search_steps; ++k)
    options_.alphas.push_back(std::pow(1.1, -double(k) * k));
  options_.u_low.resize(action_dim_);  // set per replan (set_bounds)
  options_.u_high.resize(action_dim_);
  reset();
}

void IlqrPlanner::set_bounds(const DifferentiableDynamics& f, const DifferentiableReward& r) {
  // The box the solver clamps to: the action bounds pulled in by twice the widest offset a
  // finite difference takes from the nominal action (the dynamics' step, or two of the reward's
  // for its Hessian, a difference of differences). The env clips its action and its closed-form
  // reward clamps it too (Pendulum::reward): both have a kink exactly at the bound, and a
  // difference around an action on the bound straddles it (half of B, and a reward Hessian of
  // ~1/h that made Quu indefinite on every saturated step). Inside the margin every difference
  // sees the smooth interior. The pendulum loses 0.002 of its 2 N m; an unbounded dimension
  // (+-FLT_MAX) stays unbounded; the margin is at most a tenth of the range.
  const double offset = std::max(f.fd_step, 2 * r.fd_step);
  for (int d = 0; d < action_dim_; ++d) {
    const double lo = low_[d], hi = high_[d], range = hi - lo;
    const bool bounded = std::isfinite(range) && range < 1e30;
    const double margin = bounded ? std::min(0.1 * range, 2 * offset) : 0.0;
    options_.u_low[d] = lo + margin;
    options_.u_high[d] = hi - margin;
  }
}

bool IlqrPlanner::cold_start() const {
  for (size_t i = 0; i < mean_.size(); ++i)
    if (mean_[i] != initial_mean(int(i % action_dim_))) return false;
  return true;
}

int IlqrPlanner::replan_iterations() const {
  return replan_cold_ ? cfg_.cold_start_iterations : cfg_.iterations;
}

bool IlqrPlanner::done() const {
  return iteration_ >= replan_iterations() || (solver_ && solver_->finished());
}

void IlqrPlanner::start_replan() {
  // begin() has checked the evaluator (check_evaluator): both derivatives exist and fit.
  const DifferentiableDynamics& f = *eval_->differentiable_dynamics();
  const DifferentiableReward& r = *eval_->differentiable_reward();
  cost_ = std::make_unique<IlqrRewardCost>(r, f);
  set_bounds(f, r);
  solver_ = std::make_unique<IlqrSolver>(f, *cost_, options_);
  std::vector<Vec> U0(horizon_, Vec(action_dim_));
  for (int t = 0; t < horizon_; ++t)
    for (int d = 0; d < action_dim_; ++d) U0[t][d] = mean_[size_t(t) * action_dim_ + d];
  replan_cold_ = cold_start();
  if (replan_cold_ && cfg_.constant_starts) {
    // Without a warm start, iLQR only improves the middle of the bounds locally (on the
    // pendulum it let a pole it could have pushed back fall the other way): also hold every
    // action at its lower bound, or at its upper bound, for the whole horizon, and start from
    // whichever of the three sequences costs least (two extra rollouts).
    double best = rollout_cost(f, *cost_, start_, U0);
    for (const Vec* bound : {&options_.u_low, &options_.u_high}) {
      std::vector<Vec> U(horizon_, *bound);
      const double c = rollout_cost(f, *cost_, start_, U);
      if (c < best) best = c, U0 = std::move(U);
    }
  }
  solver_->begin(start_, std::move(U0));
  objectives_.clear();
}

void IlqrPlanner::run_iteration(PlanTrace* trace) {
  solver_->iterate();
  const IlqrResult& r = solver_->result();
  for (int t = 0; t < horizon_; ++t)
    for (int d = 0; d < action_dim_; ++d)
      mean_[size_t(t) * action_dim_ + d] = clamp(float(r.U[t][d]), d);
  objectives_.push_back(std::isfinite(r.cost) ? float(-r.cost)
                                              : -std::numeric_limits<float>::infinity());
  if (trace) fill_trace(*trace);
}

void IlqrPlanner::fill_trace(PlanTrace& t) const {
  const IlqrResult& r = solver_->result();
  const int O = eval_->obs_dim();
  t.horizon = horizon_;
  t.action_dim = action_dim_;
  t.obs_dim = O;
  t.candidates = 1;
  t.particles = 1;
  t.iteration = iteration_;
  t.iterations = replan_iterations();
  t.actions = mean_;
  t.returns.assign(1, objectives_.back());
  t.paths.resize(size_t(horizon_ + 1) * O);
  for (int s = 0; s <= horizon_; ++s)
    for (int d = 0; d < O; ++d) t.paths[size_t(s) * O + d] = float(r.X[s][d]);
  t.elites.clear();
  t.plan = mean_;
  t.mean = mean_;
  t.stddev.clear();  // no spread
  t.objective_per_iteration = objectives_;
}

void IlqrPlanner::choose(PlanResult& result) {
  const double cost = solver_ ? solver_->result().cost : std::nan("");
  result.valid = std::isfinite(cost);
  result.plan.resize(mean_.size());
  for (size_t i = 0; i < mean_.size(); ++i) result.plan[i] = clamp(mean_[i], int(i % action_dim_));
  result.predicted_return = result.valid ? -cost : -std::numeric_limits<double>::infinity();
}

}  // namespace dynalab
