#pragma once
// The frame loop: wait for input while nothing changes, build the UI, render, read back a
// requested PNG, and in scripted mode let the ScriptedDriver decide when to stop. Ctrl+C or a
// TERM signal ends the loop normally, so settings are still saved.

#include <chrono>

#include "app/gui/app.h"
#include "app/gui/app_args.h"

struct GLFWwindow;

namespace dynalab {

/// Loads the fonts and applies the theme for the app's scale (at start, after each change).
void rebuild_style(App& app);

/// Runs frames until the window closes, Quit, a signal, or (scripted) the run is over; returns
/// the exit code. `t_process`: when the process started (scripted runs report the first frame).
int run_frame_loop(GLFWwindow* window, App& app, const AppArgs& args,
                   std::chrono::steady_clock::time_point t_process);

}  // namespace dynalab
