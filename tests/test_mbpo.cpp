// The mbpo family: branched rollouts start from real states only and stop at termination; the
// real/model mix of every SAC batch follows real_data_ratio (1: no model data at all); the
// rollout schedule is mbrl-lib's truncated_linear; the same seed gives the same learning curve
// and metrics; a session saved mid-training continues bit-identically (with each model.type); a
// bad key is a one-line error naming the file and the key.
#include <doctest/doctest.h>

#include <set>

#include "core/agents/mbpo/branched_rollout.h"
#include "core/agents/mbpo/mbpo_agent.h"
#include "core/agents/mbpo/mixed_batch.h"
#include "core/agents/mbpo/mve_targets.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/models/ensemble.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/learning_curve_util.h"
#include "tests/mbpo_small_config.h"
#include "tests/test_util.h"

namespace test_mbpo {

using namespace dynalab;
using namespace dynalab::test;

namespace {

/// A buffer of the point mass's dimensions (obs 2, action 1) with n transitions of reward r
/// from states drawn by rng.
ReplayBuffer filled(int n, double r, Rng& rng, int64_t capacity = 100000) {
  ReplayBuffer b(2, 1, capacity);
  for (int i = 0; i < n; ++i) {
    const Vec s = Eigen::Vector2d(rng.uniform(-3, 3), rng.uniform(-1, 1));
    b.add(s, Vec::Constant(1, rng.uniform(-1, 1)), r, s + Eigen::Vector2d(0.1, 0.0), false);
  }
  return b;
}

/// A small, fast mbpo config on the point mass.
std::vector<std::string> small(const std::string& seed) { return mbpo_small_config(seed); }

std::unique_ptr<Experiment> make(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("mbpo_point_mass", sets), env_registry());
}

/// {metrics.csv, learning_curve.csv without wall_s} of a finished experiment.
std::pair<std::string, std::string> outputs(Experiment& e, const std::string& tag) {
  return learner_outputs(e, "mbpo_" + tag);
}

/// Ticks `a` to env step `at` of its second run while it is thinking, saves a session there and
/// loads it as b, then runs a and b side by side to their end (b must end with a); returns b.
std::unique_ptr<Experiment> run_beside_saved_copy(Experiment& a, int64_t at) {
  auto& ea = dynamic_cast<EpisodicExperiment&>(a);
  while (!(ea.clock().run == 1 && ea.clock().run_steps == at && ea.agent().thinking()) && a.tick()) {
  }
  REQUIRE(ea.clock().run == 1);
  const auto dir = temp_dir("mbpo_session");
  save_session(a, dir / "session");
  auto b = load_session(dir / "session", env_registry());
  std::filesystem::remove_all(dir);
  while (a.tick()) REQUIRE(b->tick());
  CHECK(!b->tick());
  return b;
}

const MbpoAgent& agent_of(Experiment& e) {
  return dynamic_cast<const MbpoAgent&>(dynamic_cast<EpisodicExperiment&>(e).agent());
}


/// An untrained 3-member ensemble of 16 units (2-D state, 1-D action, seed 11): it moves the
/// states at random.
std::shared_ptr<Ensemble> untrained_ensemble() {
  ModelConfig mc;
  mc.hidden = {16};
  mc.ensemble_size = 3;
  mc.elite_members = 3;
  return std::make_shared<Ensemble>(mc, 2, 1, 11);
}

/// One particle per rollout, a random member per step (MBPO's propagation).
ModelEnvConfig one_particle_ts1() {
  ModelEnvConfig rc;
  rc.particles = 1;
  rc.propagation = "ts1";
  return rc;
}

}  // namespace

TEST_CASE("mbpo: rollout_schedule is mbrl-lib's truncated_linear, truncated to an integer") {
  const std::vector<int> s = {20, 100, 1, 25};
  CHECK(rollout_horizon(s, 1) == 1);
  CHECK(rollout_horizon(s, 20) == 1);
  CHECK(rollout_horizon(s, 60) == 13);  // 1 + 40/80 * 24
  CHECK(rollout_horizon(s, 61) == 13);  // 13.3 truncated
  CHECK(rollout_horizon(s, 100) == 25);
  CHECK(rollout_horizon(s, 1000) == 25);
  CHECK(rollout_horizon({1, 1, 15, 15}, 7) == 15);
}

