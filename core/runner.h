#pragma once
// Runs an Experiment on a worker thread so the GUI thread never waits on learning.
// GUI -> worker: a command queue drained between ticks (play, pause, step N ticks, speed,
// reset with a seed, load another experiment, arbitrary edits such as toggling a wall).
// Worker -> GUI: the latest immutable Snapshot, swapped under a mutex at most `publish_hz`
// times per second while playing, and at once after a pause, a finished step or a command.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/experiment.h"

namespace dynalab {

/// What the GUI reads about the runner each frame (a copy, never a reference into the worker).
struct RunnerStatus {
  bool playing = false;         ///< ticking continuously
  int64_t pending_ticks = 0;    ///< ticks left of a "run N ticks" request
  int64_t ticks = 0;            ///< ticks done by the current experiment (via this runner)
  double ticks_per_second = 0;  ///< measured over the last ~0.5 s of wall time
  double speed = 0;             ///< target ticks per second (0: as fast as possible)
  uint64_t seed = 0;            ///< seed of the current experiment
  uint64_t generation = 0;      ///< increments whenever the experiment is (re)built
  bool finished = false;        ///< the experiment has no more ticks to do
  bool has_experiment = false;
  /// The experiment's counters after its last tick, command or load (Experiment::progress():
  /// read without building a snapshot), for code that only needs to know where the run is.
  Progress progress;
};

class Runner {
 public:
  /// Builds an experiment for a seed; may throw (InputError) and is called on the worker thread.
  using Factory = std::function<std::unique_ptr<Experiment>(uint64_t seed)>;
  /// A command run on the worker thread between ticks, with the current experiment.
  using Command = std::function<void(Experiment&)>;

  /// Starts the worker, paused and without an experiment. `publish_hz` bounds snapshot swaps.
  /// `on_worker_start`, if set, runs first on the worker thread (the GUI lowers the worker's
  /// scheduling priority there, so that threads it starts inherit it).
  explicit Runner(double publish_hz = 90, std::function<void()> on_worker_start = {});
  /// Stops the worker (finishing at most the tick in progress) and joins it.
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  /// Replaces the experiment with factory(seed) (paused); on error the old one keeps running.
  void load(Factory factory, uint64_t seed);
  /// Rebuilds the experiment with the current factory and `seed` (paused).
  void reset(uint64_t seed);
  /// Installs an already built experiment (paused), e.g. in tests.
  void set_experiment(std::unique_ptr<Experiment> exp, uint64_t seed = 0);
  void play();
  void pause();
  /// Runs `n` more ticks, then pauses (a single tick is step(1)).
  void step(int64_t n = 1);
  /// Target ticks per second while playing; 0 (or less) runs as fast as possible.
  void set_speed(double ticks_per_second);
  /// Queues `cmd` to run on the worker between ticks; a snapshot is published after it.
  void post(Command cmd);

  /// The latest published snapshot (null before the first experiment). Never blocks on a tick.
  std::shared_ptr<const Snapshot> latest() const;
  RunnerStatus status() const;
  /// Error messages from factories, ticks or commands since the last call (oldest first).
  std::vector<std::string> take_errors();
  /// True when the queue is empty, nothing is playing or pending, and the last result is published.
  bool idle() const;
  /// Blocks until idle() or the timeout passes (tests and scripted mode only). Returns idle().
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  using Clock = std::chrono::steady_clock;
  void push(std::function<void()> fn);
  void worker(const std::function<void()>& on_start);
  void publish();  // worker thread only
  void build(uint64_t seed);
  void install(std::unique_ptr<Experiment> exp, uint64_t seed);
  void error(const std::string& what);

  const std::chrono::nanoseconds publish_period_;
  mutable std::mutex mu_;  // guards everything below that the GUI reads or writes
  std::condition_variable cv_, idle_cv_;
  std::deque<std::function<void()>> queue_;
  std::shared_ptr<const Snapshot> latest_;
  RunnerStatus status_;
  std::vector<std::string> errors_;
  bool stop_ = false, busy_ = false;
  // Worker-only state.
  std::unique_ptr<Experiment> exp_;
  Factory factory_;
  Clock::time_point last_publish_{}, next_tick_{}, rate_t0_{};
  int64_t rate_ticks0_ = 0;
  std::thread thread_;  // last: started after everything above is initialised
};

}  // namespace dynalab
