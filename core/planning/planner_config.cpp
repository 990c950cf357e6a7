#include "core/planning/planner_config.h"

#include <type_traits>

namespace dynalab {

const std::vector<std::string>& PlannerConfig::kinds() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& k : planner_kinds()) v.push_back(k.name);
    return v;
  }();
  return names;
}

const std::vector<PlannerKind>& planner_kinds() {
  static const std::vector<PlannerKind> kinds = [] {
    std::vector<PlannerKind> v;
    PlannerConfig::for_each_kind([&](const auto& line) {
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
  return kinds;
}

std::unique_ptr<TrajectoryOptimizer> make_planner(const PlannerConfig& cfg, const Vec& low,
                                                  const Vec& high) {
  for (const auto& k : planner_kinds())
    if (k.name == cfg.kind) return k.make(cfg, low, high);
  std::string names;
  for (const auto& k : planner_kinds()) names += (names.empty() ? "" : ", ") + k.name;
  throw InputError("planner.kind: expected one of " + names + ", got \"" + cfg.kind + "\"");
}

}  // namespace dynalab
