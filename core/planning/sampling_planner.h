#pragma once
// The common shape of the sampling planners (random shooting, CEM, MPPI): each iteration draws
// a population of action sequences, scores them with a SequenceEvaluator and refines a sampling
// distribution over H x A actions (mean() and stddev()).
//
// Determinism: every sample of iteration i, candidate chunk c comes from
// Rng::derive(seed, {i, c}); evaluators are thread-count independent by contract, so the same
// seed gives the same plan however many threads the evaluator uses.
// Allocation: buffers are sized on the first replan and reused afterwards.

#include <algorithm>
#include <vector>

#include "core/planning/trajectory_optimizer.h"
#include "core/rng.h"

namespace dynalab {

/// Candidates drawn from one derived Rng stream (the "chunk" of the determinism rule).
inline constexpr int kPlannerChunk = 64;

class SamplingPlanner : public TrajectoryOptimizer {
 public:
  /// A planner over `horizon` steps of actions bounded by [low, high] (per action dimension).
  SamplingPlanner(int horizon, Vec low, Vec high);

  /// Shifts the mean (see TrajectoryOptimizer::shift) and resets the spread to the initial one.
  void shift(int k) override;
  /// Mean and spread back to their initial values.
  void reset() override;

  /// Candidates per iteration.
  virtual int population() const = 0;

  /// Current sampling spread, H x A time-major (what the next replan starts from).
  const std::vector<float>& stddev() const override { return std_; }
  /// Sets the sampling mean and spread (H x A each), e.g. a warm start restored from a session.
  void set_distribution(const std::vector<float>& mean, const std::vector<float>& stddev) override {
    mean_ = mean;
    std_ = stddev;
  }

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
  void choose(PlanResult& result) override;
  /// A standard normal draw truncated to [-2, 2] by rejection (PETS' truncated normal).
  static float truncated_normal(Rng& rng);
  /// Fills `actions` with mean_ + std_ * noise, clipped to the bounds; the noise is a normal
  /// truncated to +-2 (CEM) or plain (MPPI). Candidate chunks draw from
  /// Rng::derive(seed_, {iteration, chunk}), so the result does not depend on thread count.
  void sample_gaussian(int iteration, ActionBatch& actions, bool truncated) const;
  /// Calls fill(rng, row) for every candidate row (H*A floats) of `actions`, in order; the rows
  /// of chunk c (kPlannerChunk candidates) share Rng::derive(seed_, {iteration, c}).
  template <class F>
  void fill_chunked(int iteration, ActionBatch& actions, F fill) const {
    const int P = int(actions.rows());
    for (int c0 = 0; c0 < P; c0 += kPlannerChunk) {
      Rng rng = Rng::derive(seed_, {uint64_t(iteration), uint64_t(c0 / kPlannerChunk)});
      const int c1 = std::min(P, c0 + kPlannerChunk);
      for (int i = c0; i < c1; ++i) fill(rng, actions.row(i).data());
    }
  }

  std::vector<float> std_;
  std::vector<float> init_std_;  ///< set by the derived class
  std::vector<float> best_;      ///< best candidate seen in this replan
  double best_return_ = 0;
  bool has_best_ = false;

 private:
  void start_replan() override;
  void run_iteration(PlanTrace* trace) override;
  void fill_trace(PlanTrace& trace);

  ActionBatch actions_;
  Eigen::VectorXf returns_;
  std::vector<float> paths_;
  std::vector<int> order_, elites_;
  std::vector<float> objectives_;
  PlanResult trace_choice_;
};

}  // namespace dynalab
