// Issue 19's seam: every LearnedModel kind (model.type = ensemble, gp, bnn) inside an MPC
// experiment: it fits, plans, feeds the uncertainty views through the same recipe, writes its
// model file and survives a session. And the shape check on cliff_hill: epistemic variance 1.5
// data ranges beyond the data against its mean inside the data.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/analysis/disagreement_map.h"
#include "core/analysis/model_inputs.h"
#include "core/experiment.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"
#include "envs/registry.h"
#include "test_util.h"

namespace test_model_types {

using namespace dynalab;

namespace {

// cliff_hill v1.5 with small models: 80 random steps, then fits and CEM plans.
std::vector<std::string> sets_for(const std::string& type) {
  return {"model.type=" + type, "model.prediction=probabilistic", "model.hidden=[32,32]", "model.ensemble_size=3",
          "model.elite_members=3", "model.epochs=40", "model.bnn.posterior_samples=3",
          "model.gp.optimizer_iterations=40", "random_steps=80", "planner.population=60",
          "planner.iterations=2", "episodes=2"};
}

std::unique_ptr<Experiment> run_ticks(const std::string& type, int ticks,
                                      const std::vector<std::string>& extra = {}) {
  std::vector<std::string> sets = sets_for(type);
  sets.insert(sets.end(), extra.begin(), extra.end());
  auto e = make_experiment(load_experiment("cliff_hill_v15", sets), env_registry());
  for (int i = 0; i < ticks && e->tick(); ++i) {
  }
  // The BNN's first fit runs bnn.min_updates Adam steps (1000 epochs of 2 minibatches here), one
  // epoch per tick: go on until it is done.
  for (int i = 0; i < 5000 && !model_inputs(*e->snapshot()).training_data && e->tick(); ++i) {
  }
  return e;
}

// Epistemic variance of s' along position (dim 0, velocity and action 0), averaged over the
// data's position range, and at 1.5 ranges beyond its upper end.
void shape(const LearnedModel& model, const Dataset& data, double& inside, double& beyond) {
  const Eigen::MatrixXd obs = data.observations();
  const double lo = obs.col(0).minCoeff(), hi = obs.col(0).maxCoeff(), range = hi - lo;
  const Vec base = Vec::Zero(model.obs_dim()), action = Vec::Zero(model.action_dim());
  const DisagreementSlice in = disagreement_slice(model, base, action, SliceAxis{0, lo, hi, 41});
  inside = 0;
  for (double v : in.epistemic) inside += v / double(in.epistemic.size());
  const DisagreementSlice out =
      disagreement_slice(model, base, action, SliceAxis{0, hi + 1.5 * range, hi + 1.5 * range, 1});
  beyond = out.epistemic[0];
}

}  // namespace

TEST_CASE("every model type fits, plans and feeds the uncertainty views inside MPC") {
  for (const std::string type : {"ensemble", "gp", "bnn"}) {
    CAPTURE(type);
    auto e = run_ticks(type, 400);
    const auto snap = e->snapshot();
    REQUIRE(has_model_inputs(*snap));
    const ModelInputs in = model_inputs(*snap);
    REQUIRE(in.training_data);
    CHECK(in.model->config().type == type);
    CHECK(!in.model->diverged());
    // The planner ran on the fitted model: a finite plan.
    REQUIRE(snap->plan);
    CHECK(snap->plan->plan.size() > 0);
    for (float a : snap->plan->plan) CHECK(std::isfinite(a));
    // The views: a finite, non-negative epistemic part everywhere on the map.
    const DisagreementMap map = disagreement_map(*in.model, in.state, in.plan_action,
                                                 SliceAxis{0, -8, 8, 9}, SliceAxis{1, -3, 3, 5});
    for (double v : map.epistemic) CHECK((std::isfinite(v) && v >= 0));
    // Only the GP has function draws beyond its members.
    DisagreementOptions o;
    o.function_samples = 3;
    const DisagreementSlice s = disagreement_slice(*in.model, in.state, in.plan_action,
                                                   SliceAxis{0, -8, 8, 17}, o);
    CHECK(s.function_samples == (type == "gp" ? 3 : 0));
    // The model file: written, and read back into a copy of the same shape.
    const auto dir = test::temp_dir("model_types_" + type);
    e->write_outputs(dir);
    const std::string file = (dir / "model" / in.model->file_name()).string();
    REQUIRE(std::filesystem::exists(file));
    const auto copy = in.model->clone();
    copy->load_bytes(test::read_file(file), file);
    MemberPredictions a, b;
    RowMatrixXf obs = in.state.cast<float>().transpose(), act = in.plan_action.cast<float>().transpose();
    in.model->predict(obs, act, a);
    copy->predict(obs, act, b);
    CHECK(a.mean[0].isApprox(b.mean[0]));
  }
}

// Issue 19's shape check on seeds 0-2. The BNN's epistemic variance is the variance over its 3
// weight draws. Before bnn.min_updates and the free-energy early-stopping score its 40 epochs
// (80 Adam steps) left q at its initial width (mean sigma 0.0085) and seed 0 gave 5.3.
// Measured: GP 1.5e5, 2.9e5, 3.5e3; BNN 87, 40, 287 (mean sigma 0.30-0.33) on seeds 0, 1, 2.
TEST_CASE("cliff_hill: GP and BNN epistemic variance 1.5 data ranges beyond the data >= 10x "
          "inside (seeds 0-2)" * doctest::skip(test::kSanitized)) {
  for (const std::string type : {"gp", "bnn"})
    for (int seed = 0; seed < 3; ++seed) {
      CAPTURE(type);
      CAPTURE(seed);
      auto e = run_ticks(type, 400, {"seed=" + std::to_string(seed)});
      const auto snap = e->snapshot();
      REQUIRE(has_model_inputs(*snap));
      const ModelInputs in = model_inputs(*snap);
      double inside = 0, beyond = 0;
      shape(*in.model, *in.training_data, inside, beyond);
      MESSAGE(type << " seed " << seed << ": epistemic inside " << inside << ", 1.5 ranges beyond "
                   << beyond << ", ratio " << beyond / inside);
      CHECK(beyond >= 10 * inside);
    }
}

}  // namespace test_model_types

