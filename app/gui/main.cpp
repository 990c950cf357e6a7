// dynalab: the desktop app. Linear like Dear ImGui's GLFW + OpenGL3 example: parse flags, load
// settings, create the window and GL context with ImGui, open the first experiment, run the
// frame loop, remember the settings, shut down.
// Scripted mode (--exit, scripted_driver.h): render real frames while the runner advances
// --ticks N as fast as it can, then write --screenshot FILE.png and exit; any GL error makes it
// exit 3.

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include "app/gui/app.h"
#include "app/gui/app_args.h"
#include "app/gui/app_startup.h"
#include "app/gui/cpu_sharing.h"
#include "app/gui/frame_loop.h"
#include "app/gui/gui_window.h"
#include "app/gui/scripted_driver.h"

using namespace dynalab;

int main(int argc, char** argv) {
  const auto t_process = std::chrono::steady_clock::now();
  // A file-size limit (ulimit -f) makes a recording's write fail with EFBIG, reported in one line
  // like a full disk, instead of the signal killing the app mid-lecture.
  std::signal(SIGXFSZ, SIG_IGN);
  AppArgs args;
  if (const auto code = parse_app_args(argc, argv, args)) return *code;
  const bool scripted = args.exit;
  std::string settings_msg;
  const Settings settings = startup_settings(args, settings_msg);
  if (scripted)
    if (const int code = check_scripted_input(args)) return code;

  GLFWwindow* window = open_window(settings, scripted);
  if (!window) return 1;
  int exit_code = 0;
  {
    set_lower_worker_priority(!scripted || !args.frame_stats.empty());
    App app(settings, scripted, args.demo_plan_trace);
    if (!settings_msg.empty()) app.status(settings_msg, true);
    rebuild_style(app);
    exit_code = open_startup_content(app, args);
    if (!exit_code) {
      start_flagged_run(app, args);
      exit_code = run_frame_loop(window, app, args, t_process);
    }
    if (app.recording()) {  // closed while recording: finalise the file and say where it went
      const VideoRecorder::Result r = app.stop_recording();
      std::fprintf(stderr, "%s%s\n", r.ok ? "" : "error: ", r.message.c_str());
    }
    remember_settings(window, app, args);
  }  // the App (and its runners' worker threads) ends here, before the GL context
  close_window(window);
  return exit_code;
}
