#pragma once
// What the app opens with and what it remembers: the settings (the user's file interactively,
// defaults in scripted mode so tests are repeatable, --settings, flags on top), the first
// experiment / lesson / session / side-by-side view, and saving the settings on the way out.

#include <filesystem>
#include <string>

#include "app/gui/app.h"
#include "app/gui/app_args.h"

struct GLFWwindow;

namespace dynalab {

/// The settings file in effect: --settings or the user's.
std::filesystem::path settings_file_of(const AppArgs& args);

/// The settings to start with; `message` is set when the file was unreadable (defaults then).
Settings startup_settings(const AppArgs& args, std::string& message);

/// Opens what the flags (or, interactively, the last session's lesson or experiment) ask for;
/// an interactive app falls back to dyna_maze. Returns 2 after "error: ..." on stderr if a
/// scripted run could not open its input, else 0.
int open_startup_content(App& app, const AppArgs& args);

/// Remembers the window size and the view for next time (interactive, or an explicit
/// --settings); a failed write is reported on stderr.
void remember_settings(GLFWwindow* window, App& app, const AppArgs& args);

}  // namespace dynalab
