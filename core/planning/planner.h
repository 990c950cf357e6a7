#pragma once
// The common shape of the sampling planners (random shooting, CEM, MPPI): each replan draws
// populations of action sequences, scores them with a SequenceEvaluator and refines a sampling
// distribution over H x A actions. A replan can run at once (plan()) or one iteration at a time
// (begin() / iterate_once() / finish()), so an experiment tick can be one CEM iteration and a
// lesson can show each iteration's PlanTrace.
//
// Determinism: every sample of iteration i, candidate chunk c comes from
// Rng::derive(seed, {i, c}); evaluators are thread-count independent by contract, so the same
// seed gives the same plan however many threads the evaluator uses.
// Allocation: buffers are sized on the first replan and reused afterwards.

#include <functional>
#include <vector>

#include "core/planning/plan_trace.h"
#include "core/planning/sequence_evaluator.h"

namespace dynalab {

class Rng;

/// Candidates drawn from one derived Rng stream (the "chunk" of the determinism rule).
inline constexpr int kPlannerChunk = 64;

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

class Planner {
 public:
  /// A planner over `horizon` steps of actions bounded by [low, high] (per action dimension).
  Planner(int horizon, Vec low, Vec high);
  virtual ~Planner() = default;

  /// Runs a whole replan from `start` and returns the chosen plan. If `trace` is set it holds the
  /// last iteration afterwards; `cb` is called after every iteration with that iteration's trace.
  PlanResult plan(SequenceEvaluator& eval, const Vec& start, uint64_t seed, PlanTrace* trace,
                  const IterationCallback& cb = {});

  /// Step API. Starts a replan (the distribution keeps its warm start).
  void begin(SequenceEvaluator& eval, const Vec& start, uint64_t seed);
  /// Runs one iteration of the current replan, filling `trace` if given. Returns true while
  /// more iterations remain.
  bool iterate_once(PlanTrace* trace);
  /// True once the current replan has run all its iterations.
  bool done() const { return iteration_ >= iterations(); }
  /// True between begin() and finish().
  bool in_progress() const { return active_; }
  /// Ends the replan (running any remaining iterations untraced) and returns the chosen plan
  /// (a reference to a member buffer, valid until the next finish(); no allocation after the
  /// first).
  const PlanResult& finish();

  /// Abandons the current replan without choosing a plan (e.g. the episode ended).
  void cancel() { active_ = false; }

  /// Warm start: shifts the sampling mean by k steps (the k executed actions drop off the front,
  /// the tail is refilled with the initial mean) and resets the spread to the initial one.
  virtual void shift(int k);
  /// Forgets the warm start: mean and spread back to their initial values.
  virtual void reset();

  /// Iterations per replan.
  virtual int iterations() const = 0;
  /// Candidates per iteration.
  virtual int population() const = 0;
  virtual const char* kind() const = 0;

  int horizon() const { return horizon_; }
  int action_dim() const { return action_dim_; }
  /// Current sampling mean and spread, H x A time-major (what the next replan starts from).
  const std::vector<float>& mean() const { return mean_; }
  const std::vector<float>& stddev() const { return std_; }
  /// Sets the sampling mean and spread (H x A each), e.g. a warm start restored from a session.
  void set_distribution(const std::vector<float>& mean, const std::vector<float>& stddev) {
    mean_ = mean;
    std_ = stddev;
  }
  /// Iterations run in the current replan.
  int iterations_done() const { return iteration_; }

 protected:
  /// Fills `actions` (population() x H*A) for `iteration`, drawing from Rng::derive(seed_,
  /// {iteration, chunk}).
  virtual void sample(int iteration, ActionBatch& actions) = 0;
  /// Updates mean_/std_ from the scored candidates (non-finite returns are already -inf and
  /// `order` lists candidates by descending return with the -inf ones excluded). Fills `elites`
  /// (ids highlighted in the trace) and returns the iteration's objective.
  virtual double update(const ActionBatch& actions, const Eigen::VectorXf& returns,
                        const std::vector<int>& order, std::vector<int>& elites) = 0;
  /// The plan chosen at the end of a replan; default: the best candidate seen.
  virtual void choose(PlanResult& result);
  /// Initial per-dimension mean (the middle of the bounds, or 0 if unbounded).
  float initial_mean(int d) const { return init_mean_[d]; }
  /// A standard normal draw truncated to [-2, 2] by rejection (PETS' truncated normal).
  static float truncated_normal(Rng& rng);
  /// Fills `actions` with mean_ + std_ * noise, clipped to the bounds; the noise is a normal
  /// truncated to +-2 (CEM) or plain (MPPI). Candidate chunks draw from
  /// Rng::derive(seed_, {iteration, chunk}), so the result does not depend on thread count.
  void sample_gaussian(int iteration, ActionBatch& actions, bool truncated) const;
  /// Clamps x into the bounds of action dimension d.
  float clamp(float x, int d) const {
    return x < low_[d] ? low_[d] : (x > high_[d] ? high_[d] : x);
  }

  int horizon_, action_dim_;
  std::vector<float> low_, high_, init_mean_;
  std::vector<float> mean_, std_;
  std::vector<float> init_std_;  ///< set by the derived class
  uint64_t seed_ = 0;
  int iteration_ = 0;
  std::vector<float> best_;  ///< best candidate seen in this replan
  double best_return_ = 0;
  bool has_best_ = false;

 private:
  void fill_trace(PlanTrace& trace);

  SequenceEvaluator* eval_ = nullptr;
  Vec start_;
  bool active_ = false;
  ActionBatch actions_;
  Eigen::VectorXf returns_;
  std::vector<float> paths_;
  std::vector<int> order_, elites_;
  std::vector<float> objectives_;
  PlanTrace scratch_;
  PlanResult result_, trace_choice_;  // trace for callbacks when the caller passed none
};

}  // namespace dynalab
