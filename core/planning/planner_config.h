#pragma once
// The "planner" section of an experiment: which planner, its horizon, and that planner's own
// fields in the same object, e.g. {"kind": "cem", "horizon": 15, "population": 200, "elites": 20}.
// Fields of the other kinds are rejected as unknown keys.

#include <memory>
#include <string>

#include "core/config.h"
#include "core/planning/cem_planner.h"
#include "core/planning/mppi_planner.h"
#include "core/planning/random_shooting.h"

namespace dynalab {

struct PlannerConfig {
  std::string kind = "cem";  ///< random_shooting | cem | mppi
  int horizon = 15;          ///< planned steps
  RandomShootingConfig random_shooting;
  CemConfig cem;
  MppiConfig mppi;

  template <class V>
  void visit(V& v) {
    v.choice("kind", kind, {"random_shooting", "cem", "mppi"}, Apply::on_reset, "planner");
    v.field("horizon", horizon, Range::closed(1, 10000), Apply::on_reset, "planned steps");
    if (kind == "random_shooting")
      random_shooting.visit(v);
    else if (kind == "cem")
      cem.visit(v);
    else
      mppi.visit(v);
    // The candidates' action sequences are held in memory: population x horizon is bounded so
    // a config cannot ask for gigabytes (per action dimension, 4 bytes each, a few copies).
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if ((long long)population() * horizon > kMaxPlanCells)
        v.fail("population",
               "population x horizon at most " + std::to_string(kMaxPlanCells) + ", got " +
                   std::to_string(population()) + " x " + std::to_string(horizon));
  }
  /// The configured kind's candidates per iteration.
  int population() const {
    return kind == "random_shooting" ? random_shooting.population
           : kind == "cem"           ? cem.population
                                     : mppi.population;
  }
  static constexpr long long kMaxPlanCells = 10000000;
  /// Limit on particles x population x max(horizon, widest hidden layer) of a learned-model
  /// rollout: its batch holds every particle's path and each layer's activations.
  static constexpr long long kMaxRolloutCells = 100000000;
};

/// Builds the configured planner for actions in [low, high].
std::unique_ptr<Planner> make_planner(const PlannerConfig& cfg, const Vec& low, const Vec& high);

}  // namespace dynalab
