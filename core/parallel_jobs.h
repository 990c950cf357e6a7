#pragma once
// Independent jobs on `jobs` threads (the calling thread is one of them): lesson verification
// and the sample-efficiency ladder run many deterministic experiments, each on its own seed, so
// their results do not depend on the thread count.

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dynalab {

/// Calls job(i) for every i in [0, n), `jobs` at a time (at least 1), in no particular order;
/// job(i) must write only to its own slot. on_done(done, n), if given, is called after each job,
/// serialised, from whichever thread ran it.
inline void parallel_jobs(size_t n, int jobs, const std::function<void(size_t)>& job,
                          const std::function<void(int, int)>& on_done = {}) {
  std::atomic<size_t> next{0};
  std::mutex done_mutex;
  int done = 0;
  const auto worker = [&] {
    for (size_t j; (j = next++) < n;) {
      job(j);
      std::lock_guard<std::mutex> lock(done_mutex);
      if (on_done) on_done(++done, int(n));
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < std::max(1, jobs); ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

}  // namespace dynalab
