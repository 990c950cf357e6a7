#include "core/experiment.h"

#include <algorithm>
#include <cstdlib>

#include "core/env_registry.h"
#include "core/agents/registry.h"
#include "core/episodic_experiment.h"

namespace dynalab {

std::filesystem::path assets_dir() {
  if (const char* env = std::getenv("DYNALAB_ASSETS"); env && *env) return env;
  return DYNALAB_ASSETS_DIR;
}

ExperimentSource load_experiment(const std::string& name_or_path, const std::vector<std::string>& overrides) {
  ExperimentSource src;
  std::filesystem::path p = name_or_path;
  const bool is_file = p.extension() == ".json" || name_or_path.find('/') != std::string::npos;
  if (!is_file) {
    p = assets_dir() / "experiments" / (name_or_path + ".json");
    if (!std::filesystem::exists(p)) {
      std::string known;
      for (const auto& e : list_experiments()) known += (known.empty() ? "" : ", ") + e.name;
      throw InputError(name_or_path + ": no such experiment (registered: " + known + ")");
    }
  }
  src.name = p.stem().string();
  src.source = p.string();
  src.json = read_json_file(src.source);
  if (!src.json.is_object()) throw InputError(src.source + ": expected a JSON object at the top level");
  auto set = std::make_shared<std::set<std::string>>();
  for (const auto& o : overrides) set->insert(apply_override(src.json, o));
  src.overridden = set;
  return src;
}

std::unique_ptr<Experiment> make_experiment(const ExperimentSource& src, const EnvRegistry& envs) {
  // The top-level "kind" named the experiment kind; it is the agent family now ("mbrl" became
  // "planning"). The name lives here, not in the table of renamed section keys: a config
  // struct of its own may still call a field "kind".
  if (src.json.is_object() && src.json.contains("kind"))
    throw InputError(src.source + ": kind was renamed to family" +
                     (src.json["kind"] == "mbrl" ? " (and \"mbrl\" to \"planning\")" : ""));
  ConfigNode root(src.json, src.source, src.overridden);
  std::vector<std::string> names;
  for (const auto& f : agent_families()) names.push_back(f.name);
  std::string family;
  if (!root.has("family")) root.fail("family", "one of the agent families (" + names.front() + ", ...)");
  root.choice("family", family, names);
  auto e = make_episodic_experiment(family, root, src, envs);
  root.finish();
  return e;
}

LiveEdit Experiment::apply_live_edit(const Json& edited) {
  LiveEdit edit = split_live_edit(config_, edited, config_applies());
  if (!edit.live.empty()) {
    apply_live(edit);
    config_ = edit.merged;
  }
  return edit;
}

std::vector<ExperimentInfo> list_experiments() {
  std::vector<ExperimentInfo> out;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(assets_dir() / "experiments", ec)) {
    if (f.path().extension() != ".json") continue;
    ExperimentInfo info{f.path().stem().string(), "other", "", ""};
    try {
      Json j = read_json_file(f.path().string());
      info.category = j.value("category", "other");
      info.description = j.value("description", "");
      info.family = j.value("family", "");
    } catch (const std::exception& e) {
      info.description = std::string("(broken: ") + e.what() + ")";
    }
    out.push_back(info);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.category != b.category ? a.category < b.category : a.name < b.name;
  });
  return out;
}

}  // namespace dynalab
