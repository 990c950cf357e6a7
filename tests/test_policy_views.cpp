// What the GUI shows of the policy learners (issue 17, "What the user sees"): the critic heat
// map's values are the critics' output at the cells' states (min of the twins at the
// deterministic action); MBPO's branched-rollout view starts every rollout at a real state and
// names a model member for every step; the live edit rollout_horizon changes k; publishing the
// views after every tick changes no learning number.
#include <doctest/doctest.h>

#include <set>

#include "core/agents/mbpo/mbpo_agent.h"
#include "core/agents/policy_learning/policy_value_map.h"
#include "core/agents/sac/sac_agent.h"
#include "core/agents/sac/sac_losses.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "envs/pendulum.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace test_policy_views {

using namespace dynalab;
using namespace dynalab::test;

namespace {

std::unique_ptr<Experiment> make(const std::string& preset, const std::vector<std::string>& sets) {
  return make_experiment(load_experiment(preset, sets), env_registry());
}

/// A small, fast mbpo config on the pendulum (mbpo_pendulum with tiny networks).
std::vector<std::string> small_mbpo(const std::string& seed) {
  return {"seed=" + seed,           "steps=200",           "initial_exploration_steps=60",
          "model_train_freq=40",    "epoch_length=40",     "rollout_batch_size=30",
          "rollout_schedule=[1, 2, 1, 3]", "num_sac_updates_per_step=2", "sac.hidden=[16, 16]",
          "sac.batch_size=32",      "model.hidden=[16, 16]", "model.ensemble_size=3",
          "model.elite_members=2",  "model.epochs=4",      "eval_every=100",
          "eval_episodes=1"};
}

const MbpoAgent& mbpo_of(Experiment& e) {
  return dynamic_cast<const MbpoAgent&>(dynamic_cast<EpisodicExperiment&>(e).agent());
}

/// metrics.csv and learning_curve.csv without wall_s of a finished experiment.
std::string outputs(Experiment& e, const std::string& tag) {
  const auto dir = temp_dir("policy_views_" + tag);
  e.write_outputs(dir);
  std::string out = read_file(dir / "metrics.csv");
  for (const auto& row : csv_cells(read_file(dir / "learning_curve.csv")))
    out += row[0] + "," + row[1] + "," + row[3] + "\n";
  std::filesystem::remove_all(dir);
  return out;
}

}  // namespace

TEST_CASE("policy_value_map: every cell is min(Q1, Q2) at the deterministic action of its state") {
  SacConfig sc;
  sc.hidden = {32, 32};
  sc.batch_size = 64;
  SacLearner learner(sc, 3, 1, Rng(4));
  // Some updates on random pendulum-like transitions, so the critics are not at their init.
  Rng rng(9);
  for (int i = 0; i < 300; ++i) {
    const double th = rng.uniform(-3, 3), w = rng.uniform(-8, 8);
    Vec o(3), o2(3);
    o << std::cos(th), std::sin(th), w;
    o2 << std::cos(th + 0.05 * w), std::sin(th + 0.05 * w), w;
    learner.add(o, Vec::Constant(1, rng.uniform(-1, 1)), -th * th, o2, false);
  }
  for (int i = 0; i < 50; ++i) learner.update();
  const StatePlane plane = *Pendulum().state_plane();
  const int cells = 12;
  const PolicyValueView v = policy_value_map(learner, plane, cells);
  REQUIRE(v.value.nx == cells);
  REQUIRE(v.value.ny == cells);
  REQUIRE(v.value.values.size() == size_t(cells * cells));
  REQUIRE(v.action.size() == size_t(cells * cells));
  CHECK(v.updates == 50);
  CHECK(v.value.x_lo == plane.x_lo);
  CHECK(v.value.y_hi == plane.y_hi);
  double lo = 1e300, hi = -1e300;
  for (int iy = 0; iy < cells; ++iy)
    for (int ix = 0; ix < cells; ++ix) {
      // The cell's centre, one state at a time through the learner's own networks.
      const double x = plane.x_lo + (ix + 0.5) * (plane.x_hi - plane.x_lo) / cells;
      const double y = plane.y_lo + (iy + 0.5) * (plane.y_hi - plane.y_lo) / cells;
      const Vec o = plane.obs(x, y);
      const Vec a = learner.deterministic_action(o);
      Mlp::Mat in(1, 4);
      in << float(o[0]), float(o[1]), float(o[2]), float(a[0]);
      Mlp::Cache c1, c2;
      learner.q1().forward(in, c1);
      learner.q2().forward(in, c2);
      const double q = std::min(c1.out(0, 0), c2.out(0, 0));
      const size_t i = size_t(iy * cells + ix);
      INFO("cell " << ix << ", " << iy);
      CHECK(v.value.values[i] == doctest::Approx(q).epsilon(1e-5));
      CHECK(v.action[i] == doctest::Approx(a[0]).epsilon(1e-5));
      lo = std::min(lo, v.value.values[i]), hi = std::max(hi, v.value.values[i]);
    }
  CHECK(hi > lo);  // a map, not a constant
}

