// The mbpg family (v2.5, model-based policy gradient, ME-TRPO style with PPO): every imagined
// step comes from a random elite member, drawn through the seed; an imagined trajectory runs H
// steps, stops at termination and at the end of PPO's rollout, and feeds PPO exactly what it
// imagined; the agent's iterations (fit, imagine, PPO, one real episode) are deterministic per
// seed and thread count, continue bit-identically from a saved session, and bad config is a
// one-line error naming the key. The learning outcome (short branches learn, whole imagined
// episodes of the presets' small model do not) is in the reference suite
// (tests/reference_mbpg.cpp) and lesson 23's checked claims.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/agents/mbpg/mbpg_agent.h"
#include "core/agents/mbpo/mbpo_agent.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/models/ensemble.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/learning_curve_util.h"
#include "tests/runner_util.h"
#include "tests/test_util.h"

namespace test_mbpg {

using namespace dynalab;
using namespace dynalab::test;

namespace {

/// A short mbpg_pendulum_h20: 2 runs of 3 iterations after 200 random steps, small networks.
std::vector<std::string> short_run(int seed, const std::vector<std::string>& more = {}) {
  std::vector<std::string> s = {"seed=" + std::to_string(seed), "runs=2", "episodes=3",
                                "random_steps=200", "model.hidden=[16, 16]", "model.epochs=3",
                                "ppo.hidden=[16]", "ppo.n_steps=300", "ppo.batch_size=100",
                                "ppo.n_epochs=2", "eval_every=400", "eval_episodes=1"};
  s.insert(s.end(), more.begin(), more.end());
  return s;
}

std::unique_ptr<Experiment> make(const std::vector<std::string>& sets,
                                 const std::string& preset = "mbpg_pendulum_h20") {
  return make_experiment(load_experiment(preset, sets), env_registry());
}

const MbpgAgent& agent_of(Experiment& e) {
  return dynamic_cast<const MbpgAgent&>(dynamic_cast<EpisodicExperiment&>(e).agent());
}

std::string iterations_csv(Experiment& e, const std::string& tag) {
  const auto dir = temp_dir(tag);
  e.write_outputs(dir);
  const std::string csv = read_file(dir / "mbpg_iterations.csv");
  std::filesystem::remove_all(dir);
  return csv;
}

std::unique_ptr<Env> make_pendulum() {
  Json j = {{"name", "pendulum"}};
  ConfigNode node(j, "test");
  return env_registry().make(node);
}

/// A small ensemble fit for a few epochs on random pendulum data, and its ME-TRPO stepper.
struct Imagination {
  std::unique_ptr<Env> env = make_pendulum();
  ModelConfig cfg = [] {
    ModelConfig m;
    m.hidden = {16, 16};
    m.ensemble_size = 5;
    m.elite_members = 3;
    m.epochs = 3;
    return m;
  }();
  std::shared_ptr<Ensemble> model;
  std::vector<Vec> states;
  Imagination() {
    const int o = env->observation_space().dim(), a = env->action_space().dim();
    Dataset data(o, a);
    Rng rng(11);
    Vec s = env->reset(3);
    for (int t = 0; t < 300; ++t) {
      const Vec act = env->action_space().sample(rng);
      const StepResult r = env->step(act);
      data.add({0, s, act, r.reward, r.obs, r.terminated});
      states.push_back(s);
      s = r.truncated ? env->reset(uint64_t(t)) : r.obs;
    }
    model = std::make_shared<Ensemble>(cfg, o, a, 5);
    model->begin_training(data, rng);
    while (!model->train_epoch(rng).done) {
    }
  }
  ActorCriticLearner learner(int n_steps = 400) const {
    PpoConfig p;
    p.hidden = {16};
    p.n_steps = n_steps;
    return ActorCriticLearner(p, env->observation_space(), env->action_space(), Rng(9));
  }
};

}  // namespace

TEST_CASE("mbpg: every imagined step draws a random elite member, the same ones per seed") {
  Imagination im;
  const auto stepper = mbpo_model_stepper(im.cfg, *im.env, im.model);
  const std::vector<int>& elites = im.model->rollout_members();
  REQUIRE(elites.size() == 3);
  ActorCriticLearner l1 = im.learner(), l2 = im.learner(), l3 = im.learner();
  const Space box = im.env->action_space();
  const ImaginedTrajectory a = imagine_trajectory(*stepper, l1, box, im.states[5], 40, 77, 0);
  const ImaginedTrajectory b = imagine_trajectory(*stepper, l2, box, im.states[5], 40, 77, 0);
  const ImaginedTrajectory c = imagine_trajectory(*stepper, l3, box, im.states[5], 40, 78, 0);
  REQUIRE(a.steps() == 40);
  const std::set<int> used(a.members.begin(), a.members.end());
  CHECK(used.size() == elites.size());  // 40 uniform draws from 3 elites: all of them appear
  for (int m : used) CHECK(std::find(elites.begin(), elites.end(), m) != elites.end());
  int changes = 0;
  for (size_t t = 1; t < a.members.size(); ++t) changes += a.members[t] != a.members[t - 1];
  CHECK(changes > 10);  // a fresh draw every step, not one member per trajectory
  CHECK(a.members == b.members);
  CHECK(a.states == b.states);
  CHECK(a.rewards == b.rewards);
  CHECK(a.members != c.members);  // another seed, other draws
}

TEST_CASE("mbpg: an imagined trajectory runs H steps into PPO's rollout, stops at termination "
          "and at the rollout's end") {
  Imagination im;
  const auto stepper = mbpo_model_stepper(im.cfg, *im.env, im.model);
  const Space box = im.env->action_space();
  ActorCriticLearner l = im.learner(50);
  const ImaginedTrajectory a = imagine_trajectory(*stepper, l, box, im.states[7], 20, 1, 0);
  CHECK(a.steps() == 20);
  CHECK(a.states.size() == 21);
  CHECK(a.states.front() == im.states[7]);
  CHECK(!a.terminated);
  CHECK(!a.rollout_full);
  REQUIRE(l.rollout_size() == 20);
  CHECK(l.rollout().episode_ends.back() == 1);  // truncated at H: an episode end for GAE
  CHECK(std::abs(l.rollout().rewards[3] - a.rewards[3]) < 1e-12);
  // The env's closed-form reward of every imagined step (actions clipped to the box).
  for (double r : a.rewards) CHECK(r <= 0);
  const ImaginedTrajectory b = imagine_trajectory(*stepper, l, box, im.states[9], 20, 2, 0);
  CHECK(b.steps() == 20);
  const ImaginedTrajectory c = imagine_trajectory(*stepper, l, box, im.states[9], 20, 3, 0);
  CHECK(c.steps() == 10);  // PPO's rollout of 50 is full after 10 more steps
  CHECK(c.rollout_full);
  CHECK(l.updating());
  CHECK_THROWS(imagine_trajectory(*stepper, l, box, im.states[9], 20, 4, 0));

  // Termination: a predicate on the next state ends the trajectory at its first true step.
  const BatchTerminationFn fast = [](const auto&, const auto&, const auto& next, auto out) {
    for (Eigen::Index i = 0; i < next.rows(); ++i) out[i] = std::abs(next(i, 2)) > 0.5f ? 1.f : 0.f;
  };
  ModelEnvConfig rc;
  rc.particles = 1;
  rc.propagation = "ts1";
  const ModelStepper ending(im.model, rc, env_reward(*im.env), fast);
  ActorCriticLearner l2 = im.learner(400);
  const ImaginedTrajectory d = imagine_trajectory(ending, l2, box, im.states[0], 100, 5, 0);
  REQUIRE(d.terminated);
  CHECK(d.steps() < 100);
  CHECK(std::abs(d.states.back()[2]) > 0.5);
  for (int t = 1; t < d.steps(); ++t) CHECK(std::abs(d.states[size_t(t)][2]) <= 0.5);
  CHECK(l2.rollout_size() == d.steps());
  CHECK(l2.rollout().episode_ends.back() == 1);
}

TEST_CASE("mbpg: iterations fit, imagine n_steps, train and run one real episode; outputs") {
  auto a = make(short_run(3, {"runs=1"}));
  a->run_to_end();
  const MbpgAgent& ag = agent_of(*a);
  CHECK(ag.iterations() == 3);
  const auto rows = csv_cells(iterations_csv(*a, "mbpg_rows"));
  REQUIRE(rows.size() == 1 + 3);
  CHECK(rows[0] == std::vector<std::string>{"run", "iteration", "env_steps", "rollout_horizon",
                                            "start_states", "trajectories", "imagined_steps",
                                            "imagined_return", "real_return",
                                            "imagined_minus_real", "model_return",
                                            "model_minus_real"});
  for (size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][1] == std::to_string(i));
    CHECK(rows[i][2] == std::to_string(200 + 200 * i));  // warm-up + one episode per iteration
    CHECK(rows[i][4] == "replay_starts");
    CHECK(rows[i][5] == "15");   // 300 imagined steps in branches of H = 20
    CHECK(rows[i][6] == "300");
    const double imagined = std::stod(rows[i][7]), real = std::stod(rows[i][8]);
    CHECK(std::abs(std::stod(rows[i][9]) - (imagined - real)) < 1e-6 * (1 + std::abs(real)));
    const double forecast = std::stod(rows[i][10]);
    CHECK(forecast < 0);  // 200 steps of the pendulum's cost
    CHECK(std::abs(std::stod(rows[i][11]) - (forecast - real)) < 1e-6 * (1 + std::abs(real)));
  }
  // The metrics' real return is the iteration's real return.
  const auto metrics = csv_cells(learner_outputs(*a, "mbpg_metrics").first);
  REQUIRE(metrics.size() == 4);
  CHECK(metrics[0][4] == "return");
  CHECK(metrics[0][6] == "imagined_return");
  CHECK(std::abs(std::stod(metrics[3][4]) - std::stod(rows[3][8])) < 1e-6 * (1 + std::abs(std::stod(rows[3][8]))));
  const auto snap = a->snapshot();
  REQUIRE(snap->branched_rollouts);
  const BranchedRolloutView& v = *snap->branched_rollouts;
  CHECK(v.rollouts.size() == size_t(MbpgAgent::kShownTrajectories));
  CHECK(v.real_path.size() == 201);
  CHECK(!v.has_schedule);
  bool returns = false, gap = false, forecast = false;
  for (const Figure& f : snap->figures) {
    if (f.id == "real_return") returns = f.series.size() == 1 && f.series[0].y.size() == 3;
    if (f.id == "imagined_minus_real") gap = f.series.size() == 1 && f.series[0].y.size() == 3;
    if (f.id == "forecast_minus_real") forecast = f.series.size() == 1 && f.series[0].y.size() == 3;
  }
  CHECK(returns);
  CHECK(gap);
  CHECK(forecast);

  // Real starts with H = 200: whole imagined episodes from the real episodes' first states.
  auto b = make(short_run(3, {"runs=1", "episodes=1", "ppo.n_steps=500"}), "mbpg_pendulum_h200");
  b->run_to_end();
  const auto rows_b = csv_cells(iterations_csv(*b, "mbpg_rows_b"));
  REQUIRE(rows_b.size() == 2);
  CHECK(rows_b[1][3] == "200");
  CHECK(rows_b[1][4] == "real_starts");
  CHECK(rows_b[1][5] == "3");  // 200 + 200 + the last one cut at 100 by PPO's rollout
  const auto& shown = agent_of(*b).shown_trajectories();
  REQUIRE(shown.size() == 3);
  CHECK(shown[0].states.size() == 201);
  CHECK(shown[2].states.size() == 101);
}

