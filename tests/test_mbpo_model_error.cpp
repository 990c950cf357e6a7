// MBPO's model error vs k under the current policy (core/analysis/closed_loop_error.h): zero for
// a perfect model (the env itself as the model) at every h; a series stops at the real env's
// termination; a trained ensemble's error grows with k; same seed, same numbers; and turning
// the analysis on or off changes no learning number; a session continues with the same curves.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>

#include "core/agents/mbpo/mbpo_agent.h"
#include "core/analysis/closed_loop_error.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/rng.h"
#include "core/session.h"
#include "core/snapshot.h"
#include "envs/registry.h"
#include "tests/learning_curve_util.h"
#include "tests/mbpo_small_config.h"
#include "tests/test_util.h"

namespace test_mbpo_model_error {

using namespace dynalab;
using namespace dynalab::test;

namespace {

std::unique_ptr<Env> make_env(const std::string& name, bool force_action = false) {
  Json j = {{"name", name}};
  if (force_action) j["discrete"] = false;
  ConfigNode node(j, "test");
  return env_registry().make(node);
}

/// `n` real starts: each after a few random steps from a reset (through `rng`).
std::vector<RealStart> real_starts(Env& env, int n, Rng& rng) {
  std::vector<RealStart> out;
  for (int i = 0; i < n; ++i) {
    Vec obs = env.reset(rng.next_u64());
    const int steps = rng.integer(0, 5);
    for (int t = 0; t < steps; ++t) {
      const Space a = env.action_space();
      Vec u(a.dim());
      for (int d = 0; d < a.dim(); ++d) u[d] = rng.uniform(a.low[d], a.high[d]);
      obs = env.step(u).obs;
    }
    out.push_back({obs, env.get_state()});
  }
  return out;
}

/// The env itself as the model: one clone per start, set to the start's state, stepped with the
/// model's actions (its input states are then the clone's own observations). A second call with
/// the same input (the open loop of a perfect model sees the same states and actions as its
/// closed loop) returns the same output, as a model would, without stepping again.
ModelStep env_as_model(const Env& env, const std::vector<RealStart>& starts) {
  struct Sims {
    std::vector<std::unique_ptr<Env>> envs;
    Eigen::MatrixXd s, a, next;
  };
  auto sims = std::make_shared<Sims>();
  for (const RealStart& s : starts) {
    sims->envs.push_back(env.clone());
    sims->envs.back()->set_state(s.state);
  }
  return [sims](const Eigen::MatrixXd& s, const Eigen::MatrixXd& a) {
    if (sims->s.rows() == s.rows() && sims->s == s && sims->a == a) return sims->next;
    Eigen::MatrixXd next(s.rows(), s.cols());
    for (Eigen::Index i = 0; i < s.rows(); ++i)
      next.row(i) = sims->envs[size_t(i)]->step(a.row(i).transpose()).obs.transpose();
    sims->s = s, sims->a = a, sims->next = next;
    return next;
  };
}

std::unique_ptr<Experiment> make(const std::string& preset, const std::vector<std::string>& sets) {
  return make_experiment(load_experiment(preset, sets), env_registry());
}

const MbpoAgent& agent_of(Experiment& e) {
  return dynamic_cast<const MbpoAgent&>(dynamic_cast<EpisodicExperiment&>(e).agent());
}

std::string output_file(Experiment& e, const std::string& tag, const std::string& name) {
  const auto dir = temp_dir(tag);
  e.write_outputs(dir);
  const std::string s = std::filesystem::exists(dir / name) ? read_file(dir / name) : "";
  std::filesystem::remove_all(dir);
  return s;
}

/// mbpo_pendulum shortened: one refit at 1000 env steps, then a few updates.
std::vector<std::string> short_pendulum(const std::string& seed) {
  return {"seed=" + seed, "steps=1010", "num_sac_updates_per_step=1", "rollout_batch_size=200",
          "model.epochs=30", "eval_every=1000", "eval_episodes=1"};
}

}  // namespace

TEST_CASE("model error vs k: the env itself as the model has zero error at every k") {
  auto env = make_env("pendulum");
  Rng rng(11);
  const auto starts = real_starts(*env, 8, rng);
  // Any deterministic policy: the same one drives both rollouts.
  const auto policy = [](const Vec& obs) { return Vec::Constant(1, std::clamp(-2.0 * obs[2], -2.0, 2.0)); };
  ClosedLoopErrorOptions o;
  o.horizon = 25;
  const ClosedLoopError r = closed_loop_error(env_as_model(*env, starts), *env, starts, policy, o);
  REQUIRE(r.closed_loop.error.size() == 25);
  for (int h = 0; h < 25; ++h) {
    CAPTURE(h);
    CHECK(r.closed_loop.error[size_t(h)] == 0.0);
    CHECK(r.open_loop.error[size_t(h)] == 0.0);
    CHECK(r.closed_loop.count[size_t(h)] == 8);  // the pendulum never terminates
    CHECK(r.closed_loop.diverged[size_t(h)] == 0);
  }
}

TEST_CASE("model error vs k: a start's series stops where the real env terminates") {
  auto env = make_env("cartpole_balance", true);
  Rng rng(5);
  const auto starts = real_starts(*env, 1, rng);
  const auto push = [&](const Vec&) { return Vec::Constant(1, env->action_space().high[0]); };
  // The true termination step under the full push.
  auto sim = env->clone();
  sim->set_state(starts[0].state);
  int T = 0;
  while (T < 25 && !sim->step(push(Vec())).terminated) ++T;
  ++T;  // steps 1..T exist, the T-th terminated
  REQUIRE(T < 25);
  const ClosedLoopError r = closed_loop_error(env_as_model(*env, starts), *env, starts, push);
  for (int h = 1; h <= 25; ++h) {
    CAPTURE(h);
    CHECK(r.closed_loop.count[size_t(h - 1)] == (h <= T ? 1 : 0));
    CHECK(std::isnan(r.closed_loop.error[size_t(h - 1)]) == (h > T));
  }
}

TEST_CASE("model error vs k: a trained ensemble on the pendulum compounds, deterministically") {
  auto a = make("mbpo_pendulum", short_pendulum("0"));
  a->run_to_end();
  const MbpoAgent& ag = agent_of(*a);
  REQUIRE(ag.model_fits() == 1);
  const CompoundingError& e = ag.model_error().closed_loop;
  REQUIRE(e.error.size() == size_t(MbpoAgent::kModelErrorHorizon));
  MESSAGE("closed loop k=1 " << e.error[0] << ", k=10 " << e.error[9] << ", k=25 " << e.error[24]
                             << "; open loop k=1 " << ag.model_error().open_loop.error[0] << ", k=10 "
                             << ag.model_error().open_loop.error[9] << ", k=25 "
                             << ag.model_error().open_loop.error[24]);
  CHECK(e.error[9] > e.error[0]);
  CHECK(e.count[0] == 32);
  // Also in the snapshot's view and in the run's CSV.
  Snapshot s;
  ag.publish(s);
  REQUIRE(s.branched_rollouts);
  CHECK(s.branched_rollouts->model_error == e.error);
  CHECK(s.branched_rollouts->model_error_env_steps == 1000);
  const std::string csv = output_file(*a, "mbpo_err_a", "model_error_vs_k.csv");
  const auto rows = csv_cells(csv);
  REQUIRE(rows.size() == 1 + 25);
  CHECK(rows[0] == std::vector<std::string>{"run", "env_steps", "k", "error", "open_loop_error", "count"});
  CHECK(rows[1][1] == "1000");
  // Same seed, same numbers.
  auto b = make("mbpo_pendulum", short_pendulum("0"));
  b->run_to_end();
  CHECK(output_file(*b, "mbpo_err_b", "model_error_vs_k.csv") == csv);

  // Its cost: the analysis on the trained model from 32 starts (K = 25, closed and open loop).
  auto env = make_env("pendulum");
  Rng rng(3);
  const auto starts = real_starts(*env, 32, rng);
  const ActionScale scale{env->action_space()};
  const auto policy = [&](const Vec& obs) { return scale.to_env(ag.learner().deterministic_action(obs)); };
  const auto t0 = std::chrono::steady_clock::now();
  const int reps = 5;
  for (int i = 0; i < reps; ++i) closed_loop_error(model_mean_step(ag.model()), *env, starts, policy);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps;
  MESSAGE("closed_loop_error, 32 starts, K = 25, closed + open loop: " << ms << " ms");
  ClosedLoopErrorOptions closed_only;
  closed_only.open_loop = false;
  const auto t1 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i)
    closed_loop_error(model_mean_step(ag.model()), *env, starts, policy, closed_only);
  MESSAGE("closed loop only: "
          << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count() / reps
          << " ms");
}

