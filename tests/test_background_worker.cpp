// core/background_worker.h: one thread, jobs in order, the latest request of a slot wins.

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

#include "core/background_worker.h"

namespace test_background_worker {

using namespace dynalab;

TEST_CASE("jobs run in submission order; a queued job of a slot is replaced by a newer one") {
  BackgroundWorker w;
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::mutex mu;
  std::vector<std::string> ran;
  auto log = [&](std::string s) {
    std::lock_guard lk(mu);
    ran.push_back(std::move(s));
  };
  w.submit("block", [open] { open.wait(); });  // holds the thread while the queue fills
  w.submit("map", [&] { log("map 1"); });
  w.submit("slice", [&] { log("slice"); });
  w.submit("map", [&] { log("map 2"); });  // replaces "map 1", keeps its place
  CHECK(!w.idle());
  gate.set_value();
  w.wait_idle();
  CHECK(ran == std::vector<std::string>{"map 2", "slice"});
  CHECK(w.idle());
}

TEST_CASE("cancel drops a queued job; a throwing job does not stop the worker") {
  BackgroundWorker w;
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::atomic<int> n{0};
  w.submit("block", [open] { open.wait(); });
  w.submit("a", [&] { n += 1; });
  w.submit("b", [] { throw std::runtime_error("boom"); });
  w.submit("c", [&] { n += 10; });
  w.cancel("a");
  gate.set_value();
  w.wait_idle();
  CHECK(n == 10);
}

TEST_CASE("a long job continues in slices so other slots run in between") {
  BackgroundWorker w;
  std::mutex mu;
  std::vector<std::string> ran;
  auto log = [&](std::string s) {
    std::lock_guard lk(mu);
    ran.push_back(std::move(s));
  };
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  w.submit("block", [open] { open.wait(); });
  std::function<void(int)> slice = [&](int k) {
    log("study " + std::to_string(k));
    if (k < 2) w.submit("study", [&, k] { slice(k + 1); });
  };
  w.submit("study", [&] { slice(0); });
  w.submit("map", [&] { log("map"); });
  gate.set_value();
  w.wait_idle();
  CHECK(ran == std::vector<std::string>{"study 0", "map", "study 1", "study 2"});
}

}  // namespace test_background_worker