TEST_CASE("sac and mbpo publish the critic map on the pendulum; publishing changes nothing") {
  const std::vector<std::string> sac = {"seed=3", "steps=400", "sac.learning_starts=100",
                                        "sac.batch_size=32", "sac.hidden=[16, 16]",
                                        "eval_every=200", "eval_episodes=1"};
  for (const auto& learner :
       {std::pair{std::string("sac_pendulum"), sac}, std::pair{std::string("mbpo_pendulum"), small_mbpo("3")}}) {
    const auto& preset = learner.first;  // not a structured binding: clang 14 cannot capture one
    const auto& sets = learner.second;
    INFO(preset);
    auto quiet = make(preset, sets);
    quiet->run_to_end();
    // The same run with a snapshot after every tick (as the GUI's worker builds them).
    auto shown = make(preset, sets);
    std::shared_ptr<const Snapshot> last;
    int64_t maps = 0, updates = -1;
    while (shown->tick()) {
      last = shown->snapshot();
      REQUIRE(last->policy_value);
      if (last->policy_value->updates != updates) ++maps, updates = last->policy_value->updates;
    }
    CHECK(maps > 1);  // recomputed as the learner updates
    CHECK(last->policy_value->value.values.size() ==
          size_t(PolicyValueMapCache::kCells * PolicyValueMapCache::kCells));
    CHECK(outputs(*shown, "shown") == outputs(*quiet, "quiet"));
  }
}

TEST_CASE("mbpo: the branched-rollout view's rollouts start at real states, a member per step") {
  auto e = make("mbpo_pendulum", small_mbpo("5"));
  e->run_to_end();
  const MbpoAgent& a = mbpo_of(*e);
  const auto snap = e->snapshot();
  REQUIRE(snap->branched_rollouts);
  const BranchedRolloutView& v = *snap->branched_rollouts;
  REQUIRE(v.rollouts.size() == size_t(MbpoAgent::kShownRollouts));
  CHECK(v.horizon == a.rollout_horizon_at(200));
  CHECK(!v.horizon_overridden);
  CHECK(v.ensemble_size == 3);
  CHECK(v.batch_rows == 32);
  CHECK(v.real_rows == a.last_batch_real_rows());
  // Every start is an observation of the real replay buffer.
  std::set<std::vector<float>> real;
  ReplayBatch all;
  a.learner().buffer().rows(0, int(a.learner().buffer().size()), all);
  for (Eigen::Index r = 0; r < all.obs.rows(); ++r)
    real.insert({all.obs(r, 0), all.obs(r, 1), all.obs(r, 2)});
  const std::vector<int>& elites = a.model().rollout_members();
  for (const auto& ro : v.rollouts) {
    REQUIRE(!ro.states.empty());
    const Vec& s0 = ro.states[0];
    CHECK(real.count({float(s0[0]), float(s0[1]), float(s0[2])}) == 1);
    CHECK(ro.states.size() == ro.members.size() + 1);
    CHECK(int(ro.members.size()) <= v.horizon);
    for (int m : ro.members) CHECK(std::find(elites.begin(), elites.end(), m) != elites.end());
  }
}

TEST_CASE("mbpo: the live edit rollout_horizon overrides the schedule from the next refit") {
  auto e = make("mbpo_pendulum", small_mbpo("6"));
  auto& ee = dynamic_cast<EpisodicExperiment&>(*e);
  while (ee.clock().run_steps < 70 && e->tick()) {
  }
  const MbpoAgent& a = mbpo_of(*e);
  REQUIRE(a.model_fits() == 1);
  CHECK(a.rollout_horizon_at(70) == 1);  // the schedule [1, 2, 1, 3] at epoch 1
  Json edited = e->config();
  edited["rollout_horizon"] = 7;
  e->apply_live_edit(edited);
  CHECK(a.rollout_horizon_at(70) == 7);
  while (a.model_fits() < 2 && e->tick()) {
  }
  while (a.thinking() && e->tick()) {  // the refit's rollouts
  }
  const auto snap = e->snapshot();
  REQUIRE(snap->branched_rollouts);
  CHECK(snap->branched_rollouts->horizon == 7);
  CHECK(snap->branched_rollouts->horizon_overridden);
  size_t longest = 0;
  for (const auto& ro : snap->branched_rollouts->rollouts) longest = std::max(longest, ro.members.size());
  CHECK(longest > 3);  // longer than the schedule's largest k
  CHECK(longest <= 7);
  // Back to the schedule.
  edited["rollout_horizon"] = 0;
  e->apply_live_edit(edited);
  CHECK(a.rollout_horizon_at(200) == 3);
}

}  // namespace test_policy_views
