#pragma once
// "Export all": one folder with everything an experiment can show, for slides and analysis,
// shared by dynalab-cli (run --export-all) and the GUI (File > Export all, which adds the
// viewport and plot PNGs). Every file is written atomically; README.txt lists each file that
// exists in the folder with one line saying what it is.

#include <filesystem>
#include <string>
#include <vector>

#include "core/experiment.h"

namespace dynalab {

/// One exported file: its path relative to the export folder and one line saying what it is.
struct ExportEntry {
  std::string file, what;
};

/// Writes config.json, the experiment's outputs (write_outputs), every plot of `snap` as
/// figures/<id>.svg and .csv, trajectories.csv also as trajectories.json, the agent's dataset as
/// dataset.csv and dataset.npy and the learned model (model/ensemble.bin, loadable with
/// Ensemble::load) when the experiment has them. Returns the entries it wrote (not README.txt).
/// Throws InputError naming the path (read-only folder, full disk).
std::vector<ExportEntry> export_all(const Experiment& e, const Snapshot& snap,
                                    const std::filesystem::path& dir);

/// Writes dir/README.txt listing the entries whose file exists in `dir` (plus any other file
/// found there, described by its extension), one line each.
void write_export_readme(const std::filesystem::path& dir, const std::string& title,
                         const std::vector<ExportEntry>& entries);

/// Recorded episodes as JSON (trajectories.json): a list of episodes, each {"run", "episode",
/// and one array per other column of trajectories.csv (`columns`: run, episode, t, obs_...,
/// action_..., reward)}. Non-finite values: null.
std::string trajectories_json(const std::vector<Trajectory>& episodes, const std::vector<std::string>& columns);

}  // namespace dynalab
