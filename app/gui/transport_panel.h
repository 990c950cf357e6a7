#pragma once
// The transport row of the controls: Play/Pause, Tick, Reset, Run N ticks, Env step, the speed
// and the seed used by the next Reset, and the run's state. It edits its own fields and the
// speed and seed; the commands go back to the App, which applies them to every lane.

#include <cstdint>

#include "app/gui/settings.h"
#include "core/runner.h"

namespace dynalab {

struct TransportPanel {
  /// Env step ticks at most this many ticks (a run that never steps must not hang).
  static constexpr int kEnvStepTickCap = 10000;
  int64_t run_n = 100;
  uint64_t seed = 0;  ///< used by the next Reset

  struct Commands {
    bool toggle_play = false, reset = false, env_step = false, speed_changed = false;
    int64_t ticks = 0;  ///< Tick (1) or Run N ticks
  };
  Commands draw(const RunnerStatus& st, Settings& settings);
};

}  // namespace dynalab
