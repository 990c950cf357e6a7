// The sac family end to end: a short fixed-seed run on the point mass beats the random policy by
// a wide margin; the same seed gives the same learning curve (apart from wall_s) directly and
// through the Runner's worker thread; a session saved mid-training continues bit-identically
// (replay buffer, Adam moments, temperature, Rng); a bad key is a one-line error.
#include <doctest/doctest.h>

#include "core/agents/sac/sac_agent.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/session.h"
#include "envs/point_mass.h"
#include "envs/registry.h"
#include "tests/learning_curve_util.h"
#include "tests/runner_util.h"
#include "tests/test_util.h"

namespace test_sac {

using namespace dynalab;
using namespace dynalab::test;

namespace {

std::unique_ptr<Experiment> make(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("sac_point_mass", sets), env_registry());
}

/// {metrics.csv, learning_curve.csv without wall_s}.
std::pair<std::string, std::string> outputs(Experiment& e, const std::string& tag) {
  return learner_outputs(e, "sac_" + tag);
}

}  // namespace

TEST_CASE("sac_point_mass: a short fixed-seed run beats the random policy by a wide margin") {
  auto e = make({"seed=0"});
  e->run_to_end();
  const auto [metrics, curve] = outputs(*e, "beats_random");
  const auto rows = csv_cells(curve);
  REQUIRE(rows.size() == 11);  // header + an evaluation every 300 of 3000 steps
  CHECK(rows[1][0] == "0");
  CHECK(rows[10][1] == "3000");
  // The mean of the last three evaluations (5 deterministic episodes each).
  double sac = 0;
  for (size_t r = 8; r <= 10; ++r) sac += std::stod(rows[r][2]) / 3;
  // Uniformly random actions on the same env and the same kind of starts, 50 episodes.
  PointMass env({1.0, 3.0, 30});
  Rng rng(99);
  double random = 0;
  for (int k = 0; k < 50; ++k) {
    env.reset(rng.next_u64());
    for (int t = 0; t < 30; ++t)
      random += env.step(Vec::Constant(1, rng.uniform(-1, 1))).reward / 50;
  }
  INFO("SAC " << sac << ", random " << random);
  CHECK(random < -100);
  CHECK(sac > -10);  // near the origin at rest: the start's own cost is up to -9 per step
  CHECK(sac > random / 20);
}

