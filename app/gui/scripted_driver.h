#pragma once
// Scripted mode (--exit): tests and figures run the real app without a user. Input is checked
// before a window opens (bad input exits 2 even without a display and never half-renders);
// the runners advance --ticks as fast as they can while real frames are drawn; once every lane
// is done (and --save-session / --export-all are written) a few more frames settle, then
// --screenshot is written, a summary goes to stderr and the app exits.

#include <chrono>
#include <optional>

#include "app/gui/app.h"
#include "app/gui/app_args.h"
#include "app/gui/frame_stats.h"
#include "app/gui/scripted_recording.h"

namespace dynalab {

/// Builds every experiment the scripted run will open (lesson step variants, side-by-side
/// versions, a session or --experiment with --set) and returns 2 after one "error: ..." line on
/// stderr if one is bad, else 0.
int check_scripted_input(const AppArgs& args);

/// Applies --toggle-wall and --drag (interactive runs too) and, with --exit, starts the ticks
/// (a headless recording steps the runners itself: only --ticks N's pre-roll starts here).
void start_flagged_run(App& app, const AppArgs& args);

class ScriptedDriver {
 public:
  using Clock = std::chrono::steady_clock;
  ScriptedDriver(const AppArgs& args, Clock::time_point start);

  /// Called after each rendered frame (`frames` so far, `ui_ms` the time spent building them):
  /// the exit code once the run is over (0 done, 1 a failed write or a hang, 2 an error the
  /// runner reported, 3 an OpenGL error), nullopt to draw another frame.
  /// --frame-stats: writes `stats` after --frames frames instead (the GUI benchmark).
  std::optional<int> after_frame(App& app, const FrameStats& stats, int frames, double ui_ms,
                                 int fb_w, int fb_h);

 private:
  int finish(App& app, int frames, double ui_ms, int fb_w, int fb_h);

  const AppArgs& args_;
  Clock::time_point start_, done_{};
  int frames_after_done_ = 0;
  int exit_code_ = 0;
  std::optional<ScriptedRecording> recording_;  // --record / --record-lesson (headless)
};

}  // namespace dynalab
