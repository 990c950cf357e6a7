#pragma once
// One background thread for work a front end must not wait for (the GUI lab's analyses), so
// every such computation runs on one threading model instead of ad-hoc std::async threads.
// Jobs run one at a time in submission order. Each job has a slot name; submitting to a slot
// whose previous job has not started yet replaces it (the latest request wins: a view asked for
// a new map before the old request ran never computes the old one). A long job stays responsive
// by doing a bounded piece of work and submitting its continuation to its own slot, so other
// slots' jobs run in between.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace dynalab {

class BackgroundWorker {
 public:
  /// Starts the thread; `on_start`, if set, runs first on it (e.g. lower_worker_priority).
  explicit BackgroundWorker(std::function<void()> on_start = {});
  /// Drops the queued jobs, lets the running one finish, joins.
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  /// Queues `job` under `slot`, replacing that slot's queued (not started) job if any. A job's
  /// exceptions are caught and dropped: jobs report their own errors.
  void submit(const std::string& slot, std::function<void()> job);
  /// Drops `slot`'s queued job, if any (a running one finishes).
  void cancel(const std::string& slot);
  /// True when nothing is queued or running.
  bool idle() const;
  /// Blocks until idle() (tests).
  void wait_idle();

 private:
  void run(const std::function<void()>& on_start);

  mutable std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::deque<std::pair<std::string, std::function<void()>>> queue_;
  bool busy_ = false, stop_ = false;
  std::thread thread_;  // last: started after everything above
};

}  // namespace dynalab