TEST_CASE("mbpg: the same seed gives the same outputs, at 1 and 2 training threads") {
  auto a = make(short_run(7, {"model.threads=1"}));
  a->run_to_end();
  auto b = make(short_run(7, {"model.threads=2"}));
  b->run_to_end();
  const auto oa = learner_outputs(*a, "mbpg_det_a"), ob = learner_outputs(*b, "mbpg_det_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(iterations_csv(*a, "mbpg_it_a") == iterations_csv(*b, "mbpg_it_b"));
  CHECK(csv_cells(oa.first).size() == 1 + 2 * 3);
  const auto dir = temp_dir("mbpg_det_runner");
  write_outputs_through_runner([&] { return make(short_run(7)); }, dir);
  CHECK(read_file(dir / "metrics.csv") == oa.first);
  std::filesystem::remove_all(dir);
  auto c = make(short_run(8));
  c->run_to_end();
  CHECK(iterations_csv(*c, "mbpg_it_c") != iterations_csv(*a, "mbpg_it_a2"));
}

TEST_CASE("mbpg: a session saved mid-imagination continues bit-identically") {
  for (const bool in_ppo : {false, true}) {
    CAPTURE(in_ppo);
    // A chunk smaller than PPO's rollout: the save falls between two chunks of imagination.
    auto a = make(short_run(5, {"ppo.n_steps=2500"}));
    auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
    const auto there = [&] {
      const MbpgAgent& ag = agent_of(*a);
      if (ea.clock().run != 1 || ag.iterations() != 1 || !ag.thinking()) return false;
      return in_ppo ? ag.learner().updating() && ag.learner().updates() > 0
                    : !ag.learner().updating() && ag.learner().rollout_size() > 0;
    };
    while (!there() && a->tick()) {
    }
    REQUIRE(there());
    const auto dir = temp_dir("mbpg_session");
    save_session(*a, dir / "session");
    auto b = load_session(dir / "session", env_registry());
    while (a->tick()) REQUIRE(b->tick());
    CHECK(!b->tick());
    const auto oa = learner_outputs(*a, "mbpg_end_a"), ob = learner_outputs(*b, "mbpg_end_b");
    CHECK(oa.first == ob.first);
    CHECK(oa.second == ob.second);
    CHECK(iterations_csv(*a, "mbpg_end_it_a") == iterations_csv(*b, "mbpg_end_it_b"));
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("mbpg: a live horizon change applies from the next iteration") {
  auto a = make(short_run(4, {"runs=1"}));
  auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
  while (agent_of(*a).iterations() < 1 && a->tick()) {
  }
  Json edited = a->config();
  edited["rollout_horizon"] = 50;
  a->apply_live_edit(edited);
  a->run_to_end();
  (void)ea;
  const auto rows = csv_cells(iterations_csv(*a, "mbpg_live"));
  REQUIRE(rows.size() == 4);
  CHECK(rows[1][3] == "20");
  CHECK(rows[3][3] == "50");
  CHECK(rows[3][5] == "6");  // 300 imagined steps in trajectories of 50
}

TEST_CASE("mbpg: bad config is a one-line error naming the key") {
  const std::string starts = error_of([] { make({"start_states=\"episode\""}); });
  CHECK(starts.find("start_states") != std::string::npos);
  CHECK(starts.find('\n') == std::string::npos);
  const std::string h = error_of([] { make({"rollout_horizon=0"}); });
  CHECK(h.find("rollout_horizon") != std::string::npos);
  const std::string pred = error_of([] { make({"model.prediction=\"system_id\""}); });
  CHECK(pred.find("model.prediction") != std::string::npos);
  const std::string lr = error_of([] { make({"ppo.learning_rate=-1"}); });
  CHECK(lr.find("ppo.learning_rate") != std::string::npos);
  const std::string unknown = error_of([] { make({"horizon=5"}); });
  CHECK(unknown.find("horizon") != std::string::npos);
}

}  // namespace test_mbpg
