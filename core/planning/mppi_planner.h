#pragma once
// Model predictive path integral control (Williams et al. 2017; mbrl-lib's MPPIOptimizer without
// noise smoothing): each iteration perturbs the current mean with normal noise of std
// `noise_std` (clipped to the action bounds), weights every candidate by exp((R - R_max) / lambda)
// and moves the mean to the weighted average. Small lambda approaches "take the best"; large
// lambda averages everything. The spread stays fixed; the mean is warm-started like CEM's.

#include "core/config.h"
#include "core/planning/sampling_planner.h"

namespace dynalab {

struct MppiConfig {
  int population = 200;    ///< candidates per iteration
  int iterations = 3;      ///< iterations per replan
  double lambda = 1.0;     ///< temperature of the exponential weights (return units)
  double noise_std = 0.5;  ///< perturbation std as a fraction of half the action range

  template <class V>
  void visit(V& v) {
    v.field("population", population, Range::closed(1, 1e6), Apply::live,
            "candidate sequences per iteration");
    v.field("iterations", iterations, Range::closed(1, 1000), Apply::live,
            "MPPI iterations per replan");
    v.field("lambda", lambda, Range::positive(), Apply::live,
            "temperature of the weights exp((R - Rmax) / lambda)");
    v.field("noise_std", noise_std, Range::positive(), Apply::live,
            "perturbation std as a fraction of half the action range");
  }
};

class MppiPlanner : public SamplingPlanner {
 public:
  /// MPPI over `horizon` steps with actions in [low, high].
  MppiPlanner(const MppiConfig& cfg, int horizon, Vec low, Vec high);
  int iterations() const override { return cfg_.iterations; }
  int population() const override { return cfg_.population; }
  const char* name() const override { return "mppi"; }
  /// MPPI weights every candidate; the trace highlights those weighted above the average.
  std::string elites_name() const override { return "weighted above average"; }
  std::string iteration_name() const override { return "MPPI iteration"; }

 protected:
  void sample(int iteration, ActionBatch& actions) override;
  double update(const ActionBatch& actions, const Eigen::VectorXf& returns,
                const std::vector<int>& order, std::vector<int>& elites) override;
  void choose(PlanResult& result) override;

 private:
  MppiConfig cfg_;
  std::vector<double> weights_, acc_;
  double last_objective_ = 0;
};

}  // namespace dynalab
