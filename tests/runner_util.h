#pragma once
// A test helper: an experiment run to its end on a Runner's worker thread (as the GUI runs it),
// its outputs written by a posted command. Determinism tests compare these outputs with those
// of a direct tick loop.

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include "core/experiment.h"
#include "core/runner.h"

namespace dynalab::test {

/// Runs the experiment `make` builds on a Runner to its end (at most 60 s) and writes its outputs
/// to `dir`.
inline void write_outputs_through_runner(const std::function<std::unique_ptr<Experiment>()>& make,
                                         const std::filesystem::path& dir) {
  using namespace std::chrono_literals;
  Runner r;
  r.load([&](uint64_t) { return make(); }, 0);
  r.set_speed(0);
  r.play();
  for (int i = 0; i < 6000 && !r.status().finished; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(r.status().finished);
  r.post([&](Experiment& e) { e.write_outputs(dir); });
  REQUIRE(r.wait_idle(60s));
  CHECK(r.take_errors().empty());
}

}  // namespace dynalab::test
