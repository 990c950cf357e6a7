#pragma once
// The "planner" section of an experiment: which trajectory optimizer, its horizon, and that
// optimizer's own fields in the same object, e.g.
//   {"optimizer": "cem", "horizon": 15, "population": 200, "elites": 20}.
// Fields of the other optimizers are rejected as unknown keys.
//
// The trajectory optimizers are ONE table, PlannerConfig::for_each_optimizer: the config's choices
// and fields, population(), make_planner() and `dynalab-cli list` all read it. A new planner is its
// class and config struct, a field below and one line in the table.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/live_edit.h"
#include "core/planning/cem_planner.h"
#include "core/planning/ilqr_planner.h"
#include "core/planning/mppi_planner.h"
#include "core/planning/random_shooting.h"
#include "core/planning/trajectory_optimizer.h"

namespace dynalab {

struct PlannerConfig;

/// One line of the planner table: the optimizer's name and description, where its own fields live
/// in PlannerConfig, and (as a type) the class that implements it.
template <class Fields, class Optimizer>
struct PlannerTableLine {
  const char* name;
  const char* description;
  Fields PlannerConfig::*fields;
  using Planner = Optimizer;
};

struct PlannerConfig {
  std::string optimizer = "cem";  ///< a name of the table below: random_shooting | cem | mppi | ilqr
  int horizon = 15;               ///< planned steps
  RandomShootingConfig random_shooting;
  CemConfig cem;
  MppiConfig mppi;
  IlqrConfig ilqr;

  /// The table of trajectory optimizers, in menu order: calls f with each PlannerTableLine.
  template <class F>
  static void for_each_optimizer(F&& f) {
    f(PlannerTableLine<RandomShootingConfig, RandomShootingPlanner>{
        "random_shooting", "uniform random action sequences, the best one is the plan",
        &PlannerConfig::random_shooting});
    f(PlannerTableLine<CemConfig, CemPlanner>{
        "cem", "cross-entropy method: refit a Gaussian to the elite sequences (PETS)",
        &PlannerConfig::cem});
    f(PlannerTableLine<MppiConfig, MppiPlanner>{
        "mppi", "model predictive path integral: the return-weighted mean of noisy sequences",
        &PlannerConfig::mppi});
    f(PlannerTableLine<IlqrConfig, IlqrPlanner>{
        "ilqr",
        "iterative LQR around one nominal sequence (needs the dynamics' and reward's derivatives)",
        &PlannerConfig::ilqr});
  }
  /// The table's names, in order.
  static const std::vector<std::string>& optimizers();

  template <class V>
  void visit(V& v) {
    v.choice("optimizer", optimizer, optimizers(), Apply::on_reset, "trajectory optimizer");
    v.field("horizon", horizon, Range::closed(1, 10000), Apply::on_reset, "planned steps");
    for_each_optimizer([&](const auto& line) {
      if (optimizer == line.name) (this->*line.fields).visit(v);
    });
    // A key of another optimizer, most often the file's after --set planner.optimizer=... has
    // switched optimizers: said so, with the way to switch, instead of a bare "unknown key".
    if constexpr (requires { v.has(""); v.fail(std::string(), std::string()); }) {
      std::map<std::string, Apply> chosen;
      std::map<std::string, std::string> owners;  // another optimizer's key -> its optimizers
      for_each_optimizer([&](const auto& line) {
        if (optimizer == line.name) chosen = config_applies(this->*line.fields);
      });
      for_each_optimizer([&](const auto& line) {
        if (optimizer == line.name) return;
        for (const auto& [key, apply] : config_applies(this->*line.fields))
          if (!chosen.count(key) && v.has(key.c_str()))
            owners[key] += std::string(owners[key].empty() ? "" : ", ") + line.name;
      });
      if (!owners.empty()) {
        const auto& [key, of] = *owners.begin();
        v.fail(key, "no \"" + key + "\" with optimizer \"" + optimizer + "\" (a key of " + of +
                        "; to switch optimizers set the whole section, e.g. --set 'planner={\"optimizer\":\"" +
                        optimizer + "\",\"horizon\":" + std::to_string(horizon) + "}')");
      }
    }
    // The candidates' action sequences are held in memory: population x horizon is bounded so
    // a config cannot ask for gigabytes (per action dimension, 4 bytes each, a few copies).
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if ((long long)population() * horizon > kMaxPlanCells)
        v.fail("population",
               "population x horizon at most " + std::to_string(kMaxPlanCells) + ", got " +
                   std::to_string(population()) + " x " + std::to_string(horizon));
  }
  /// The configured optimizer's candidates per iteration (0 for an unknown one).
  int population() const {
    int p = 0;
    for_each_optimizer([&](const auto& line) {
      if (optimizer == line.name) p = (this->*line.fields).population;
    });
    return p;
  }
  static constexpr long long kMaxPlanCells = 10000000;
  /// Limit on particles x population x max(horizon, widest hidden layer) of a learned-model
  /// rollout: its batch holds every particle's path and each layer's activations.
  static constexpr long long kMaxRolloutCells = 100000000;
};

/// A trajectory optimizer at run time: the table's line with a factory (for make_planner and
/// lists).
struct PlannerOptimizer {
  std::string name, description;
  std::function<std::unique_ptr<TrajectoryOptimizer>(const PlannerConfig&, const Vec& low,
                                                     const Vec& high)>
      make;
};

/// Every trajectory optimizer, from PlannerConfig::for_each_optimizer, in its order.
const std::vector<PlannerOptimizer>& planner_optimizers();

/// Builds the configured planner for actions in [low, high]; InputError on an unknown optimizer.
/// With `eval`, also checks that the planner can use that evaluator
/// (TrajectoryOptimizer::check_evaluator: InputError naming planner.optimizer if it needs
/// derivatives the evaluator lacks), so a bad pairing fails when the experiment is built.
std::unique_ptr<TrajectoryOptimizer> make_planner(const PlannerConfig& cfg, const Vec& low,
                                                  const Vec& high, SequenceEvaluator* eval = nullptr);

}  // namespace dynalab
