#include "app/gui/config_editor.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>

#include "core/agents/registry.h"
#include "core/config_fields.h"
#include "core/episodic_experiment.h"
#include "envs/grid_world.h"

namespace dynalab {

namespace {

/// Draws one widget per field with the field's range; rejected values are reported, not kept.
class ImGuiVisitor final : public FieldVisitor {
 public:
  explicit ImGuiVisitor(ConfigEdit& edit, std::string prefix = "")
      : edit_(edit), prefix_(std::move(prefix)) {}
  bool changed() const override { return edit_.live || edit_.on_reset; }

  void field(const char* key, double& v, Range r, Apply a, const char* help) override {
    double x = v;
    bool changed;
    if (std::isfinite(r.lo) && std::isfinite(r.hi) && r.hi - r.lo <= 1.0)
      changed = ImGui::SliderScalar(key, ImGuiDataType_Double, &x, &r.lo, &r.hi, "%.4g");
    else
      changed = ImGui::InputDouble(key, &x, 0, 0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue);
    if (changed) accept(key, r, x, a, [&] { v = x; });
    decorate(a, help, r);
  }
  void field(const char* key, int64_t& v, Range r, Apply a, const char* help) override {
    int64_t x = v;
    bool changed;
    if (std::isfinite(r.lo) && std::isfinite(r.hi) && r.hi - r.lo <= 100) {
      int64_t lo = int64_t(r.lo), hi = int64_t(r.hi);
      changed = ImGui::SliderScalar(key, ImGuiDataType_S64, &x, &lo, &hi);
    } else {
      changed = ImGui::InputScalar(key, ImGuiDataType_S64, &x, nullptr, nullptr, nullptr,
                                   ImGuiInputTextFlags_EnterReturnsTrue);
    }
    if (changed) accept(key, r, double(x), a, [&] { v = x; });
    decorate(a, help, r);
  }
  void field(const char* key, uint64_t& v, Range r, Apply a, const char* help) override {
    uint64_t x = v;
    if (ImGui::InputScalar(key, ImGuiDataType_U64, &x, nullptr, nullptr, nullptr,
                           ImGuiInputTextFlags_EnterReturnsTrue))
      accept(key, r, double(x), a, [&] { v = x; });
    decorate(a, help, r);
  }
  void field(const char* key, bool& v, Apply a, const char* help) override {
    if (ImGui::Checkbox(key, &v)) mark(a);
    decorate(a, help, {});
  }
  void field(const char* key, std::string& v, Apply a, const char* help) override {
    if (!std::strcmp(key, "category") || !std::strcmp(key, "description"))
      return;  // shown by the picker
    std::string x = v;
    if (ImGui::InputText(key, &x, ImGuiInputTextFlags_EnterReturnsTrue)) v = x, mark(a);
    decorate(a, help, {});
  }
  void field(const char* key, std::vector<double>& v, Range r, Apply a, const char* help) override {
    list(key, v, r, a, help);
  }
  void field(const char* key, std::vector<int>& v, Range r, Apply a, const char* help) override {
    list(key, v, r, a, help);
  }
  void choice(const char* key, std::string& v, const std::vector<std::string>& choices, Apply a,
              const char* help) override {
    if (ImGui::BeginCombo(key, v.c_str())) {
      for (const auto& c : choices)
        if (ImGui::Selectable(c.c_str(), c == v)) v = c, mark(a);
      ImGui::EndCombo();
    }
    decorate(a, help, {});
  }
  void section(const char* key, const std::function<void(FieldVisitor&)>& body) override {
    if (ImGui::TreeNodeEx(key, ImGuiTreeNodeFlags_DefaultOpen)) {
      ImGuiVisitor inner(edit_, prefix_ + key + ".");
      body(inner);
      ImGui::TreePop();
    }
  }

