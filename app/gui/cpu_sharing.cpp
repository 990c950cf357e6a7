#include "app/gui/cpu_sharing.h"

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace dynalab {

namespace {
std::atomic<bool> g_lower_workers{true};
}

void set_lower_worker_priority(bool enabled) { g_lower_workers = enabled; }

void lower_worker_priority() {
  if (!g_lower_workers) return;
#if defined(__linux__)
  // On Linux a nice value belongs to a thread (its tid), not to the whole process.
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  const int now = getpriority(PRIO_PROCESS, tid);
  (void)setpriority(PRIO_PROCESS, tid, now + 10 > 19 ? 19 : now + 10);
#endif
}

void limit_software_rasteriser_threads() {
#if defined(__linux__)
  const int cores = int(std::thread::hardware_concurrency());
  const int threads = cores > 2 ? cores - 2 : 0;  // the workers plan on two threads
  (void)setenv("LP_NUM_THREADS", std::to_string(threads).c_str(), /*overwrite=*/0);
#endif
}

}  // namespace dynalab
