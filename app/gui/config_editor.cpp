#include "app/gui/config_editor.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>

#include "core/experiments/mbrl_experiment.h"
#include "core/experiments/tabular_experiment.h"
#include "envs/grid_world.h"

namespace dynalab {

namespace {

/// Writes a config struct back to JSON (the inverse of ConfigNode), field by field.
class JsonWriter {
 public:
  explicit JsonWriter(Json& out) : out_(out) {}
  template <class T>
  void field(const char* key, T& value, Range = {}, Apply = Apply::live, const char* = "") {
    out_[key] = value;
  }
  template <class T>
  void field(const char* key, T& value, Apply, const char* = "") {
    out_[key] = value;
  }
  void choice(const char* key, std::string& value, const std::vector<std::string>&,
              Apply = Apply::on_reset, const char* = "") {
    out_[key] = value;
  }
  template <class C>
  void section(const char* key, C& sub) {
    if (!out_.contains(key) || !out_[key].is_object()) out_[key] = Json::object();
    JsonWriter w(out_[key]);
    sub.visit(w);
  }

 private:
  Json& out_;
};

/// Draws one widget per field with the field's range; rejected values are reported, not kept.
class ImGuiVisitor {
 public:
  explicit ImGuiVisitor(ConfigEdit& edit, std::string prefix = "")
      : edit_(edit), prefix_(std::move(prefix)) {}

  void field(const char* key, double& v, Range r = {}, Apply a = Apply::live,
             const char* help = "") {
    double x = v;
    bool changed;
    if (std::isfinite(r.lo) && std::isfinite(r.hi) && r.hi - r.lo <= 1.0)
      changed = ImGui::SliderScalar(key, ImGuiDataType_Double, &x, &r.lo, &r.hi, "%.4g");
    else
      changed = ImGui::InputDouble(key, &x, 0, 0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue);
    if (changed) accept(key, r, x, a, [&] { v = x; });
    decorate(a, help, r);
  }
  void field(const char* key, float& v, Range r = {}, Apply a = Apply::live,
             const char* help = "") {
    double x = v;
    field(key, x, r, a, help);
    v = float(x);
  }
  void field(const char* key, int& v, Range r = {}, Apply a = Apply::live, const char* help = "") {
    int64_t x = v;
    field(key, x, r, a, help);
    v = int(x);
  }
  void field(const char* key, int64_t& v, Range r = {}, Apply a = Apply::live,
             const char* help = "") {
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
  void field(const char* key, uint64_t& v, Range r = {}, Apply a = Apply::live,
             const char* help = "") {
    uint64_t x = v;
    if (ImGui::InputScalar(key, ImGuiDataType_U64, &x, nullptr, nullptr, nullptr,
                           ImGuiInputTextFlags_EnterReturnsTrue))
      accept(key, r, double(x), a, [&] { v = x; });
    decorate(a, help, r);
  }
  void field(const char* key, bool& v, Apply a = Apply::live, const char* help = "") {
    if (ImGui::Checkbox(key, &v)) mark(a);
    decorate(a, help, {});
  }
  void field(const char* key, std::string& v, Apply a = Apply::live, const char* help = "") {
    if (!std::strcmp(key, "category") || !std::strcmp(key, "description"))
      return;  // shown by the picker
    std::string x = v;
    if (ImGui::InputText(key, &x, ImGuiInputTextFlags_EnterReturnsTrue)) v = x, mark(a);
    decorate(a, help, {});
  }
  template <class T>
  void field(const char* key, std::vector<T>& v, Range r = {}, Apply a = Apply::live,
             const char* help = "") {
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
  void choice(const char* key, std::string& v, const std::vector<std::string>& choices,
              Apply a = Apply::on_reset, const char* help = "") {
    if (ImGui::BeginCombo(key, v.c_str())) {
      for (const auto& c : choices)
        if (ImGui::Selectable(c.c_str(), c == v)) v = c, mark(a);
      ImGui::EndCombo();
    }
    decorate(a, help, {});
  }
  template <class C>
  void section(const char* key, C& sub) {
    if (ImGui::TreeNodeEx(key, ImGuiTreeNodeFlags_DefaultOpen)) {
      ImGuiVisitor inner(edit_, prefix_ + key + ".");
      sub.visit(inner);
      ImGui::TreePop();
    }
  }

 private:
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

/// Reads a struct from JSON without failing on keys it does not own (kind, env, ...).
template <class C>
C read_struct(const Json& j) {
  C c;
  ConfigNode node(j, "editor");
  c.visit(node);
  return c;
}

/// Draws a config struct's editor over the JSON object `j` and writes edits back.
template <class C>
void edit_struct(Json& j, ConfigEdit& edit) {
  C c = read_struct<C>(j);
  ConfigEdit local;
  ImGuiVisitor v(local);
  c.visit(v);
  if (local.live || local.on_reset) {
    JsonWriter w(j);
    c.visit(w);
  }
  edit.live |= local.live;
  edit.on_reset |= local.on_reset;
  edit.errors.insert(edit.errors.end(), local.errors.begin(), local.errors.end());
}

/// Fallback for kinds without a registered struct: a widget per JSON leaf, applied on reset.
void edit_json(Json& j, ConfigEdit& edit, const std::string& prefix) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    Json& v = it.value();
    if (key == "kind") continue;
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
  const std::string kind = config.value("kind", "");
  try {
    // Kinds whose config struct the app knows get ranged widgets; add a line per new kind.
    if (kind == "tabular") {
      edit_struct<TabularExperimentConfig>(config, edit);
      if (config.contains("env") && config["env"].value("name", "") == "grid_world") {
        if (ImGui::TreeNodeEx("env (grid_world)", ImGuiTreeNodeFlags_DefaultOpen)) {
          edit_struct<GridWorldConfig>(config["env"], edit);
          ImGui::TreePop();
        }
      } else if (config.contains("env")) {
        if (ImGui::TreeNodeEx("env", ImGuiTreeNodeFlags_DefaultOpen)) {
          edit_json(config["env"], edit, "env.");
          ImGui::TreePop();
        }
      }
    } else if (kind == "mbrl") {
      edit_struct<MbrlExperimentConfig>(config, edit);
      if (config.contains("env") && ImGui::TreeNodeEx("env", ImGuiTreeNodeFlags_DefaultOpen)) {
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
