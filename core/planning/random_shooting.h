#pragma once
// Random shooting: one iteration of `population` action sequences drawn uniformly inside the
// action bounds; the best-scoring sequence is the plan. No distribution is refined and the warm
// start has nothing to shift, so it is the simplest baseline of the lecture.

#include "core/config.h"
#include "core/planning/sampling_planner.h"

namespace dynalab {

struct RandomShootingConfig {
  int population = 1000;  ///< candidate sequences per replan
  int shown_elites = 10;  ///< best candidates marked as elites in the trace (display only)

  template <class V>
  void visit(V& v) {
    v.field("population", population, Range::closed(1, 1e6), Apply::live,
            "candidate action sequences per replan");
    v.field("shown_elites", shown_elites, Range::closed(0, 1e6), Apply::live,
            "best candidates highlighted in the plan view");
  }
};

class RandomShootingPlanner : public SamplingPlanner {
 public:
  /// Random shooting over `horizon` steps with actions in [low, high].
  RandomShootingPlanner(const RandomShootingConfig& cfg, int horizon, Vec low, Vec high);
  int iterations() const override { return 1; }
  int population() const override { return cfg_.population; }
  const char* name() const override { return "random_shooting"; }
  /// Guesses, not elites: nothing is refit to them (they are only highlighted).
  std::string elites_name() const override {
    return "best " + std::to_string(cfg_.shown_elites) + " guesses";
  }
  std::string iteration_name() const override { return {}; }

 protected:
  void sample(int iteration, ActionBatch& actions) override;
  double update(const ActionBatch& actions, const Eigen::VectorXf& returns,
                const std::vector<int>& order, std::vector<int>& elites) override;

 private:
  RandomShootingConfig cfg_;
};

}  // namespace dynalab