 private:
  template <class T>
  void list(const char* key, std::vector<T>& v, Range r, Apply a, const char* help) {
    std::string text;
    for (size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + std::to_string(v[i]);
    if (ImGui::InputText(key, &text, ImGuiInputTextFlags_EnterReturnsTrue)) {
      try {
        // Each element range-checked as the type it lands in: get<std::vector<int>>() would wrap
        // 4294967296 to 0 and truncate 1.5 to 1.
        std::vector<T> parsed;
        for (const Json& e : Json::parse("[" + text + "]")) {
          std::optional<T> x;
          if constexpr (std::is_integral_v<T>)
            x = json_integer<T>(e);
          else if (e.is_number())
            x = e.get<T>();
          if (!x || !r.contains(double(*x))) throw InputError("");
          parsed.push_back(*x);
        }
        v = parsed;
        mark(a);
      } catch (const std::exception&) {
        edit_.errors.push_back(prefix_ + key + ": expected a list of " + r.describe() + ", got '" +
                               text + "'");
      }
    }
    decorate(a, help, r);
  }
  template <class F>
  void accept(const char* key, const Range& r, double x, Apply a, F&& commit) {
    if (!r.contains(x)) {
      char got[64];
      std::snprintf(got, sizeof got, "%g", x);
      edit_.errors.push_back(prefix_ + key + ": expected " + r.describe() + ", got " + got);
      return;
    }
    commit();
    mark(a);
  }
  void mark(Apply a) { (a == Apply::live ? edit_.live : edit_.on_reset) = true; }
  void decorate(Apply a, const char* help, const Range& r) {
    bool hovered = ImGui::IsItemHovered();  // the widget, before the label below becomes the item
    if (a == Apply::on_reset) {
      ImGui::SameLine();
      ImGui::TextDisabled("applies on reset");
      hovered |= ImGui::IsItemHovered();
    }
    if (hovered) {
      ImGui::BeginTooltip();
      if (help && *help) ImGui::TextUnformatted(help);
      if (std::isfinite(r.lo) || std::isfinite(r.hi)) ImGui::Text("%s", r.describe().c_str());
      ImGui::TextUnformatted(a == Apply::live ? "applies at the next tick"
                                              : "applies on reset (R)");
      ImGui::EndTooltip();
    }
  }
  ConfigEdit& edit_;
  std::string prefix_;
};

/// Draws config struct C's editor over the JSON object `j` and writes edits back.
template <class C>
void edit_struct(Json& j, ConfigEdit& edit) {
  ConfigEdit local;
  ImGuiVisitor v(local);
  visit_config_json<C>(j, v);
  edit.live |= local.live;
  edit.on_reset |= local.on_reset;
  edit.errors.insert(edit.errors.end(), local.errors.begin(), local.errors.end());
}

/// Draws an agent family's fields (its registry entry's visit_fields) over `j`.
void edit_family(const AgentFamily& family, Json& j, ConfigEdit& edit) {
  ConfigEdit local;
  ImGuiVisitor v(local);
  family.visit_fields(j, v);
  edit.live |= local.live;
  edit.on_reset |= local.on_reset;
  edit.errors.insert(edit.errors.end(), local.errors.begin(), local.errors.end());
}

/// Fallback for kinds without a registered struct: a widget per JSON leaf, applied on reset.
void edit_json(Json& j, ConfigEdit& edit, const std::string& prefix) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    Json& v = it.value();
    if (key == "family") continue;
    if (v.is_object()) {
      if (ImGui::TreeNodeEx(key.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
        edit_json(v, edit, prefix + key + ".");
        ImGui::TreePop();
      }
    } else if (v.is_boolean()) {
      bool b = v.get<bool>();
      if (ImGui::Checkbox(key.c_str(), &b)) v = b, edit.on_reset = true;
    } else if (v.is_number_integer()) {
      // A seed above 2^63 is unsigned in JSON; get<int64_t>() would show (and write back) it wrapped.
      const bool u = v.is_number_unsigned();
      uint64_t ux = u ? v.get<uint64_t>() : 0;
      int64_t x = u ? 0 : v.get<int64_t>();
      if (ImGui::InputScalar(key.c_str(), u ? ImGuiDataType_U64 : ImGuiDataType_S64,
                             u ? static_cast<void*>(&ux) : static_cast<void*>(&x), nullptr, nullptr,
                             nullptr, ImGuiInputTextFlags_EnterReturnsTrue))
        v = u ? Json(ux) : Json(x), edit.on_reset = true;
    } else if (v.is_number()) {
      double x = v.get<double>();
      if (ImGui::InputDouble(key.c_str(), &x, 0, 0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue))
        v = x, edit.on_reset = true;
    } else if (v.is_string()) {
      std::string s = v.get<std::string>();
      if (ImGui::InputText(key.c_str(), &s, ImGuiInputTextFlags_EnterReturnsTrue))
        v = s, edit.on_reset = true;
    } else {
      std::string s = v.dump();
      if (ImGui::InputText(key.c_str(), &s, ImGuiInputTextFlags_EnterReturnsTrue)) {
        try {
          v = Json::parse(s);
          edit.on_reset = true;
        } catch (const std::exception&) {
          edit.errors.push_back(prefix + key + ": expected JSON, got '" + s + "'");
        }
      }
    }
  }
}

}  // namespace

ConfigEdit edit_experiment_config(Json& config) {
  ConfigEdit edit;
  const std::string family_name = config.value("family", "");
  try {
    // Every registered family gets ranged widgets from its config struct (no per-family code).
    if (const AgentFamily* family = find_agent_family(family_name); family && family->visit_fields) {
      edit_struct<EpisodicConfig>(config, edit);
      edit_family(*family, config, edit);
      if (config.contains("env") && config["env"].value("name", "") == "grid_world") {
        if (ImGui::TreeNodeEx("env (grid_world)", ImGuiTreeNodeFlags_DefaultOpen)) {
          edit_struct<GridWorldConfig>(config["env"], edit);
          ImGui::TreePop();
        }
      } else if (config.contains("env") && ImGui::TreeNodeEx("env", ImGuiTreeNodeFlags_DefaultOpen)) {
        edit_json(config["env"], edit, "env.");
        ImGui::TreePop();
      }
    } else {
      ImGui::TextDisabled("generic editor: changes apply on reset");
      edit_json(config, edit, "");
    }
  } catch (const InputError& e) {
    edit.errors.push_back(e.what());
  }
  return edit;
}

}  // namespace dynalab
