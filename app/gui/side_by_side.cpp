// The side-by-side run view, as App members: the lecture's MBRL versions on the same world at
// once (cliff_hill v0.5, v1.0, v1.5), each experiment on its own Runner (worker thread) in its
// own pane with its label and last return, and their returns on one plot. The audience sees
// v0.5 drive over the cliff while the versions that aggregate data and replan stop on the summit.

#include <algorithm>

#include "app/gui/app.h"
#include "envs/registry.h"

namespace dynalab {

namespace {
// Lane labels for the lecture's versions, in the lecture's words.
std::string version_label(const std::string& suffix) {
  if (suffix == "v05") return "v0.5: fit once, plan open loop";
  if (suffix == "v10") return "v1.0: aggregate data, refit";
  if (suffix == "v15") return "v1.5: replan (MPC)";
  return suffix;
}
}  // namespace

std::vector<std::string> side_by_side_experiments(const std::string& env) {
  std::vector<std::string> names;
  const auto all = list_experiments();
  for (const char* v : {"v05", "v10", "v15"})
    for (const auto& e : all)
      if (e.name == env + "_" + v) names.push_back(e.name);
  if (names.size() < 2)
    throw InputError("side by side: no MBRL versions registered for '" + env +
                     "' (expected experiments " + env + "_v05, " + env + "_v10, " + env +
                     "_v15; try cliff_hill)");
  return names;
}

std::string App::open_side_by_side(const std::string& env) {
  std::vector<std::string> names;
  try {
    names = side_by_side_experiments(env);
  } catch (const std::exception& e) {
    status(e.what(), true);
    return e.what();
  }
  std::vector<ExperimentSource> srcs;
  try {
    for (const auto& n : names) srcs.push_back(load_experiment(n, {}));
  } catch (const std::exception& e) {
    status(e.what(), true);
    return e.what();
  }
  leave_lesson();
  side_by_side_env_ = env;
  lanes_.resize(1);
  for (size_t v = 1; v < srcs.size(); ++v) {
    lanes_.emplace_back();
    lanes_[v].own = std::make_unique<Runner>(90, lower_worker_priority);
    lanes_[v].runner = lanes_[v].own.get();
  }
  for (size_t v = 0; v < srcs.size(); ++v) {
    Lane& lane = lanes_[v];
    lane.label = version_label(names[v].substr(env.size() + 1));
    lane.released = false;
    lane.snap.reset();
    lane.user_moved_view = false;
    lane.runner->set_speed(scripted_ ? 0 : settings_.speed);
    const ExperimentSource src = srcs[v];
    lane.runner->load(
        [src](uint64_t seed) {
          ExperimentSource copy = src;
          if (copy.json.contains("seed")) copy.json["seed"] = seed;
          return make_experiment(copy, env_registry());
        },
        src.json.value("seed", uint64_t(0)));
  }
  config_.request_from(runner_);
  name_ = srcs[0].name;
  transport_.seed = srcs[0].json.value("seed", uint64_t(0));
  config_.pending_reset = false;
  ghost_returns_.clear();
  layout_.extent = {0, 0};  // a new world: its arrangement is chosen afresh
  mpc_.opt.candidates = false;  // three fans side by side are noise; the chosen plans say it
  mpc_.opt.chosen = mpc_.opt.executed = true;
  if (!scripted_) play_all();
  status("side by side: " + std::to_string(names.size()) + " versions on " + env, false);
  return "";
}

void App::leave_side_by_side() {
  if (side_by_side_env_.empty()) return;
  side_by_side_env_.clear();
  lanes_.resize(1);
  lanes_[0].label.clear();
}

std::string App::open_lab(const std::string& view) {
  if (view.empty()) {
    lab_open_ = false;
    return "";
  }
  if (!lab_.set_view(view)) {
    std::string list;
    for (const auto& n : lab_view_names()) list += (list.empty() ? "" : ", ") + n;
    const std::string msg = "lab view '" + view + "': expected one of " + list;
    status(msg, true);
    return msg;
  }
  lab_open_ = true;
  return "";
}

}  // namespace dynalab