TEST_CASE(
    "sac: the same seed gives the same learning curve and metrics, directly and through the "
    "Runner") {
  // Small: under the sanitizers every Runner tick also builds a snapshot.
  const std::vector<std::string> sets = {
      "seed=7",        "runs=2", "steps=600", "sac.learning_starts=100", "sac.batch_size=32",
      "eval_every=200"};
  auto a = make(sets);
  a->run_to_end();
  auto b = make(sets);
  b->run_to_end();
  const auto oa = outputs(*a, "det_a"), ob = outputs(*b, "det_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(csv_cells(oa.second).size() == 1 + 2 * 3);  // both runs' evaluations
  const auto dir = temp_dir("sac_det_runner");
  write_outputs_through_runner([&] { return make(sets); }, dir);
  CHECK(read_file(dir / "metrics.csv") == oa.first);
  CHECK(curve_without_wall(read_file(dir / "learning_curve.csv")) == oa.second);
  std::filesystem::remove_all(dir);

  // Another seed learns differently.
  auto c = make({"seed=8", "runs=2", "steps=600", "sac.learning_starts=100", "sac.batch_size=32",
                 "eval_every=200"});
  c->run_to_end();
  CHECK(outputs(*c, "det_c").second != oa.second);
}

TEST_CASE("sac: a session saved mid-training continues bit-identically") {
  const std::vector<std::string> sets = {
      "seed=3",        "runs=2", "steps=700", "sac.learning_starts=100", "sac.batch_size=32",
      "eval_every=200"};
  auto a = make(sets);
  // Save in the second run, between updates (pending updates, a partly filled buffer, moments).
  auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
  while (!(ea.clock().run == 1 && ea.clock().run_steps == 350) && a->tick()) {
  }
  REQUIRE(ea.clock().run == 1);
  REQUIRE(ea.agent().thinking());
  const auto dir = temp_dir("sac_session");
  save_session(*a, dir / "session");
  auto b = load_session(dir / "session", env_registry());
  CHECK(outputs(*a, "at_save_a") == outputs(*b, "at_save_b"));
  while (a->tick()) REQUIRE(b->tick());
  CHECK(!b->tick());
  const auto oa = outputs(*a, "end_a"), ob = outputs(*b, "end_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  const auto& la = dynamic_cast<const SacAgent&>(ea.agent()).learner();
  const auto& lb =
      dynamic_cast<const SacAgent&>(dynamic_cast<EpisodicExperiment&>(*b).agent()).learner();
  CHECK(la.actor().params() == lb.actor().params());
  CHECK(la.q1().params() == lb.q1().params());
  CHECK(la.alpha() == lb.alpha());
  std::filesystem::remove_all(dir);
}

TEST_CASE("sac: bad config is a one-line error naming the key") {
  const std::string bad = error_of([] { make({"sac.tau=2"}); });
  CHECK(bad.find("sac.tau") != std::string::npos);
  CHECK(bad.find('\n') == std::string::npos);
  const std::string act = error_of([] { make({"sac.activation=\"sigmoid\""}); });
  CHECK(act.find("sac.activation") != std::string::npos);
  const std::string env = error_of([] {
    make_experiment(load_experiment("sac_point_mass", {"env={\"name\": \"grid_world\"}"}),
                    env_registry());
  });
  CHECK(env.find("bounded box action space") != std::string::npos);
}

TEST_CASE(
    "sac: the learning rate, batch size and evaluation apply live; the networks' shape waits for a "
    "reset") {
  auto e = make({"seed=1", "steps=900"});
  auto& ee = dynamic_cast<EpisodicExperiment&>(*e);
  while (ee.clock().run_steps < 400 && e->tick()) {
  }
  Json edited = e->config();
  edited["sac"]["learning_rate"] = 0.01;
  edited["sac"]["batch_size"] = 16;
  edited["eval_every"] = 250;
  edited["sac"]["hidden"] = Json::array({8});
  const LiveEdit edit = e->apply_live_edit(edited);
  CHECK(edit.live.size() == 3);
  CHECK(edit.pending == std::vector<std::string>{"sac.hidden"});
  const auto& sac = dynamic_cast<const SacAgent&>(ee.agent());
  CHECK(sac.learner().config().learning_rate == 0.01);
  CHECK(sac.learner().config().batch_size == 16);
  CHECK(sac.learner().config().hidden == std::vector<int>{64, 64});
  e->run_to_end();
  const auto rows = csv_cells(outputs(*e, "live").second);
  // Evaluations at 300 (before the edit), then every 250 steps: 500, 750.
  REQUIRE(rows.size() == 4);
  CHECK(rows[1][1] == "300");
  CHECK(rows[2][1] == "500");
  CHECK(rows[3][1] == "750");
}

TEST_CASE("sac: actor_update_frequency and target_update_interval skip the actor and the targets") {
  SacConfig c;
  c.hidden = {8};
  c.batch_size = 16;
  c.actor_update_frequency = 4;
  c.target_update_interval = 2;
  SacLearner l(c, 2, 1, Rng(5));
  Rng rng(6);
  for (int i = 0; i < 64; ++i) {
    const Vec s = Vec::Random(2);
    l.add(s, Vec::Constant(1, rng.uniform(-1, 1)), rng.uniform(), s * 0.9, false);
  }
  for (int u = 0; u < 8; ++u) {
    const auto actor = l.actor().params(), target = l.q1_target().params();
    const double alpha = l.alpha();
    const SacLosses loss = l.update();
    const bool actor_turn = u % 4 == 0;
    CAPTURE(u);
    CHECK((l.actor().params() != actor) == actor_turn);
    CHECK((l.alpha() != alpha) == actor_turn);  // the temperature steps with the actor
    CHECK((loss.actor != 0) == actor_turn);
    CHECK((l.q1_target().params() != target) == (u % 2 == 0));
  }
  // Bad values name the key.
  const std::string bad = error_of([] { make({"sac.actor_update_frequency=0"}); });
  CHECK(bad.find("sac.actor_update_frequency") != std::string::npos);
}

}  // namespace test_sac