TEST_CASE("model error vs k: the analysis changes no learning number") {
  const std::vector<std::string> sets = mbpo_small_config("4");
  auto on = make("mbpo_point_mass", sets);
  on->run_to_end();
  auto off_sets = sets;
  off_sets.push_back("model_error_starts=0");
  auto off = make("mbpo_point_mass", off_sets);
  off->run_to_end();
  CHECK(learner_outputs(*on, "mbpo_err_on") == learner_outputs(*off, "mbpo_err_off"));
  CHECK(agent_of(*on).learner().actor().params() == agent_of(*off).learner().actor().params());
  CHECK(!agent_of(*on).model_error().closed_loop.error.empty());
  CHECK(agent_of(*off).model_error().closed_loop.error.empty());
  CHECK(output_file(*off, "mbpo_err_off_csv", "model_error_vs_k.csv").empty());
  // Both runs' refits in the CSV (the runs share it as they share learning_curve.csv).
  const auto rows = csv_cells(output_file(*on, "mbpo_err_on_csv", "model_error_vs_k.csv"));
  CHECK(rows.size() == 1 + 2 * 3 * 25);  // 2 runs x refits at 60, 90, 120 x K
  // The same numbers with one training thread instead of two.
  auto one_sets = sets;
  one_sets.push_back("model.threads=1");
  auto one = make("mbpo_point_mass", one_sets);
  one->run_to_end();
  CHECK(output_file(*one, "mbpo_err_one_csv", "model_error_vs_k.csv") ==
        output_file(*on, "mbpo_err_on_csv2", "model_error_vs_k.csv"));
}

TEST_CASE("model error vs k: a session saved mid-run continues with the same curves") {
  auto a = make("mbpo_point_mass", mbpo_small_config("5"));
  auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
  // After the first refit's analysis of the second run, before its second refit.
  while (!(ea.clock().run == 1 && ea.clock().run_steps == 75) && a->tick()) {
  }
  REQUIRE(!agent_of(*a).model_error().closed_loop.error.empty());
  const auto dir = temp_dir("mbpo_err_session");
  save_session(*a, dir / "session");
  auto b = load_session(dir / "session", env_registry());
  std::filesystem::remove_all(dir);
  CHECK(agent_of(*b).model_error().closed_loop.error == agent_of(*a).model_error().closed_loop.error);
  while (a->tick()) REQUIRE(b->tick());
  CHECK(output_file(*a, "mbpo_err_sa", "model_error_vs_k.csv") ==
        output_file(*b, "mbpo_err_sb", "model_error_vs_k.csv"));
}

}  // namespace test_mbpo_model_error
