#pragma once
// A test helper: a registered experiment built as the EpisodicExperiment every family runs in,
// so a test can read its episodes, snapshot and sessions directly.

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/episodic_experiment.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace dynalab::test {

/// The experiment `name` (a registered name or a JSON path) with the `sets` overrides
/// ("key.path=value"); fails the test if it is not an episodic experiment.
inline std::unique_ptr<EpisodicExperiment> make_episodic(const std::string& name, std::vector<std::string> sets = {}) {
  auto e = make_experiment(load_experiment(name, sets), env_registry());
  auto* p = dynamic_cast<EpisodicExperiment*>(e.release());
  REQUIRE(p);
  return std::unique_ptr<EpisodicExperiment>(p);
}

/// Experiment `name` with `sets`, ticked `ticks` times, saved as a session and loaded: run to the
/// end, it must give the same episodes (returns and the agent's metrics, bit for bit) as a twin
/// that was never saved, and the same output `files` (names in the outputs folder), byte for byte.
inline void check_session_continues(const std::string& name, const std::vector<std::string>& sets, int ticks,
                                    const std::vector<std::string>& files = {}) {
  auto a = make_episodic(name, sets), b = make_episodic(name, sets);
  for (int i = 0; i < ticks; ++i) a->tick(), b->tick();
  const auto dir = temp_dir(name + "_session");
  save_session(*a, dir);
  auto c = load_session(dir, env_registry());
  b->run_to_end();
  c->run_to_end();
  auto* ce = dynamic_cast<EpisodicExperiment*>(c.get());
  REQUIRE(ce);
  REQUIRE(ce->episodes().size() == b->episodes().size());
  for (size_t k = 0; k < b->episodes().size(); ++k) {
    CHECK(ce->episodes()[k].agent_metrics == b->episodes()[k].agent_metrics);
    CHECK(ce->episodes()[k].ret == b->episodes()[k].ret);
  }
  if (files.empty()) return;
  const auto out_b = temp_dir(name + "_outputs_b"), out_c = temp_dir(name + "_outputs_c");
  b->write_outputs(out_b);
  c->write_outputs(out_c);
  for (const auto& f : files) {
    CAPTURE(f);
    CHECK(read_file(out_c / f) == read_file(out_b / f));
  }
}

}  // namespace dynalab::test
