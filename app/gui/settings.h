#pragma once
// What the app remembers between launches, in $XDG_CONFIG_HOME/dynalab/settings.json
// (~/.config/dynalab/settings.json). A missing file gives defaults; a corrupt one is ignored
// with a message for the status bar, never a crash.

#include <filesystem>
#include <string>

#include "app/draw/gpi_overlay.h"
#include "app/draw/q_table_overlay.h"

namespace dynalab {

struct Panels {
  bool controls = true, plots = true, profile = true, stats = true;
};

struct Settings {
  int window_w = 1600, window_h = 1000;
  float font_scale = 1.0f;    ///< 1 .. 2.5
  bool presentation = false;  ///< large fonts, thick lines, high-contrast theme (experiments)
  /// Presentation mode while a lesson is open: on by default (a lesson is for the projector);
  /// the View menu's toggle in a lesson sets this one, so turning it off there sticks.
  bool lesson_presentation = true;
  std::string last_experiment = "dyna_maze";
  bool lesson_mode = true;  ///< start in the lesson player (false: on last_experiment)
  std::string last_lesson;  ///< lesson open at exit ("" : an experiment was open)
  int last_step = 1;        ///< 1-based step of last_lesson
  double speed = 30;        ///< ticks per second while playing (0: as fast as possible)
  QTableOverlayOptions overlays;
  GpiOverlayOptions gpi_overlay;  ///< successor features: policy colours and key (not saved)
  Panels panels;
};

/// The settings file path ($XDG_CONFIG_HOME or ~/.config, then dynalab/settings.json).
std::filesystem::path settings_path();

/// Loads settings; on a corrupt file returns defaults and sets `message`.
Settings load_settings(const std::filesystem::path& path, std::string& message);

/// Saves settings atomically; returns false (and sets `message`) on failure.
bool save_settings(const std::filesystem::path& path, const Settings& s, std::string& message);

}  // namespace dynalab
