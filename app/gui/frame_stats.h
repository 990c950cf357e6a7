#pragma once
// The GUI benchmark's measurements (dynalab --frame-stats FILE): each frame's build time (CPU
// work before rasterising) and the interval between frames, summarised as median, p99 and max.

#include <string>
#include <vector>

namespace dynalab {

class FrameStats {
 public:
  /// Records one frame: its build time in ms (wall clock, and CPU time of the GUI thread: on a
  /// loaded machine the first includes waiting for a core) and its start in ms since the loop
  /// began.
  void add(double build_ms, double build_cpu_ms, double start_ms);
  /// Writes the summary as JSON (atomically); returns "" or a one-line error naming the file.
  std::string write(const std::string& path, const std::string& experiment,
                    long long ticks) const;

 private:
  std::vector<double> build_ms_, build_cpu_ms_, start_ms_;
};

}  // namespace dynalab
