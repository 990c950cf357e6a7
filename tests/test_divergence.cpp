// A huge learning rate through the mbrl experiment: training detects NaN/Inf, stops updating,
// keeps the last good weights, says "model diverged" in the snapshot, and the outputs stay
// finite (metrics.csv writes "nan" only in the loss columns, where its format documents it).
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "core/experiment.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/episodic_experiment.h"
#include "core/models/ensemble.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace test_divergence {

using namespace dynalab;
using namespace dynalab::test;

namespace {
bool finite_number(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0' && std::isfinite(v);
}
}  // namespace

TEST_CASE("a huge learning rate: model diverged in the snapshot, good weights kept, outputs finite") {
  for (std::string kind : {"deterministic", "probabilistic"}) {
    CAPTURE(kind);
    auto exp = make_experiment(
        load_experiment("pendulum_mpc",
                        {"seed=5", "episodes=2", "random_steps=100", "model.prediction=" + kind,
                         "model.ensemble_size=2", "model.elite_members=2", "model.hidden=[16,16]",
                         "model.learning_rate=1e30", "model.epochs=5", "planner.population=30",
                         "planner.elites=5", "planner.iterations=2", "planner.horizon=8"}),
        env_registry());
    exp->run_to_end();
    auto* mbrl = dynamic_cast<MpcAgent*>(&dynamic_cast<EpisodicExperiment&>(*exp).agent());
    REQUIRE(mbrl);
    const auto snap = exp->snapshot();
    REQUIRE(snap->model);
    CHECK(snap->model->diverged);
    CHECK(snap->message.find("model diverged") != std::string::npos);
    // The plots (and their CSV exports) leave the diverged epoch out instead of plotting NaN.
    for (const Figure& f : snap->figures)
      for (const auto& se : f.series) {
        CAPTURE(f.id);
        CAPTURE(se.label);
        for (double y : se.y) CHECK(std::isfinite(y));
      }
    // Training stopped and did not start again after the next episodes.
    const auto model = std::dynamic_pointer_cast<const Ensemble>(mbrl->planner_agent().model());
    REQUIRE(model);
    CHECK(model->diverged());
    CHECK(mbrl->planner_agent().fits() == 1);
    for (int m = 0; m < model->size(); ++m) CHECK(model->net(m).params().allFinite());

    const auto dir = temp_dir("divergence_" + kind);
    exp->write_outputs(dir);
    const auto metrics = csv_cells(read_file(dir / "metrics.csv"));
    REQUIRE(metrics.size() == 3);  // header + 2 episodes
    REQUIRE(metrics[0].size() == 7);
    for (size_t r = 1; r < metrics.size(); ++r) {
      REQUIRE(metrics[r].size() == 7);
      for (int c = 0; c < 5; ++c) CHECK(finite_number(metrics[r][c]));
      // train_loss, val_loss: the diverged fit has no loss to report: "nan" (documented).
      for (int c = 5; c < 7; ++c) CHECK((finite_number(metrics[r][c]) || metrics[r][c] == "nan"));
    }
    const auto traj = csv_cells(read_file(dir / "trajectories.csv"));
    REQUIRE(traj.size() > 100);
    for (size_t r = 1; r < traj.size(); ++r)
      for (const auto& c : traj[r]) CHECK(finite_number(c));
    std::filesystem::remove_all(dir);
  }
}

}  // namespace test_divergence
