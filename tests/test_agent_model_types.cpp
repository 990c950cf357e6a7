// Issue 19: any experiment picks its dynamics model by model.type. The three policy-learning
// families that learn a model (mbpo, backprop through the model, the model-based policy
// gradient) run with a GP and with a Bayes-by-Backprop network: a short run completes, refits
// the model of that kind (its describe_shape says so) and gives finite returns. A combination
// that cannot work is a one-line error naming the keys.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "core/agents/backprop/backprop_agent.h"
#include "core/agents/mbpg/mbpg_agent.h"
#include "core/agents/mbpo/mbpo_agent.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "envs/registry.h"
#include "tests/mbpo_small_config.h"
#include "tests/test_util.h"

namespace test_agent_model_types {

using namespace dynalab;
using namespace dynalab::test;

namespace {

/// The kinds other than the default ensemble, and what describe_shape says of each.
const std::vector<std::pair<std::string, std::string>> kKinds = {
    {"gp", "GP per column"}, {"bnn", "Bayes by Backprop"}};

/// model.type = kind with settings small enough for a test (2 weight draws, 100 GP points).
std::vector<std::string> with_kind(std::vector<std::string> sets, const std::string& kind) {
  sets.push_back("model.type=\"" + kind + "\"");
  sets.push_back("model.bnn.posterior_samples=2");
  sets.push_back("model.gp.max_points=100");
  return sets;
}

std::unique_ptr<Experiment> make(const std::string& preset, const std::vector<std::string>& sets) {
  return make_experiment(load_experiment(preset, sets), env_registry());
}

template <class A>
const A& agent_of(Experiment& e) {
  return dynamic_cast<const A&>(dynamic_cast<EpisodicExperiment&>(e).agent());
}

/// Column `name` of metrics.csv (one value per episode, every run).
std::vector<double> metric_of(Experiment& e, const std::string& name, const std::string& tag) {
  const auto dir = temp_dir(tag);
  e.write_outputs(dir);
  std::istringstream csv(read_file(dir / "metrics.csv"));
  std::filesystem::remove_all(dir);
  auto cells = [](const std::string& line) {
    std::vector<std::string> c;
    std::istringstream in(line);
    for (std::string x; std::getline(in, x, ',');) c.push_back(x);
    return c;
  };
  std::string line;
  std::getline(csv, line);
  const std::vector<std::string> header = cells(line);
  const auto col = size_t(std::find(header.begin(), header.end(), name) - header.begin());
  REQUIRE(col < header.size());
  std::vector<double> out;
  while (std::getline(csv, line)) out.push_back(std::stod(cells(line).at(col)));
  return out;
}

/// The episodes' returns are finite (and there are some).
void check_finite(Experiment& e, const std::string& name, const std::string& tag) {
  const std::vector<double> v = metric_of(e, name, tag);
  REQUIRE(!v.empty());
  for (double x : v) CHECK(std::isfinite(x));
}

/// `preset` with `sets` and model.type = kind, run to its end: its agent's model is of that kind
/// (describe_shape says `shape`) and every episode's return is finite.
template <class A>
std::unique_ptr<Experiment> run_kind(const std::string& preset, const std::vector<std::string>& sets,
                                     const std::string& kind, const std::string& shape) {
  auto e = make(preset, with_kind(sets, kind));
  e->run_to_end();
  CHECK(agent_of<A>(*e).model().describe_shape().find(shape) != std::string::npos);
  check_finite(*e, "return", "amt_" + preset + "_" + kind);
  return e;
}

}  // namespace

TEST_CASE("mbpo runs with model.type = gp and = bnn: the model of that kind is refit") {
  for (const auto& kind_shape : kKinds) {
    const std::string& kind = kind_shape.first;  // no structured binding: CAPTURE's lambda
    const std::string& shape = kind_shape.second;  // cannot capture one under clang (C++17)
    CAPTURE(kind);
    auto e = run_kind<MbpoAgent>("mbpo_point_mass", mbpo_small_config("1"), kind, shape);
    const MbpoAgent& a = agent_of<MbpoAgent>(*e);
    CHECK(a.model_fits() >= 2);
    CHECK(a.model_buffer().size() > 0);
  }
}

TEST_CASE("backprop runs with model.type = gp and = bnn: gradients through the model's Jacobians") {
  for (const auto& kind_shape : kKinds) {
    const std::string& kind = kind_shape.first;  // no structured binding: CAPTURE's lambda
    const std::string& shape = kind_shape.second;  // cannot capture one under clang (C++17)
    CAPTURE(kind);
    auto e = run_kind<BackpropAgent>(
        "backprop_pendulum",
        {"seed=2", "runs=1", "episodes=3", "random_steps=200", "model.hidden=[16, 16]",
         "model.epochs=5", "policy_hidden=[8]", "policy_updates=3", "start_batch=4", "horizon=5",
         "analysis_every=2", "analysis_starts=2", "analysis_horizons=[5]", "eval_every=400",
         "eval_episodes=1"},
        kind, shape);
    CHECK(agent_of<BackpropAgent>(*e).model_fits() >= 2);
    // Through the model's Jacobians: the last episode's imagined return and the model's rate at
    // the upright equilibrium (both NaN before the first iteration).
    const std::vector<double> objective = metric_of(*e, "objective", "amt_bp_obj_" + kind),
                              rate = metric_of(*e, "model_equilibrium_rate", "amt_bp_rate_" + kind);
    CHECK(std::isfinite(objective.back()));
    CHECK(std::isfinite(rate.back()));
  }
}

TEST_CASE("mbpg runs with model.type = gp and = bnn: PPO on the model's imagined trajectories") {
  for (const auto& kind_shape : kKinds) {
    const std::string& kind = kind_shape.first;  // no structured binding: CAPTURE's lambda
    const std::string& shape = kind_shape.second;  // cannot capture one under clang (C++17)
    CAPTURE(kind);
    auto e = run_kind<MbpgAgent>(
        "mbpg_pendulum_h20",
        {"seed=2", "runs=1", "episodes=2", "random_steps=200", "model.hidden=[16, 16]",
         "model.epochs=3", "ppo.hidden=[16]", "ppo.n_steps=200", "ppo.batch_size=100",
         "ppo.n_epochs=1", "eval_every=400", "eval_episodes=1"},
        kind, shape);
    const MbpgAgent& a = agent_of<MbpgAgent>(*e);
    CHECK(a.iterations() >= 1);
    CHECK(std::isfinite(a.imagined_return()));
  }
}

TEST_CASE("a combination a model kind cannot serve is a one-line error naming the keys") {
  // A GP is one member: backprop through member 1 does not exist.
  const std::string member = error_of([] {
    make("backprop_pendulum", {"model.type=\"gp\"", "model_member=1"});
  });
  CHECK(member.find("model_member") != std::string::npos);
  CHECK(member.find("model.type = gp") != std::string::npos);
  CHECK(member.find('\n') == std::string::npos);
  // A BNN's members are its posterior_samples draws.
  const std::string draws = error_of([] {
    make("backprop_pendulum",
         {"model.type=\"bnn\"", "model.bnn.posterior_samples=3", "model_member=3"});
  });
  CHECK(draws.find("model_member: expected at most 2") != std::string::npos);
  CHECK(draws.find('\n') == std::string::npos);
  // A GP regressor cannot learn P(terminated).
  for (const std::string preset : {"mbpo_point_mass", "mbpg_pendulum_h20"}) {
    CAPTURE(preset);
    const std::string term = error_of([&] {
      make(preset, {"model.type=\"gp\"", "model.learn_termination=true"});
    });
    CHECK(term.find("model.learn_termination") != std::string::npos);
    CHECK(term.find("type = gp") != std::string::npos);
    CHECK(term.find('\n') == std::string::npos);
  }
  // A BNN's likelihood is a Gaussian: mbpo's own check on the prediction comes first.
  const std::string det = error_of([] {
    make("mbpo_point_mass", {"model.type=\"bnn\"", "model.prediction=\"deterministic\""});
  });
  CHECK(det.find("model.prediction") != std::string::npos);
  CHECK(det.find('\n') == std::string::npos);
}

}  // namespace test_agent_model_types
