#include "core/export/export_all.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "core/export/figure_svg.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/io/read_file.h"
#include "core/number_text.h"

namespace dynalab {

namespace {

std::string describe_by_extension(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".csv") return "table (CSV with a header row)";
  if (ext == ".svg") return "vector figure (SVG)";
  if (ext == ".png") return "image (PNG)";
  if (ext == ".json") return "JSON data";
  if (ext == ".npy") return "NumPy array (numpy.load)";
  if (ext == ".bin") return "binary model file";
  return "file";
}

}  // namespace

std::string trajectories_json(const std::vector<Trajectory>& episodes, const std::vector<std::string>& columns) {
  Json out = Json::array();
  auto number = [](double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); };
  for (const Trajectory& e : episodes) {
    if (columns.size() != size_t(4 + e.obs_dim + e.action_dim + e.true_dim)) continue;  // not this experiment's shape
    Json j = {{"run", e.run}, {"episode", e.episode}};
    for (size_t c = 2; c < columns.size(); ++c) j[columns[c]] = Json::array();
    for (int t = 0; t < e.steps(); ++t) {
      j["t"].push_back(t);
      size_t c = 3;
      for (double x : e.step_values(t)) j[columns[c++]].push_back(number(x));
    }
    out.push_back(std::move(j));
  }
  return out.dump(1) + "\n";
}

std::vector<ExportEntry> export_all(const Experiment& e, const Snapshot& snap,
                                    const std::filesystem::path& dir) {
  ensure_directory(dir);
  std::vector<ExportEntry> out;
  write_file_atomic(dir / "config.json", e.config().dump(2) + "\n");
  out.push_back(
      {"config.json", "the resolved experiment config (every field, defaults filled in)"});
  e.write_outputs(dir);
  out.push_back(
      {"metrics.csv", "one row per finished episode (see the experiment kind's header comment)"});
  out.push_back(
      {"trajectories.csv", "every executed step: run, episode, t, observation, action, reward"});
  out.push_back({"plan_traces.csv", "one row per planner iteration (output.plan_traces = true)"});
  out.push_back({"cumulative_reward.csv", "cumulative reward after every step of every run"});
  out.push_back(
      {"model.csv", "the tabular agent's learned model: (s, a) -> next state, reward, visits"});
  if (const auto episodes = e.recorded_trajectories(); !episodes.empty()) {
    write_file_atomic(dir / "trajectories.json", trajectories_json(episodes, e.trajectory_columns()));
    out.push_back({"trajectories.json",
                   "trajectories.csv as JSON: one object per episode, one array per column"});
  }
  for (const Figure& f : snap.figures) {
    write_figure_files(f, dir / "figures");
    out.push_back(
        {"figures/" + f.id + ".svg", "plot \"" + f.title + "\" as a vector figure (slides)"});
    out.push_back(
        {"figures/" + f.id + ".csv", "the series of plot \"" + f.title + "\" (x, y per series)"});
  }
  // The agent's own files (write_outputs wrote them; each file is written once).
  out.push_back({"dataset.csv", "the agent's dataset of real transitions (one row each)"});
  out.push_back({"dataset.npy", "the same dataset as a float64 NumPy array, columns as in dataset.csv"});
  out.push_back({"model/ensemble.bin", "the learned ensemble, loadable with Ensemble::load (core/models/ensemble_io.cpp)"});
  out.push_back({"model/shape.txt", "the learned ensemble's shape in one line"});
  return out;
}

void write_export_readme(const std::filesystem::path& dir, const std::string& title,
                         const std::vector<ExportEntry>& entries) {
  std::map<std::string, std::string> what;
  for (const auto& en : entries) what.emplace(en.file, en.what);
  std::set<std::string> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file()) continue;
    const std::string rel = std::filesystem::relative(it->path(), dir).generic_string();
    if (rel != "README.txt" && rel.find(".tmp") == std::string::npos) files.insert(rel);
  }
  std::string r = title + "\n\n";
  size_t width = 10;
  for (const auto& f : files) width = std::max(width, f.size());
  for (const auto& f : files) {
    const auto it = what.find(f);
    r += f + std::string(width + 2 - f.size(), ' ') +
         (it != what.end() ? it->second : describe_by_extension(f)) + "\n";
  }
  r += "README.txt" + std::string(width - 8, ' ') + "this file\n";
  write_file_atomic(dir / "README.txt", r);
}

}  // namespace dynalab
