#include "app/gui/config_panel.h"

#include "core/agents/registry.h"

#include <imgui.h>

#include <map>

#include "app/gui/config_editor.h"
#include "core/lesson_gate.h"
#include "envs/registry.h"

namespace dynalab {

namespace {
/// Registered envs that suit an agent family (the family's own check, core/agents/registry.h),
/// each with its resolved default config section. Built once per family: making every env with
/// defaults takes milliseconds.
const std::vector<std::pair<std::string, Json>>& envs_for_family(const std::string& family) {
  static std::map<std::string, std::vector<std::pair<std::string, Json>>> cache;
  if (auto it = cache.find(family); it != cache.end()) return it->second;
  const AgentFamily* f = find_agent_family(family);
  std::vector<std::pair<std::string, Json>> out;
  for (const auto& e : env_registry().entries()) {
    try {
      ConfigNode node(Json{{"name", e.name}}, "env");
      const auto env = env_registry().make(node);
      node.finish();
      Json section = node.resolved();
      section["name"] = e.name;
      if (!f || family_accepts_env(*f, *env)) out.emplace_back(e.name, std::move(section));
    } catch (const std::exception&) {
      // An env that cannot be built with defaults is not offered.
    }
  }
  return cache[family] = std::move(out);
}
}  // namespace

void ConfigPanel::request_from(Runner& runner) {
  runner.post([this](Experiment& e) {
    std::string name = e.progress().experiment;
    std::lock_guard lk(mu_);
    incoming_.emplace(std::move(name), unwrap_gate(e).config());
  });
}

std::optional<std::string> ConfigPanel::take_incoming() {
  std::lock_guard lk(mu_);
  if (!incoming_) return std::nullopt;
  std::string name = std::move(incoming_->first);
  edited = std::move(incoming_->second);
  incoming_.reset();
  ready = true;
  return name;
}

void ConfigPanel::env_picker(Result& r) {
  if (!edited.contains("env") || !edited["env"].is_object()) return;
  const std::string family = edited.value("family", "");
  const std::string current = edited["env"].value("name", "");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.42f);
  if (ImGui::BeginCombo("env", current.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (const auto& [name, section] : envs_for_family(family))
      if (ImGui::Selectable(name.c_str(), name == current) && name != current) {
        edited["env"] = section;  // the new env's fields at their defaults
        pending_reset = true;
        r.note = "env set to " + name + ": press Reset (R) to rebuild the experiment with it";
      }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("environments whose spaces suit the %s family; applies on reset", family.c_str());
}

ConfigPanel::Result ConfigPanel::draw() {
  Result r;
  if (!ImGui::CollapsingHeader("Config", ImGuiTreeNodeFlags_DefaultOpen)) return r;
  if (!ready) {
    ImGui::TextDisabled("loading...");
    return r;
  }
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.42f);
  ImGui::PushID("config");  // its "seed" must not share an ID with the transport's seed field
  env_picker(r);
  const ConfigEdit e = edit_experiment_config(edited);
  ImGui::PopID();
  ImGui::PopItemWidth();
  r.live = e.live;
  if (e.on_reset) pending_reset = true;
  r.errors = e.errors;
  if (pending_reset) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.35f, 0.0f, 1));
    ImGui::TextWrapped("Changes pending: press Reset (R) to apply them.");
    ImGui::PopStyleColor();
  }
  return r;
}

}  // namespace dynalab
