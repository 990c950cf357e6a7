#pragma once
// View > Sample-efficiency ladder: the ladder of core/analysis/ladder.h in a window. "Run" climbs
// it on its own thread (never the GUI's), rung by rung, so each rung's curve appears as soon as
// its seeds finish; "Load" reads a ladder.csv that `dynalab-cli ladder` wrote (many seeds,
// measured before the lecture); lesson 19's rung steps add their runs one by one (add_run) and
// "Run the missing rungs" fills in the ones the lecture skipped. The plot shows the median return against env steps on a log
// axis with the published results as markers, or against wall-clock seconds.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/gui/theme.h"
#include "core/analysis/ladder.h"

namespace dynalab {

class LadderWindow {
 public:
  LadderWindow();
  ~LadderWindow();  ///< stops a running climb (each run stops at its next tick) and joins
  LadderWindow(const LadderWindow&) = delete;
  LadderWindow& operator=(const LadderWindow&) = delete;

  bool open = false;
  /// Reads `dir`/ladder.csv (or a .csv path) for the current ladder; returns "" or the error.
  std::string load(const std::string& dir);
  /// Adds one finished run of the rung labelled `label` (a lesson 19 rung step's run, handed
  /// over by the lesson player): it joins the plot beside the climb's and the loaded runs.
  /// Returns "" or the error (no such rung).
  std::string add_run(const std::string& label, LadderRun run);
  /// Switches to the ladder `name` (assets/ladders/), dropping the results, unless it is the
  /// current one. Returns "" or the error.
  std::string use_ladder(const std::string& name);
  /// A copy of the results so far (tests, scripted runs).
  std::vector<LadderResult> results();
  void draw(const Fonts& fonts, float line_scale);

 private:
  /// Climbs every rung on its own thread; `missing_only`: only the rungs without results yet
  /// (those a lesson's rung steps did not run), keeping the others.
  void start(bool missing_only);
  void stop();

  LadderSpec spec_;
  std::string spec_error_;
  int seeds_ = 1;
  bool wall_clock_ = false;
  char load_dir_[512] = "";
  std::string message_;
  // Shared with the climbing thread.
  std::mutex mu_;
  std::vector<LadderResult> results_;
  std::string status_;
  std::atomic<bool> cancel_{false}, running_{false};
  std::thread thread_;
};

}  // namespace dynalab
