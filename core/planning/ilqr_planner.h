#pragma once
// iLQR as an MPC trajectory optimizer (Li & Todorov 2004; Tassa, Erez & Todorov 2012, who run it
// as receding-horizon MPC): the nominal action sequence mean() is the warm start, and each
// iteration of a replan is one iLQR iteration around it (core/planning/ilqr.h: a backward pass
// with mu regularisation, then a forward pass with a backtracking line search). The cost is
// -r(x, u, f(x, u)) (IlqrRewardCost), with f and r the evaluator's derivatives
// (SequenceEvaluator::differentiable_dynamics / differentiable_reward): the oracle's true env
// (finite differences through the simulator) or a learned model's elite mean. An evaluator
// without them is an InputError naming planner.optimizer (check_evaluator, at make_planner with
// the evaluator or at begin()).
//
// Action bounds: clamped in the forward pass (IlqrOptions::u_low / u_high), not squashed. The
// rolled-out and returned actions are then exactly what the env executes (inside the box it
// clips to), the point mass stays an LQ problem (one iteration is the LQR solution: the
// exactness test), and a torque held at its bound (the pendulum swing-up's bang-bang pumping)
// keeps its full effect, where tanh squashing would flatten the gradient to ~0 exactly there.
// The cost of clamping: the backward pass does not know the box, so a step that saturates gets
// less than the LQ model expected; the line search's accept test absorbs that (box-constrained
// DDP, Tassa, Mansard & Todorov 2014, would solve a QP per step instead). The clamp box is the
// bounds pulled in by a small margin (set_bounds): on the bound itself the env's clipping and
// clamped reward have a kink that central differences straddle.
//
// Warm start and shift as for the sampling planners (TrajectoryOptimizer::shift: the executed
// actions drop off, the tail restarts at the middle of the bounds); mu restarts at mu_init every
// replan. A replan without a warm start (the nominal still all middle: an episode's first) is a
// cold start: it runs cold_start_iterations instead of iterations, and with constant_starts
// begins from the cheapest of the sequences held at the middle, the lower or the upper bound
// (iLQR only improves its start locally). No spread (stddev() empty) and no randomness: the plan
// depends on the start and the warm start only. The trace (population 1): the nominal sequence after the iteration as the one
// candidate, its predicted path (H + 1 observations under f) and return (-cost), the predicted
// return after each iteration as the objective; no elites.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/planning/ilqr.h"
#include "core/planning/ilqr_reward_cost.h"
#include "core/planning/trajectory_optimizer.h"

namespace dynalab {

/// The planner section's fields for optimizer "ilqr"; names as in anassinator/ilqr and Tassa et
/// al. 2012 (mu, its schedule's factor Delta_0, the line search's alpha_k = 1.1^(-k^2)).
struct IlqrConfig {
  /// One nominal sequence per iteration (what PlannerConfig::population() reports).
  static constexpr int population = 1;
  int iterations = 5;              ///< iLQR iterations per warm-started replan (fewer if converged)
  int cold_start_iterations = 50;  ///< iterations without a warm start (an episode's first replan)
  bool constant_starts = true;     ///< a cold start also tries the sequences held at either bound
  double mu_init = 1.0;            ///< regularisation of the first backward pass of a replan
  double mu_min = 1e-6;            ///< mu below this becomes 0
  double mu_max = 1e10;            ///< the replan stops once mu would pass this
  double mu_factor = 2.0;          ///< Delta_0: mu's growth / shrink factor schedule
  int line_search_steps = 10;      ///< step sizes tried: alpha_k = 1.1^(-k^2), k = 0 .. steps - 1
  double accept_ratio = 0.1;       ///< accept a step when actual / expected reduction exceeds it
  double tolerance = 1e-6;         ///< converged when a step gains less than this fraction of the cost

