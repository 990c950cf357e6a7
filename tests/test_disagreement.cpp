// The "disagreement" figure of mbrl experiments with a learned model: after each real planned
// step, the variance across the elites' predicted means of s' at (s, a), summed over dims.

#include <doctest/doctest.h>

#include "core/experiment.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/episodic_experiment.h"
#include "envs/registry.h"

namespace test_disagreement {

using namespace dynalab;

namespace {
// The disagreement figure of a finished learned-model run on the point mass (null if absent).
std::vector<double> run_disagreement(int ensemble, std::vector<double>* xs = nullptr) {
  auto exp =
      make_experiment(load_experiment("point_mass_oracle",
                                      {"dynamics=learned", "random_steps=40", "episodes=1",
                                       "env.max_episode_steps=8", "planner.population=50",
                                       "planner.elites=5", "planner.iterations=2", "model.epochs=5",
                                       "model.ensemble_size=" + std::to_string(ensemble),
                                       "model.elite_members=" + std::to_string(ensemble)}),
                      env_registry());
  exp->run_to_end();
  const auto snap = exp->snapshot();  // kept alive: the loop reads its figures
  for (const auto& f : snap->figures)
    if (f.id == "disagreement") {
      REQUIRE(f.series.size() == 1);
      if (xs) *xs = f.series[0].x;
      return f.series[0].y;
    }
  FAIL("no disagreement figure");
  return {};
}
}  // namespace

TEST_CASE("an ensemble's members disagree at planned steps; one point per real planned step") {
  std::vector<double> x;
  const auto y = run_disagreement(3, &x);
  REQUIRE(y.size() == 8);  // one per planned env step of the single episode
  for (size_t i = 1; i < x.size(); ++i) CHECK(x[i] == x[i - 1] + 1);  // consecutive env steps
  double sum = 0;
  for (double v : y) {
    CHECK(v >= 0);
    sum += v;
  }
  CHECK(sum > 0);  // differently initialised members never agree exactly
}

TEST_CASE("a single-member ensemble has zero disagreement") {
  for (double v : run_disagreement(1)) CHECK(v == 0.0);
}

}  // namespace test_disagreement
