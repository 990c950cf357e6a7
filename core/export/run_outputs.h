#pragma once
// The outputs of `dynalab-cli run --out DIR`, also written per variant by `dynalab-cli lesson`:
// config.json (the resolved config), the experiment's own files (write_outputs: metrics.csv,
// trajectories.csv, ...) and every plot of its snapshot as figures/<id>.svg and .csv.

#include <filesystem>

#include "core/experiment.h"

namespace dynalab {

/// Writes the run outputs of `e` into `dir` (created if needed). Throws InputError naming the
/// path (read-only folder, full disk).
void write_run_outputs(const Experiment& e, const std::filesystem::path& dir);

}  // namespace dynalab
