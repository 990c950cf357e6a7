#pragma once
// The Record section of the controls: region (viewport or whole window), format (MP4 or GIF),
// frame rate and size, and the Record / Stop button (also F9). While recording the button shows
// the elapsed time; the status bar shows the red indicator. The App starts and stops the
// recording (app_recording.cpp).

#include <string>

#include "app/gui/screen_recorder.h"

namespace dynalab {

/// The Record key: F9 (GLFW_KEY_F9; P, O, R, F, H, N, B and Ctrl+Q are taken).
inline constexpr int kRecordKey = 298;

struct RecordPanel {
  RecordOptions opt;
  /// Draws the section; true when Record (or Stop) was clicked. `label`: "REC 0:12" while
  /// recording, "" otherwise.
  bool draw(const std::string& label);
};

}  // namespace dynalab
