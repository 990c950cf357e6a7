#pragma once
// Test helpers for the policy learners (sac, mbpo, ppo, a2c, ars): the outputs of a finished
// experiment that must match bit for bit between two runs of one seed, and a preset's learning
// curve for the reference suite.

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/experiment.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace dynalab::test {

/// learning_curve.csv without its wall_s column (the one column that depends on the machine).
inline std::string curve_without_wall(const std::string& csv) {
  std::string out;
  for (const auto& row : csv_cells(csv)) {
    REQUIRE(row.size() == 4);
    out += row[0] + "," + row[1] + "," + row[3] + "\n";
  }
  return out;
}

/// {metrics.csv, learning_curve.csv without wall_s} of `e` as it stands (written to a temporary
/// folder named after `tag`, then removed).
inline std::pair<std::string, std::string> learner_outputs(Experiment& e, const std::string& tag) {
  const auto dir = temp_dir(tag);
  e.write_outputs(dir);
  std::pair<std::string, std::string> out{
      read_file(dir / "metrics.csv"), curve_without_wall(read_file(dir / "learning_curve.csv"))};
  std::filesystem::remove_all(dir);
  return out;
}

/// learning_curve.csv's rows (header first) of `preset` run to its end on `seed`; reports the
/// run's wall time (MESSAGE).
inline std::vector<std::vector<std::string>> preset_learning_curve(const std::string& preset, int seed) {
  const auto start = std::chrono::steady_clock::now();
  auto e = make_experiment(load_experiment(preset, {"seed=" + std::to_string(seed)}), env_registry());
  e->run_to_end();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto dir = temp_dir("reference_" + preset + "_" + std::to_string(seed));
  e->write_outputs(dir);
  auto rows = csv_cells(read_file(dir / "learning_curve.csv"));
  std::filesystem::remove_all(dir);
  MESSAGE(preset << " seed " << seed << ": " << wall << " s");
  return rows;
}

}  // namespace dynalab::test
