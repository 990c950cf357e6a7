#pragma once
// Headless recording (--record FILE --seconds S, --record-lesson DIR) on the simulated clock:
// video frame i shows the run after floor(i * T / F) ticks (T = --record-speed ticks per second
// of video, F = --record-fps), whatever the machine's speed. After each video frame the runners
// step the next frame's ticks and the frame loop draws until every lane is idle and its snapshot
// drawn (ScriptedDriver's "settled"), so the same command gives the same frames. --record stops
// after exactly S * F frames; --record-lesson records each step until its condition (at most S
// seconds), holds 1 s at the pause, and opens the next step.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "app/gui/app.h"
#include "app/gui/app_args.h"

namespace dynalab {

/// The recording options the flags give: --record-fps, --record-scale, --record-region.
RecordOptions record_options(const AppArgs& a);

/// The video file of step `step` under --record-lesson DIR: DIR/<lesson>_step<K>.<format>.
std::string lesson_step_video(const AppArgs& a, int step);

class ScriptedRecording {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ScriptedRecording(const AppArgs& a);
  /// Called after each rendered frame: nullopt to draw another, 0 when every file is written
  /// (the driver then writes --screenshot and its summary), else the exit code after one
  /// "error: ..." line (1 a failed write, e.g. a full disk, or a hang; 2 bad input).
  std::optional<int> after_frame(App& app, int fb_h);

 private:
  /// Ticks between video frame `i` and frame i + 1 of the current file.
  int64_t ticks_after(int64_t i) const;
  std::optional<int> finish_file(App& app);

  const AppArgs& a_;
  int64_t max_frames_;  // S * F
  int64_t frame_ = 0;   // video frames of the current file so far
  int hold_ = -1;       // --record-lesson: frames left at the pause (-1: not there yet)
  bool started_ = false;
  int step_ = 0;        // --record-lesson: the step being recorded (1-based)
  Clock::time_point progress_ = Clock::now();  // the last video frame (hang guard)
};

}  // namespace dynalab