  template <class V>
  void visit(V& v) {
    v.field("iterations", iterations, Range::closed(1, 1000), Apply::live,
            "iLQR iterations per warm-started replan (fewer if it converges)");
    v.field("cold_start_iterations", cold_start_iterations, Range::closed(1, 1000), Apply::live,
            "iLQR iterations of a replan without a warm start (an episode's first)");
    v.field("constant_starts", constant_starts, Apply::live,
            "a cold start begins from the cheapest of the sequences held at the middle, the lower "
            "or the upper bound");
    v.field("mu_init", mu_init, Range::at_least(0), Apply::live,
            "regularisation mu of a replan's first backward pass (Tassa et al. 2012)");
    v.field("mu_min", mu_min, Range::positive(), Apply::live, "mu below this becomes 0");
    v.field("mu_max", mu_max, Range::positive(), Apply::live,
            "a replan stops once mu would exceed this");
    v.field("mu_factor", mu_factor, Range{1, 1e6, true, false}, Apply::live,
            "Delta_0: mu's growth / shrink factor");
    v.field("line_search_steps", line_search_steps, Range::closed(1, 100), Apply::live,
            "step sizes tried, alpha_k = 1.1^(-k^2) for k = 0 .. steps - 1");
    v.field("accept_ratio", accept_ratio, Range{0, 1, false, true}, Apply::live,
            "accept a step when actual / expected cost reduction exceeds this");
    v.field("tolerance", tolerance, Range::at_least(0), Apply::live,
            "converged when a step improves the cost by less than this fraction");
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (mu_max < mu_min)
        v.fail("mu_max", "at least mu_min (" + std::to_string(mu_min) + "), got " +
                             std::to_string(mu_max));
  }
};

class IlqrPlanner : public TrajectoryOptimizer {
 public:
  /// iLQR over `horizon` steps with actions in [low, high].
  IlqrPlanner(const IlqrConfig& cfg, int horizon, Vec low, Vec high);
  /// The most iterations a replan runs (a cold start's or a warm one's).
  int iterations() const override { return std::max(cfg_.iterations, cfg_.cold_start_iterations); }
  /// This replan's iterations ran (cold_start_iterations without a warm start, else
  /// iterations), or the solver converged or gave up (mu > mu_max).
  bool done() const override;
  const char* name() const override { return "ilqr"; }
  std::string elites_name() const override { return "none (iLQR refines one nominal sequence)"; }
  std::string iteration_name() const override { return "iLQR iteration"; }
  bool needs_derivatives() const override { return true; }

  const IlqrConfig& config() const { return cfg_; }
  /// The solver options the config maps to (bounds, mu schedule, alphas).
  const IlqrOptions& options() const { return options_; }
  /// The current (or last) replan's trajectory and per-iteration records; null before the
  /// first replan.
  const IlqrResult* last_result() const { return solver_ ? &solver_->result() : nullptr; }

 protected:
  void start_replan() override;
  void run_iteration(PlanTrace* trace) override;
  void choose(PlanResult& result) override;

 private:
  void fill_trace(PlanTrace& trace) const;
  /// True if the nominal sequence is the initial one (reset(): the middle of the bounds at
  /// every step), i.e. no warm start. A function of the sequence alone, so a restored session
  /// decides as the original did.
  bool cold_start() const;
  /// options_.u_low / u_high: the action bounds pulled in by twice the widest finite-difference
  /// offset of f and r, at most a tenth of the range.
  void set_bounds(const DifferentiableDynamics& f, const DifferentiableReward& r);
  /// The iteration limit of the current replan.
  int replan_iterations() const;

  IlqrConfig cfg_;
  IlqrOptions options_;
  std::unique_ptr<IlqrRewardCost> cost_;
  std::unique_ptr<IlqrSolver> solver_;
  std::vector<float> objectives_;  // predicted return after each iteration of the replan
  bool replan_cold_ = false;       // the current replan started without a warm start
};

}  // namespace dynalab
