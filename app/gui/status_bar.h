#pragma once
// The status bar under everything: the last message (red for errors) on the left, the run's
// state, ticks/s and frames/s on the right.

#include <chrono>
#include <string>

#include "core/runner.h"

namespace dynalab {

struct StatusBar {
  std::string msg;
  bool error = false;
  std::chrono::steady_clock::time_point time{};

  void set(const std::string& m, bool is_error);
  /// Draws the bar as a window at height `y`, `w` wide and `h` high; `recording` ("REC 0:12",
  /// "" when not recording) is drawn in red with a red dot before the run's state.
  void draw(float y, float w, float h, const RunnerStatus& st, float avg_frame_ms,
            const std::string& recording = "") const;
};

/// "12.3": one decimal, for counters and rates.
std::string one_decimal(double x);

}  // namespace dynalab
