#pragma once
// A one-line progress bar with an ETA for long CLI work (run, sweep, ladder, lessons --verify):
//   sweep [##########..........]  45/90 runs  0:12 elapsed, about 0:13 left
// drawn on stderr only when stderr is a terminal, so logs, pipes and CI output stay clean.

#include <chrono>
#include <string>

namespace dynalab::cli {

class ProgressBar {
 public:
  /// `label` starts the line; `unit` names what is counted ("runs"; "" for a fraction shown in %).
  ProgressBar(std::string label, double total, std::string unit);
  ~ProgressBar() { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// `done` of total so far; redraws at most 10 times a second (and always at the total).
  void update(double done);
  /// The same, with the total as the caller learns it (a job runner's callback passes both).
  void update(double done, double total) {
    total_ = total;
    update(done);
  }
  /// Clears the line (the command prints its own summary after).
  void finish();
  bool shown() const { return enabled_; }

 private:
  std::string label_, unit_;
  double total_;
  bool enabled_, drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

/// "1:05" (m:ss) or "2:03:07" (h:mm:ss) from seconds.
std::string clock_text(double seconds);

}  // namespace dynalab::cli
