#pragma once
// The cross-entropy method over action sequences (as in PETS / mbrl-lib): each iteration samples
// `population` sequences from a per-step normal N(mean, std^2), keeps the `elites` best, and
// moves the distribution towards the elites' mean and variance with momentum `alpha`
// (new = alpha * old + (1 - alpha) * elite). Samples are a normal truncated to +-2 std (by
// rejection) and then clipped to the action bounds, so every candidate respects the bounds.
// Warm start: after executing k actions the mean is shifted by k steps (SamplingPlanner::shift).

#include <string>

#include "core/config.h"
#include "core/planning/sampling_planner.h"

namespace dynalab {

struct CemConfig {
  int population = 200;      ///< candidates per iteration
  int elites = 20;           ///< best candidates refitted each iteration (<= population)
  int iterations = 5;        ///< iterations per replan
  double alpha = 0.1;        ///< momentum: weight of the old distribution in each update
  double initial_std = 0.5;  ///< initial std as a fraction of half the action range
  double min_std = 0.0;      ///< floor of the std (fraction of half the range), keeps exploring
  bool return_mean = true;   ///< plan = final mean (true) or the best candidate seen (false)

  template <class V>
  void visit(V& v) {
    v.field("population", population, Range::closed(1, 1e6), Apply::live,
            "candidate sequences per iteration");
    v.field("elites", elites, Range::closed(1, 1e6), Apply::live,
            "best candidates refitted (<= population)");
    v.field("iterations", iterations, Range::closed(1, 1000), Apply::live,
            "CEM iterations per replan");
    v.field("alpha", alpha, Range{0, 1, false, true}, Apply::live,
            "momentum: weight of the old mean/variance");
    v.field("initial_std", initial_std, Range::positive(), Apply::live,
            "initial std as a fraction of half the action range");
    v.field("min_std", min_std, Range::at_least(0), Apply::live,
            "std floor (fraction of half the range)");
    v.field("return_mean", return_mean, Apply::live,
            "plan = final mean (true) or best candidate seen (false)");
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (elites > population)
        v.fail("elites", "at most population (" + std::to_string(population) + "), got " +
                             std::to_string(elites));
  }
};

class CemPlanner : public SamplingPlanner {
 public:
  /// CEM over `horizon` steps with actions in [low, high].
  CemPlanner(const CemConfig& cfg, int horizon, Vec low, Vec high);
  int iterations() const override { return cfg_.iterations; }
  int population() const override { return cfg_.population; }
  const char* name() const override { return "cem"; }
  std::string elites_name() const override { return "elites (CEM refits to them)"; }
  std::string iteration_name() const override { return "CEM iteration"; }
  const CemConfig& config() const { return cfg_; }

 protected:
  void sample(int iteration, ActionBatch& actions) override;
  double update(const ActionBatch& actions, const Eigen::VectorXf& returns,
                const std::vector<int>& order, std::vector<int>& elites) override;
  void choose(PlanResult& result) override;

 private:
  CemConfig cfg_;
  std::vector<float> min_std_;
  std::vector<double> sum_, sum_sq_;  // per H*A element, reused every iteration
  double last_objective_ = 0;
};

}  // namespace dynalab
