// The random-policy agent (issue 16's proof of the seam): a family of one folder and one
// registry line that runs through the one experiment, its outputs and its sessions.
#include <doctest/doctest.h>

#include <cmath>

#include "core/agents/random/random_policy.h"
#include "core/episodic_experiment.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/episodic_util.h"
#include "tests/test_util.h"

namespace test_random_policy {

using namespace dynalab;
using namespace dynalab::test;

namespace {
std::unique_ptr<EpisodicExperiment> make(const std::string& name, std::vector<std::string> sets = {}) {
  return make_episodic(name, std::move(sets));
}
}  // namespace

TEST_CASE("the random policy draws uniform actions inside the action space") {
  auto e = make("random_policy_cartpole", {"runs=1", "episodes=2"});
  const Space a = e->env()->action_space();
  RandomPolicyAgent agent(RandomPolicyConfig{}, *e->env(), RunSeed{7, 0});
  double sum = 0, lo = INFINITY, hi = -INFINITY;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double x = agent.act(Vec::Zero(1))[0];
    sum += x, lo = std::min(lo, x), hi = std::max(hi, x);
  }
  CHECK(lo >= a.low[0]);
  CHECK(hi <= a.high[0]);
  CHECK(sum / n == doctest::Approx((a.low[0] + a.high[0]) / 2).epsilon(0.02 * (a.high[0] - a.low[0])));
  CHECK(hi - lo > 0.99 * (a.high[0] - a.low[0]));
}

TEST_CASE("the random policy is the floor: Dyna-Q needs far fewer steps in the same maze") {
  auto random = make("random_policy_maze");
  random->run_to_end();
  auto dyna = make("dyna_maze", {"runs=3", "episodes=10"});
  dyna->run_to_end();
  auto last_mean = [](const EpisodicExperiment& e) {
    double s = 0;
    int n = 0;
    for (const auto& r : e.episodes())
      if (r.episode >= 5) s += r.steps, ++n;
    return s / n;
  };
  const double r = last_mean(*random), d = last_mean(*dyna);
  MESSAGE("steps per episode, episodes 5-9, 3 runs: random " << r << ", Dyna-Q (n = 5) " << d);
  CHECK(r > 5 * d);
  for (const auto& row : random->episodes()) CHECK(row.terminated);  // the walk does find the goal
}

TEST_CASE("a random-policy session continues bit-identically") {
  const auto dir = temp_dir("random_session");
  auto whole = make("random_policy_cartpole");
  whole->run_to_end();
  auto first = make("random_policy_cartpole");
  for (int i = 0; i < 2345; ++i) first->tick();
  save_session(*first, dir / "s");
  auto loaded = load_session(dir / "s", env_registry());
  loaded->run_to_end();
  whole->write_outputs(dir / "a");
  loaded->write_outputs(dir / "b");
  CHECK(read_file(dir / "a" / "metrics.csv") == read_file(dir / "b" / "metrics.csv"));
  CHECK(read_file(dir / "a" / "trajectories.csv") == read_file(dir / "b" / "trajectories.csv"));
  CHECK(csv_cells(read_file(dir / "a" / "metrics.csv")).size() == 1 + 3 * 10);
}

}  // namespace test_random_policy
