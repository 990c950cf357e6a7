#include "core/planning/planner_config.h"

#include <type_traits>

namespace dynalab {

const std::vector<std::string>& PlannerConfig::optimizers() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& k : planner_optimizers()) v.push_back(k.name);
    return v;
  }();
  return names;
}

const std::vector<PlannerOptimizer>& planner_optimizers() {
  static const std::vector<PlannerOptimizer> table = [] {
    std::vector<PlannerOptimizer> v;
    PlannerConfig::for_each_optimizer([&](const auto& line) {
      using Planner = typename std::decay_t<decltype(line)>::Planner;
      const auto fields = line.fields;
      v.push_back({line.name, line.description,
                   [fields](const PlannerConfig& c, const Vec& low, const Vec& high)
                       -> std::unique_ptr<TrajectoryOptimizer> {
                     return std::make_unique<Planner>(c.*fields, c.horizon, low, high);
                   }});
    });
    return v;
  }();
  return table;
}

std::unique_ptr<TrajectoryOptimizer> make_planner(const PlannerConfig& cfg, const Vec& low,
                                                  const Vec& high, SequenceEvaluator* eval) {
  for (const auto& k : planner_optimizers())
    if (k.name == cfg.optimizer) {
      auto planner = k.make(cfg, low, high);
      if (eval) planner->check_evaluator(*eval);
      return planner;
    }
  std::string names;
  for (const auto& k : planner_optimizers()) names += (names.empty() ? "" : ", ") + k.name;
  throw InputError("planner.optimizer: expected one of " + names + ", got \"" + cfg.optimizer +
                   "\"");
}

}  // namespace dynalab