TEST_CASE("mbpo: branched rollouts start from real states only and stop at termination") {
  Rng rng(5);
  const ReplayBuffer real = filled(50, 0.0, rng);
  std::set<std::pair<float, float>> real_states;
  ReplayBatch all;
  real.rows(0, 50, all);
  for (int r = 0; r < 50; ++r) real_states.insert({all.obs(r, 0), all.obs(r, 1)});

  // An untrained probabilistic ensemble moves the states at random; a transition terminates
  // when it moves the position to the right, so rollouts end after different numbers of steps.
  auto model = untrained_ensemble();
  const ModelEnvConfig rc = one_particle_ts1();
  const BatchTerminationFn moved_right = [](const auto& s, const auto&, const auto& s2, auto done) {
    for (Eigen::Index i = 0; i < s.rows(); ++i) done[i] = s2(i, 0) > s(i, 0) ? 1.0f : 0.0f;
  };
  const BatchRewardFn zero = [](const auto&, const auto&, const auto&, auto r) { r.setZero(); };
  ModelStepper stepper(model, rc, zero, moved_right);
  SacConfig sc;
  sc.hidden = {8};
  SacLearner learner(sc, 2, 1, Rng(3));
  ReplayBuffer imagined(2, 1, 100000);
  const int n = 40, k = 6;
  const BranchedRolloutStats st = branched_rollout(
      stepper, real, n, k, learner, [](const Vec& u) { return u; }, rng, 77, imagined);
  REQUIRE(st.transitions == imagined.size());
  REQUIRE(st.terminated > 0);   // some rollouts ended early...
  REQUIRE(st.transitions > n);  // ...and some went on

  // The buffer holds step 0 of every rollout, then step 1 of those still running, and so on.
  ReplayBatch b;
  imagined.rows(0, int(imagined.size()), b);
  std::vector<int> running(n);
  for (int i = 0; i < n; ++i) running[i] = i;
  std::vector<Eigen::RowVector2f> last(n);
  int64_t row = 0;
  for (int t = 0; t < k && !running.empty(); ++t) {
    std::vector<int> next;
    for (int i : running) {
      REQUIRE(row < imagined.size());
      const Eigen::RowVector2f s = b.obs.row(row), s2 = b.next_obs.row(row);
      if (t == 0)
        CHECK(real_states.count({s[0], s[1]}) == 1);  // a real state
      else
        CHECK(s == last[i]);  // continues where the rollout's previous step ended
      const bool done = b.dones(row, 0) == 1.0f;
      CHECK(done == (s2[0] > s[0]));  // done exactly where the env's predicate says so
      last[i] = s2;
      if (!done) next.push_back(i);
      ++row;
    }
    running = next;
  }
  CHECK(row == imagined.size());  // nothing after a termination or past k steps
}

TEST_CASE("mbpo: the real/model mix of a batch follows real_data_ratio") {
  Rng rng(1);
  const ReplayBuffer real = filled(100, 1.0, rng), model = filled(100, -1.0, rng);
  const ReplayBuffer empty(2, 1, 10);
  ReplayBatch batch, scratch;
  for (const double ratio : {0.0, 0.05, 0.5, 0.9, 1.0}) {
    const int n_real = sample_mixed_batch(real, model, 256, ratio, rng, batch, scratch);
    INFO("real_data_ratio " << ratio);
    CHECK(n_real == int(256 * ratio));
    REQUIRE(batch.rewards.rows() == 256);
    REQUIRE(batch.obs.rows() == 256);
    for (int r = 0; r < 256; ++r) CHECK(batch.rewards(r, 0) == (r < n_real ? 1.0f : -1.0f));
  }
  // real_data_ratio = 1 never touches the model buffer (it may be empty); so does a batch
  // drawn before the first branched rollout.
  CHECK(sample_mixed_batch(real, empty, 64, 1.0, rng, batch, scratch) == 64);
  CHECK(sample_mixed_batch(real, empty, 64, 0.0, rng, batch, scratch) == 64);
  CHECK((batch.rewards.array() == 1.0f).all());
}

