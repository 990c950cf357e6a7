#include "app/gui/settings.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <optional>

#include "core/config.h"
#include "core/io/atomic_file.h"

namespace dynalab {

std::filesystem::path settings_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = xdg && *xdg     ? std::filesystem::path(xdg)
                               : home && *home ? std::filesystem::path(home) / ".config"
                                               : std::filesystem::path(".");
  return base / "dynalab" / "settings.json";
}

Settings load_settings(const std::filesystem::path& path, std::string& message) {
  Settings s;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return s;
  try {
    const Json j = read_json_file(path.string());
    // j.value("window_w", 0) would wrap 4294967296 to 0: check that the int holds it first.
    auto integer = [&j](const char* key, int fallback, int lo, int hi) {
      if (!j.contains(key)) return fallback;
      const std::optional<int> x = json_integer<int>(j[key]);
      if (!x) throw InputError(std::string(key) + ": expected an integer, got " + j[key].dump());
      return std::clamp(*x, lo, hi);
    };
    Settings r;
    r.window_w = integer("window_w", r.window_w, 400, 8000);
    r.window_h = integer("window_h", r.window_h, 300, 8000);
    r.font_scale = std::clamp(j.value("font_scale", r.font_scale), 1.0f, 2.5f);
    r.presentation = j.value("presentation", r.presentation);
    r.lesson_presentation = j.value("lesson_presentation", r.lesson_presentation);
    r.last_experiment = j.value("last_experiment", r.last_experiment);
    r.speed = std::max(0.0, j.value("speed", r.speed));
    r.lesson_mode = j.value("lesson_mode", r.lesson_mode);
    r.last_lesson = j.value("last_lesson", r.last_lesson);
    r.last_step = integer("last_step", r.last_step, 1, std::numeric_limits<int>::max());
    if (j.contains("overlays")) {
      const Json& o = j.at("overlays");
      r.overlays.heat_map = o.value("heat_map", r.overlays.heat_map);
      r.overlays.policy_arrows = o.value("policy_arrows", r.overlays.policy_arrows);
      r.overlays.model_known = o.value("model_known", r.overlays.model_known);
      r.overlays.planning_flashes = o.value("planning_flashes", r.overlays.planning_flashes);
      r.overlays.episode_path = o.value("episode_path", r.overlays.episode_path);
    }
    if (j.contains("panels")) {
      const Json& p = j.at("panels");
      r.panels.controls = p.value("controls", true);
      r.panels.plots = p.value("plots", true);
      r.panels.profile = p.value("profile", true);
      r.panels.stats = p.value("stats", true);
    }
    return r;
  } catch (const std::exception& e) {
    // Wrong types or broken JSON: start from defaults and say so; the file is rewritten on exit.
    message = "ignored corrupt settings file " + path.string() + ": " + e.what();
    return s;
  }
}

bool save_settings(const std::filesystem::path& path, const Settings& s, std::string& message) {
  Json j;
  j["window_w"] = s.window_w;
  j["window_h"] = s.window_h;
  j["font_scale"] = s.font_scale;
  j["presentation"] = s.presentation;
  j["lesson_presentation"] = s.lesson_presentation;
  j["last_experiment"] = s.last_experiment;
  j["speed"] = s.speed;
  j["lesson_mode"] = s.lesson_mode;
  j["last_lesson"] = s.last_lesson;
  j["last_step"] = s.last_step;
  j["overlays"] = {{"heat_map", s.overlays.heat_map},
                   {"policy_arrows", s.overlays.policy_arrows},
                   {"model_known", s.overlays.model_known},
                   {"planning_flashes", s.overlays.planning_flashes},
                   {"episode_path", s.overlays.episode_path}};
  j["panels"] = {{"controls", s.panels.controls},
                 {"plots", s.panels.plots},
                 {"profile", s.panels.profile},
                 {"stats", s.panels.stats}};
  try {
    std::filesystem::create_directories(path.parent_path());
    write_file_atomic(path, j.dump(2) + "\n");
    return true;
  } catch (const std::exception& e) {
    message = std::string("could not save settings: ") + e.what();
    return false;
  }
}

}  // namespace dynalab
