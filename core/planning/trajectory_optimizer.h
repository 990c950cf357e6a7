#pragma once
// TrajectoryOptimizer: what the agent asks of any action-sequence optimiser over a horizon of H
// steps. A replan runs at once (plan()) or one iteration at a time (begin() / iterate_once() /
// finish()), so an experiment tick can be one iteration and a lesson can show each iteration's
// PlanTrace. Between replans the optimiser keeps a warm start: a nominal action sequence
// (mean(), H x A) that shift() moves forward by the executed steps.
//
// The sampling planners (random shooting, CEM, MPPI) derive from SamplingPlanner, which adds a
// sampled population and its spread (stddev()). A gradient-based optimiser (iLQR, shooting with
// the model's input Jacobians, DynamicsModel::input_jacobian) derives from this class directly:
// its iteration is a backward and a forward pass around the nominal sequence, it has no spread
// (stddev() empty), and it needs the evaluator's derivatives (needs_derivatives(); see
// SequenceEvaluator::differentiable_dynamics). IlqrPlanner (ilqr_planner.h) is one.

#include <functional>
#include <string>
#include <vector>

#include "core/planning/plan_trace.h"
#include "core/planning/sequence_evaluator.h"

namespace dynalab {

struct PlanResult {
  std::vector<float> plan;  ///< H x A, time-major: the chosen action sequence
  double predicted_return =
      0;               ///< the evaluator's return for the chosen plan (or the best candidate)
  int iterations = 0;  ///< iterations run
  bool valid = false;  ///< false if no candidate ever had a finite return
  /// Action at step t of the plan as a Vec of size A.
  Vec action(int t, int action_dim) const;
};

/// Called after every iteration with that iteration's trace (PlanTrace::iteration says which).
using IterationCallback = std::function<void(const PlanTrace&)>;

class TrajectoryOptimizer {
 public:
  /// An optimiser over `horizon` steps of actions bounded by [low, high] (per action dimension).
  TrajectoryOptimizer(int horizon, Vec low, Vec high);
  virtual ~TrajectoryOptimizer() = default;

  /// Runs a whole replan from `start` and returns the chosen plan. If `trace` is set it holds the
  /// last iteration afterwards; `cb` is called after every iteration with that iteration's trace.
  PlanResult plan(SequenceEvaluator& eval, const Vec& start, uint64_t seed, PlanTrace* trace,
                  const IterationCallback& cb = {});

  /// Step API. Starts a replan from `start` (the warm start is kept); randomness from `seed`.
  /// Throws what check_evaluator() throws for an evaluator this optimiser cannot use.
  void begin(SequenceEvaluator& eval, const Vec& start, uint64_t seed);
  /// Throws std::invalid_argument if `eval`'s action_dim differs from the planner's, and
  /// InputError naming planner.optimizer if the optimiser needs derivatives the evaluator does
  /// not offer (differentiable_dynamics() / differentiable_reward() null, or sized differently).
  void check_evaluator(SequenceEvaluator& eval) const;
  /// True if the optimiser needs the evaluator's derivatives (gradient-based: iLQR).
  virtual bool needs_derivatives() const { return false; }
  /// Runs one iteration of the current replan, filling `trace` if given. Returns true while
  /// more iterations remain.
  bool iterate_once(PlanTrace* trace);
  /// True once the current replan needs no more iterations (default: all iterations() ran).
  virtual bool done() const { return iteration_ >= iterations(); }
  /// True between begin() and finish().
  bool in_progress() const { return active_; }
  /// Ends the replan (running any remaining iterations untraced) and returns the chosen plan
  /// (a reference to a member buffer, valid until the next finish(); no allocation after the
  /// first).
  const PlanResult& finish();
  /// Abandons the current replan without choosing a plan (e.g. the episode ended).
  void cancel() { active_ = false; }

  /// Warm start: shifts the nominal sequence by k steps (the k executed actions drop off the
  /// front, the tail is refilled with the initial mean).
  virtual void shift(int k);
  /// Forgets the warm start: the nominal sequence back to the initial mean.
  virtual void reset();

  /// Iterations per replan (at most, if done() can stop early).
  virtual int iterations() const = 0;
  /// The optimiser's name in the planner table ("cem", ...).
  virtual const char* name() const = 0;
  /// What the trace's highlighted candidates (PlanTrace::elites) are, in this planner's own
  /// words, for legends and panels: CEM's "elites", random shooting's "best 10 guesses".
  virtual std::string elites_name() const { return "best candidates"; }
  /// What one iteration of a replan is called ("CEM iteration"); empty for a planner that does
  /// not iterate (random shooting), so no view counts iterations it does not have.
  virtual std::string iteration_name() const { return std::string(name()) + " iteration"; }

  int horizon() const { return horizon_; }
  int action_dim() const { return action_dim_; }
  /// The nominal sequence (a sampling distribution's mean), H x A time-major: the warm start the
  /// next replan begins from.
  const std::vector<float>& mean() const { return mean_; }
  /// The sampling spread, H x A; empty for an optimiser without one.
  virtual const std::vector<float>& stddev() const { return no_spread_; }
  /// Sets the warm start (H x A each; `stddev` ignored without a spread), e.g. restored from a
  /// session.
  virtual void set_distribution(const std::vector<float>& mean, const std::vector<float>& stddev) {
    (void)stddev;
    mean_ = mean;
  }
  /// Iterations run in the current replan.
  int iterations_done() const { return iteration_; }

 protected:
  /// Prepares the buffers of a replan (called by begin() once eval_, start_ and seed_ are set).
  virtual void start_replan() = 0;
  /// One iteration number iteration_ (begin() counts them), filling `trace` if given.
  virtual void run_iteration(PlanTrace* trace) = 0;
  /// The plan chosen at the end of a replan.
  virtual void choose(PlanResult& result) = 0;
  /// Initial per-dimension mean (the middle of the bounds, or 0 if unbounded).
  float initial_mean(int d) const { return init_mean_[d]; }
  /// Clamps x into the bounds of action dimension d.
  float clamp(float x, int d) const {
    return x < low_[d] ? low_[d] : (x > high_[d] ? high_[d] : x);
  }

  int horizon_, action_dim_;
  std::vector<float> low_, high_, init_mean_;
  std::vector<float> mean_;  ///< H x A, the nominal sequence
  SequenceEvaluator* eval_ = nullptr;
  Vec start_;
  uint64_t seed_ = 0;
  int iteration_ = 0;

 private:
  bool active_ = false;
  std::vector<float> no_spread_;
  PlanTrace scratch_;  // trace for callbacks when the caller passed none
  PlanResult result_;
};

}  // namespace dynalab