TEST_CASE(
    "mbpo: real_data_ratio = 1 trains SAC on real data only, the model buffer filled but unused") {
  auto e = make({"seed=2", "runs=1", "steps=120", "initial_exploration_steps=60",
                 "model_train_freq=30", "rollout_batch_size=20", "num_sac_updates_per_step=1",
                 "sac.hidden=[8]", "sac.batch_size=16", "model.hidden=[8]", "model.ensemble_size=2",
                 "model.elite_members=2", "model.epochs=3", "real_data_ratio=1"});
  e->run_to_end();
  const MbpoAgent& a = agent_of(*e);
  // Fits at 60 and 90 env steps (the one queued by the last step never runs: the run is over).
  CHECK(a.model_fits() == 2);
  CHECK(a.model_buffer().size() > 0);
  CHECK(a.last_batch_real_rows() == 16);
  CHECK(a.learner().updates() == 60);  // G = 1 per env step for steps 60 .. 119
}

TEST_CASE("mbpo: the same seed gives the same learning curve and metrics, at 1 and 2 threads") {
  auto a = make(small("7"));
  a->run_to_end();
  auto b = make(small("7"));
  b->run_to_end();
  const auto oa = outputs(*a, "det_a"), ob = outputs(*b, "det_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(csv_cells(oa.second).size() == 1 + 2 * 5);  // both runs, an evaluation every 30 steps
  CHECK(agent_of(*a).model_fits() == 3);            // at 60, 90, 120 (150's: run over)
  CHECK(agent_of(*a).rollout_horizon_at(150) == 3);
  // The ensemble's training threads change nothing.
  auto sets = small("7");
  sets.push_back("model.threads=1");
  auto one = make(sets);
  one->run_to_end();
  CHECK(outputs(*one, "det_one_thread") == oa);
  auto c = make(small("8"));
  c->run_to_end();
  CHECK(outputs(*c, "det_c").second != oa.second);
}

TEST_CASE("mbpo: a session saved mid-training continues bit-identically") {
  auto a = make(small("3"));
  // In the second run, while the model is being refit (its fit in progress is saved too).
  auto b = run_beside_saved_copy(*a, 90);
  const auto oa = outputs(*a, "end_a"), ob = outputs(*b, "end_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(agent_of(*a).learner().actor().params() == agent_of(*b).learner().actor().params());
}

TEST_CASE("mbpo: a session with model.type = gp or bnn saved mid-fit continues bit-identically") {
  for (const std::string kind : {"gp", "bnn"}) {
    CAPTURE(kind);
    std::vector<std::string> sets = small("4");
    sets.insert(sets.end(), {"model.type=\"" + kind + "\"", "model.bnn.posterior_samples=2"});
    auto a = make(sets);
    auto b = run_beside_saved_copy(*a, 90);
    const auto oa = outputs(*a, "kind_a_" + kind), ob = outputs(*b, "kind_b_" + kind);
    CHECK(oa.first == ob.first);
    CHECK(oa.second == ob.second);
    CHECK(agent_of(*a).learner().actor().params() == agent_of(*b).learner().actor().params());
  }
}

TEST_CASE("mbpo: a bad config is a one-line error naming the file and the key") {
  const std::string file = test_data("bad_inputs/mbpo_rollout_schedule.json").string();
  const std::string sched =
      error_of([&] { make_experiment(load_experiment(file, {}), env_registry()); });
  CHECK(sched.find("mbpo_rollout_schedule.json: rollout_schedule: expected 4 values") !=
        std::string::npos);
  CHECK(sched.find('\n') == std::string::npos);
  const std::string ratio = error_of([] { make({"real_data_ratio=1.5"}); });
  CHECK(ratio.find("real_data_ratio") != std::string::npos);
  CHECK(ratio.find('\n') == std::string::npos);
  const std::string det = error_of([] { make({"model.prediction=\"deterministic\""}); });
  CHECK(det.find("model.prediction") != std::string::npos);
  const std::string env = error_of([] {
    make_experiment(load_experiment("mbpo_point_mass", {"env={\"name\": \"grid_world\"}"}),
                    env_registry());
  });
  CHECK(env.find("bounded box action space for mbpo") != std::string::npos);
}

TEST_CASE("mve: the expanded targets follow the TD-k recursion and stop at termination") {
  // An untrained ensemble moves the states at random; reward 1 per imagined step; the bootstrap
  // is the learner's soft target value. gamma 0.5, H = 3.
  auto model = untrained_ensemble();
  const ModelEnvConfig rc = one_particle_ts1();
  const BatchRewardFn one = [](const auto&, const auto&, const auto&, auto r) { r.setOnes(); };
  const BatchTerminationFn never = [](const auto& s, const auto&, const auto&, auto done) {
    for (Eigen::Index i = 0; i < s.rows(); ++i) done[i] = 0.0f;
  };
  const BatchTerminationFn moved_right = [](const auto& s, const auto&, const auto& s2, auto done) {
    for (Eigen::Index i = 0; i < s.rows(); ++i) done[i] = s2(i, 0) > s(i, 0) ? 1.0f : 0.0f;
  };
  SacConfig sc;
  sc.hidden = {8};
  Rng rng(5);
  ReplayBuffer real = filled(50, 2.0, rng);
  real.add(Eigen::Vector2d(0.5, 0.0), Vec::Zero(1), -3.0, Eigen::Vector2d(0.6, 0.0), true);
  ReplayBatch batch;
  real.rows(0, int(real.size()), batch);
  const int n = int(real.size()), H = 3;
  const float g = 0.5f;
  const auto identity = [](const Vec& u) { return u; };

  // Without termination: the real rows, then H blocks of the n - 1 non-terminal rows.
  ModelStepper no_end(model, rc, one, never);
  SacLearner learner(sc, 2, 1, Rng(3));
  MveTargets t;
  mve_targets(no_end, learner, batch, H, g, identity, 9, t);
  const int live = n - 1;
  REQUIRE(t.x.rows() == n + H * live);
  CHECK(t.imagined_rows == H * live);
  CHECK(t.x.topRows(n).leftCols(2) == batch.obs);
  CHECK(t.x.topRows(n).rightCols(1) == batch.actions);
  for (int r = 0; r < live; ++r) {
    const auto y = [&](int step) { return t.y(n + step * live + r, 0); };
    // y = r + gamma G_0 for the real pair, G_t = 1 + gamma G_{t+1} for the imagined ones.
    CHECK(t.y(r, 0) == doctest::Approx(2.0 + g * y(0)).epsilon(1e-5));
    CHECK(y(0) == doctest::Approx(1.0 + g * y(1)).epsilon(1e-5));
    CHECK(y(1) == doctest::Approx(1.0 + g * y(2)).epsilon(1e-5));
    // The imagined rows start at s' = the real next state.
    CHECK(t.x.row(n + r).head(2) == batch.next_obs.row(r));
  }
  CHECK(t.y(n - 1, 0) == -3.0f);  // a real terminal transition: its reward only, no expansion

  // With termination: a rollout that ends at step t has G_t = 1 exactly and no rows after it.
  ModelStepper ends(model, rc, one, moved_right);
  SacLearner learner2(sc, 2, 1, Rng(3));
  mve_targets(ends, learner2, batch, H, g, identity, 9, t);
  CHECK(t.imagined_rows < H * live);
  CHECK(t.imagined_rows >= live);  // every non-terminal row's first imagined step
  int ended_first = 0;
  for (int r = 0; r < live; ++r) ended_first += t.y(n + r, 0) == 1.0f;
  CHECK(ended_first > 0);
  CHECK(t.imagined_rows <= live + (live - ended_first) * (H - 1));
}

TEST_CASE("mve: a session of an MVE run continues bit-identically, and H changes the numbers") {
  auto sets = small("4");
  sets.push_back("mve_horizon=2");
  sets.push_back("real_data_ratio=1");
  auto a = make(sets);
  auto b = run_beside_saved_copy(*a, 100);
  const auto oa = outputs(*a, "mve_a");
  CHECK(oa == outputs(*b, "mve_b"));
  sets.back() = "real_data_ratio=1";
  sets[sets.size() - 2] = "mve_horizon=0";
  auto plain = make(sets);
  plain->run_to_end();
  CHECK(outputs(*plain, "mve_plain").second != oa.second);
}

}  // namespace test_mbpo
