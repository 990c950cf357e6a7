#include "core/planning/planner_config.h"

namespace dynalab {

std::unique_ptr<Planner> make_planner(const PlannerConfig& cfg, const Vec& low, const Vec& high) {
  if (cfg.kind == "random_shooting")
    return std::make_unique<RandomShootingPlanner>(cfg.random_shooting, cfg.horizon, low, high);
  if (cfg.kind == "cem") return std::make_unique<CemPlanner>(cfg.cem, cfg.horizon, low, high);
  return std::make_unique<MppiPlanner>(cfg.mppi, cfg.horizon, low, high);
}

}  // namespace dynalab
