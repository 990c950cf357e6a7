#pragma once
// The Profile panel of the controls: the last 240 frame times (average, worst, a plot). The
// status bar's frames/s comes from the same record.

#include <deque>

#include "core/runner.h"

namespace dynalab {

struct ProfilePanel {
  std::deque<float> frame_ms;  ///< newest last

  void add(float ms);
  float average_ms() const;
  void draw(const RunnerStatus& st, float line_scale) const;
};

}  // namespace dynalab
