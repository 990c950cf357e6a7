// The ppo and a2c families end to end: a short fixed-seed PPO run on the pendulum beats the
// random policy by a wide margin; the same seed gives the same learning curve and metrics,
// directly and through the Runner's worker thread; a session saved mid-rollout or between two
// minibatch steps continues bit-identically (networks, optimiser moments, normalisers, gSDE
// noise, rollout, Rng); bad keys are one-line errors.
#include <doctest/doctest.h>

#include "core/agents/actor_critic/actor_critic_agent.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/learning_curve_util.h"
#include "tests/runner_util.h"
#include "tests/test_util.h"

namespace test_actor_critic {

using namespace dynalab;
using namespace dynalab::test;

namespace {

std::unique_ptr<Experiment> make(const std::string& preset, const std::vector<std::string>& sets) {
  return make_experiment(load_experiment(preset, sets), env_registry());
}

const ActorCriticAgent& agent_of(Experiment& e) {
  return dynamic_cast<const ActorCriticAgent&>(dynamic_cast<EpisodicExperiment&>(e).agent());
}

// Small settings: under the sanitizers every Runner tick also builds a snapshot.
const std::vector<std::string> kSmallPpo = {"runs=2",          "steps=1200",
                                            "ppo.n_steps=256", "ppo.batch_size=64",
                                            "ppo.n_epochs=2",  "ppo.hidden=[16, 16]",
                                            "eval_every=400",  "eval_episodes=2"};
const std::vector<std::string> kSmallA2c = {
    "runs=2",         "steps=1200",       "a2c.hidden=[16, 16]", "a2c.learning_rate_decay_steps=1200",
    "eval_every=400", "eval_episodes=2"};

std::vector<std::string> with(std::vector<std::string> sets, const std::string& more) {
  sets.push_back(more);
  return sets;
}

}  // namespace

TEST_CASE("ppo_pendulum: a short fixed-seed run beats the random policy by a wide margin") {
  auto e = make("ppo_pendulum", {"seed=0", "steps=30000"});
  e->run_to_end();
  const auto rows = csv_cells(learner_outputs(*e, "ppo_beats_random").second);
  REQUIRE(rows.size() == 7);  // header + an evaluation every 5000 of 30000 steps
  const double first = std::stod(rows[1][2]), last = std::stod(rows.back()[2]);
  INFO("PPO eval return at 5k " << first << ", at 30k " << last);
  CHECK(first < -900);  // an untrained policy: the pendulum hangs and spins (random is ~ -1200)
  CHECK(last > -300);
}

TEST_CASE("ppo and a2c: the same seed gives the same curve and metrics, directly and on a Runner") {
  for (const auto& learner : {std::pair{std::string("ppo_pendulum"), kSmallPpo},
                              std::pair{std::string("a2c_pendulum"), kSmallA2c}}) {
    // Named references, not a structured binding: clang 14 (the sanitizer builds) cannot
    // capture a binding in a lambda, and CAPTURE is one.
    const std::string& preset = learner.first;
    const auto& sets = learner.second;
    CAPTURE(preset);
    auto a = make(preset, with(sets, "seed=7"));
    a->run_to_end();
    auto b = make(preset, with(sets, "seed=7"));
    b->run_to_end();
    const auto oa = learner_outputs(*a, "ac_det_a"), ob = learner_outputs(*b, "ac_det_b");
    CHECK(oa == ob);
    CHECK(csv_cells(oa.second).size() == 1 + 2 * 3);  // both runs' evaluations
    const auto dir = temp_dir("ac_det_runner");
    write_outputs_through_runner([&] { return make(preset, with(sets, "seed=7")); }, dir);
    CHECK(read_file(dir / "metrics.csv") == oa.first);
    CHECK(curve_without_wall(read_file(dir / "learning_curve.csv")) == oa.second);
    std::filesystem::remove_all(dir);
    auto c = make(preset, with(sets, "seed=8"));
    c->run_to_end();
    CHECK(learner_outputs(*c, "ac_det_c").second != oa.second);
  }
}

TEST_CASE("ppo and a2c: a session saved mid-training continues bit-identically") {
  // PPO with gSDE, saved between two minibatch steps; A2C with both normalisers and RMSprop,
  // saved mid-rollout.
  for (const auto& learner : {std::tuple{std::string("ppo_pendulum"), kSmallPpo, true},
                              std::tuple{std::string("a2c_pendulum"), kSmallA2c, false}}) {
    const std::string& preset = std::get<0>(learner);  // not a binding: see above
    const auto& sets = std::get<1>(learner);
    const bool thinking = std::get<2>(learner);
    CAPTURE(preset);
    auto a = make(preset, with(sets, "seed=3"));
    auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
    while (!(ea.clock().run == 1 && ea.clock().run_steps >= 515 && ea.agent().thinking() == thinking) &&
           a->tick()) {
    }
    REQUIRE(ea.clock().run == 1);
    const auto dir = temp_dir("ac_session");
    save_session(*a, dir / "session");
    auto b = load_session(dir / "session", env_registry());
    CHECK(learner_outputs(*a, "ac_at_save_a") == learner_outputs(*b, "ac_at_save_b"));
    while (a->tick()) REQUIRE(b->tick());
    CHECK(!b->tick());
    CHECK(learner_outputs(*a, "ac_end_a") == learner_outputs(*b, "ac_end_b"));
    CHECK(agent_of(*a).learner().updates() == agent_of(*b).learner().updates());
    CHECK(agent_of(*a).learner().value(Vec::Ones(3)) == agent_of(*b).learner().value(Vec::Ones(3)));
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("ppo and a2c: bad config is a one-line error naming the key") {
  const std::string clip = error_of([] { make("ppo_pendulum", {"ppo.clip_range=0"}); });
  CHECK(clip.find("ppo.clip_range") != std::string::npos);
  CHECK(clip.find('\n') == std::string::npos);
  // PPO's keys are not A2C's.
  const std::string other = error_of([] { make("a2c_pendulum", {"a2c.n_epochs=3"}); });
  CHECK(other.find("a2c.n_epochs") != std::string::npos);
  const std::string env = error_of([] {
    make("ppo_pendulum", {"env={\"name\": \"grid_world\"}"});
  });
  CHECK(env.find("bounded box action space") != std::string::npos);
}

TEST_CASE("ppo: the learning rate and clip range apply live from the next rollout") {
  auto e = make("ppo_pendulum", with(kSmallPpo, "seed=1"));
  auto& ee = dynamic_cast<EpisodicExperiment&>(*e);
  while (ee.clock().run_steps < 300 && e->tick()) {
  }
  Json edited = e->config();
  edited["ppo"]["learning_rate"] = 0.01;
  edited["ppo"]["clip_range"] = 0.1;
  edited["ppo"]["hidden"] = Json::array({8});
  const LiveEdit edit = e->apply_live_edit(edited);
  CHECK(edit.live.size() == 2);
  CHECK(edit.pending == std::vector<std::string>{"ppo.hidden"});
  CHECK(agent_of(*e).learner().config().learning_rate == 0.01);
  CHECK(agent_of(*e).learner().config().clip_range == 0.1);
  CHECK(agent_of(*e).learner().config().hidden == std::vector<int>{16, 16});
  while (!agent_of(*e).learner().updating() && e->tick()) {
  }
  CHECK(agent_of(*e).learner().current_learning_rate() == 0.01);
}

}  // namespace test_actor_critic
