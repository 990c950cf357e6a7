// Reference suite (ctest -L reference, Release only): value iteration networks (issue 21) with
// the vin family's presets on seeds 0, 1, 2 (vin_8x8 about 12 s a run, vin_16x16 about 80 s of
// CPU). After training, on held-out maps (the agent's test_maps, kentsommer's measures):
//   vin_8x8:   action accuracy >= 97 % and rollout success >= 95 %, and >= 90 % of the
//              20 env episodes (new maps) reach the goal within the budget;
//   vin_16x16: the VIN's accuracy and rollout success above the reactive baseline's.
#include <doctest/doctest.h>

#include "core/agents/vin/vin_agent.h"
#include "core/episodic_experiment.h"
#include "tests/learning_curve_util.h"

using namespace dynalab;
using namespace dynalab::test;

namespace {

struct Outcome {
  double accuracy = 0, success = 0, baseline_accuracy = 0, baseline_success = 0, episodes_success = 0;
};

Outcome run(const std::string& preset, int seed) {
  auto e = make_experiment(load_experiment(preset, {"seed=" + std::to_string(seed)}), env_registry());
  e->run_to_end();
  auto& ep = dynamic_cast<EpisodicExperiment&>(*e);
  const auto& agent = dynamic_cast<const VinAgent&>(ep.agent());
  Outcome o;
  o.accuracy = agent.test_accuracy(0);
  o.success = agent.rollout_success(0);
  o.baseline_accuracy = agent.test_accuracy(1);
  o.baseline_success = agent.rollout_success(1);
  // The env ends an episode after the rollout budget: terminated = the goal within it.
  for (const auto& row : ep.episodes()) o.episodes_success += (row.terminated ? 1.0 : 0.0) / double(ep.episodes().size());
  MESSAGE(preset << " seed " << seed << ": VIN accuracy " << o.accuracy << " %, rollout success " << o.success
                 << " %; reactive " << o.baseline_accuracy << " %, " << o.baseline_success
                 << " %; env episodes reaching the goal " << 100 * o.episodes_success << " %");
  return o;
}

}  // namespace

TEST_CASE("VIN on 8x8 maps: held-out action accuracy >= 97 %, rollout success >= 95 % (seeds 0-2)") {
  for (int seed = 0; seed < 3; ++seed) {
    CAPTURE(seed);
    const Outcome o = run("vin_8x8", seed);
    CHECK(o.accuracy >= 97.0);
    CHECK(o.success >= 95.0);
    CHECK(o.episodes_success >= 0.9);
  }
}

TEST_CASE("VIN on 16x16 maps: above the reactive baseline (seeds 0-2)") {
  for (int seed = 0; seed < 3; ++seed) {
    CAPTURE(seed);
    const Outcome o = run("vin_16x16", seed);
    CHECK(o.accuracy > o.baseline_accuracy);
    CHECK(o.success > o.baseline_success);
  }
}
