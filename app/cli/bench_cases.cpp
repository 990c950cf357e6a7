// The benchmark cases. Each reports rates as counters (kIsRate: per second of real time).

#include "app/cli/bench.h"

#include <map>

#include "core/agents/latent/latent_model.h"
#include "core/agents/mbpo/branched_rollout.h"
#include "core/agents/mbpo/mbpo_agent.h"
#include "core/agents/mpc/mbrl_agent.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/agents/sac/sac_learner.h"
#include "core/dataset.h"
#include "core/models/ensemble.h"
#include "core/planning/model_env.h"
#include "core/planning/oracle_evaluator.h"
#include "core/planning/planner_config.h"
#include "core/experiment.h"
#include "core/snapshot.h"
#include "core/raster_canvas.h"
#include "core/rng.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

using benchmark::Counter;

/// Random-action env steps per second, one env on one thread (resets counted as part of it).
void env_steps(benchmark::State& state, const EnvEntry& entry) {
  ConfigNode node(Json::object(), "bench");
  auto env = entry.make(node);
  Rng rng(1);
  const Space as = env->action_space();
  std::vector<Vec> actions;
  for (int i = 0; i < 1024; ++i) actions.push_back(as.sample(rng));
  env->reset(0);
  int64_t steps = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      const StepResult r = env->step(actions[(steps + i) & 1023]);
      if (r.terminated || r.truncated) env->reset(steps + i);
    }
    steps += 1000;
  }
  state.counters["steps_per_s"] = Counter(double(steps), Counter::kIsRate);
}

/// Camera frames per second (issue 20): render_frame() of an env at 32 x 32 over its square view,
/// cycling through 64 states of a random-action episode so the shapes move as in training.
void render_frames(benchmark::State& state, const std::string& env_name) {
  ConfigNode node(Json{{"name", env_name}}, "bench");
  auto env = env_registry().make(node);
  const Bounds view = square_view(env->world_bounds());
  Rng rng(1);
  std::vector<std::vector<double>> states;
  env->reset(0);
  for (int i = 0; i < 64; ++i) {
    const StepResult r = env->step(env->action_space().sample(rng));
    if (r.terminated || r.truncated) env->reset(uint64_t(i) + 1);
    states.push_back(env->get_state());
  }
  int64_t frames = 0;
  for (auto _ : state) {
    for (int i = 0; i < 100; ++i) {
      env->set_state(states[(frames + i) & 63]);
      benchmark::DoNotOptimize(render_frame(*env, 32, view).data());
    }
    frames += 100;
  }
  state.counters["frames_per_s"] = Counter(double(frames), Counter::kIsRate);
}

// One Adam step of pendulum_pixels' latent model (its default shapes) on 32 sequences of
// K = 10 steps of two stacked 32x32 frames: the counter is training frames per second, the
// sequences' 11 observations each.
void latent_train_step(benchmark::State& state) {
  const int obs_dim = 2 * 32 * 32, frame_dim = 32 * 32, n = 32;
  LatentModelConfig cfg;
  Rng rng(1);
  LatentModel model(cfg, obs_dim, frame_dim, 1, rng);
  LatentModel::Batch b;
  const int K = cfg.train_horizon;
  for (int k = 0; k <= K; ++k) b.obs.push_back(LatentModel::Mat::NullaryExpr(n, obs_dim, [&] { return rng.uniform_float(); }));
  for (int k = 0; k < K; ++k) {
    b.actions.push_back(LatentModel::Mat::NullaryExpr(n, 1, [&] { return 2 * rng.uniform_float() - 1; }));
    b.rewards.push_back(LatentModel::Mat::NullaryExpr(n, 1, [&] { return float(rng.normal()); }));
  }
  int64_t frames = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.train_step(b).total);
    frames += int64_t(n) * (K + 1);
  }
  state.counters["frames_per_s"] = Counter(double(frames), Counter::kIsRate);
}

std::unique_ptr<Experiment> experiment(const std::string& name, const std::vector<std::string>& sets) {
  return make_experiment(load_experiment(name, sets), env_registry());
}

/// Dyna-Q planning updates per second on the Dyna Maze with n = 50 (the real steps are counted
/// in the time too, they are 1 in 51 updates).
void dyna_planning(benchmark::State& state) {
  int64_t updates = 0;
  for (auto _ : state) {
    auto e = experiment("dyna_maze", {"agent.planning_steps=50", "episodes=20"});
    e->run_to_end();
    updates += e->snapshot()->q_table->planning_updates;  // a tabular preset
  }
  state.counters["planning_updates_per_s"] = Counter(double(updates), Counter::kIsRate);
}

/// The book's Figure 8.2: n = 0, 5, 50, 30 runs of 50 episodes each.
void dyna_maze_figure(benchmark::State& state) {
  for (auto _ : state)
    for (const char* n : {"0", "5", "50"})
      experiment("dyna_maze", {"runs=30", std::string("agent.planning_steps=") + n})->run_to_end();
  state.counters["figures_per_s"] = Counter(double(state.iterations()), Counter::kIsRate);
}

/// The two planner configurations of ../shared/bench/README.md, as the PyTorch peer runs them:
/// E = 5 probabilistic SiLU members (obs 4, action 1), TS-inf particles, 5 CEM iterations,
/// cost sum s'^2 + 0.01 a^2. One benchmark iteration = one whole CEM replan through our planner
/// (sampling, rollouts, elite refits), so replans/s includes the planner's own overhead.
struct PlannerBenchConfig {
  int hidden, population, elites, particles, horizon;
};

void planner_replan(benchmark::State& state, PlannerBenchConfig c) {
  const int obs = 4, act = 1, iterations = 5;
  ModelConfig mc;
  mc.prediction = "probabilistic";
  mc.hidden = {c.hidden, c.hidden, c.hidden};
  mc.ensemble_size = mc.elite_members = 5;
  auto model = std::make_shared<Ensemble>(mc, obs, act, 1);
  ModelEnvConfig ec;
  ec.particles = c.particles;
  ec.propagation = "tsinf";
  ec.threads = 2;
  ec.termination = "none";  // the peer's task never terminates
  ModelEnv env(model, ec,
               [](const Eigen::Ref<const RowMatrixXf>&, const Eigen::Ref<const RowMatrixXf>& a,
                  const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> r) {
                 // The peer's cost, sum s'^2 + 0.01 a^2, as a plain loop over rows: Eigen's
                 // rowwise reduction over a few dynamic columns cost 3 % of a replan.
                 for (Eigen::Index i = 0; i < s1.rows(); ++i) {
                   float ss = 0, aa = 0;
                   for (Eigen::Index d = 0; d < s1.cols(); ++d) ss += s1(i, d) * s1(i, d);
                   for (Eigen::Index d = 0; d < a.cols(); ++d) aa += a(i, d) * a(i, d);
                   r[i] = -(ss + 0.01f * aa);
                 }
               });
  PlannerConfig pc;
  pc.optimizer = "cem";
  pc.horizon = c.horizon;
  pc.cem.population = c.population;
  pc.cem.elites = c.elites;
  pc.cem.iterations = iterations;
  auto planner = make_planner(pc, Vec::Constant(act, -1), Vec::Constant(act, 1));
  const Vec start = Vec::Constant(obs, 0.5);
  uint64_t seed = 0;
  planner->plan(env, start, seed++, nullptr);  // warm-up: sizes every workspace
  for (auto _ : state) {
    planner->reset();
    benchmark::DoNotOptimize(planner->plan(env, start, seed++, nullptr).predicted_return);
  }
  const double steps = double(c.population) * c.particles * c.horizon * iterations;
  const double flops = 2.0 * ((obs + act) * c.hidden + 2.0 * c.hidden * c.hidden + c.hidden * 2.0 * obs);
  state.counters["replans_per_s"] = Counter(double(state.iterations()), Counter::kIsRate);
  state.counters["model_steps_per_s"] = Counter(steps * state.iterations(), Counter::kIsRate);
  state.counters["gflops"] = Counter(steps * flops * state.iterations() / 1e9, Counter::kIsRate);
}

/// Oracle MPC on the true pendulum with a preset's planner section and its oracle threads, as
/// MbrlAgent builds them (pendulum_oracle: CEM, pendulum_ilqr_oracle: iLQR).
struct OraclePendulumMpc {
  std::unique_ptr<Env> env;
  std::unique_ptr<OracleEvaluator> oracle;
  std::unique_ptr<TrajectoryOptimizer> planner;

  explicit OraclePendulumMpc(const std::string& preset) {
    const ExperimentSource src = load_experiment(preset);
    ConfigNode node(src.json, src.source);
    MbrlAgentConfig cfg;
    cfg.visit(node);
    ConfigNode env_node(Json{{"name", "pendulum"}}, "bench");
    env = env_registry().make(env_node);
    oracle = std::make_unique<OracleEvaluator>(*env, std::min(cfg.rollout.threads, 2));
    planner = make_planner(cfg.planner, env->action_space().low, env->action_space().high, oracle.get());
  }
};

/// Before every replan of one 200-step MPC episode from reset(0): the env's state, the
/// observation and the planner's warm start (mean and spread).
struct MpcEpisodeRecord {
  std::vector<std::vector<double>> env_states;
  std::vector<Vec> obs;
  std::vector<std::vector<float>> means, stddevs;
};

/// The recorded episode of `preset`, made on first use (CEM's takes about 20 s) and kept.
const MpcEpisodeRecord& recorded_episode(const std::string& preset) {
  static std::map<std::string, MpcEpisodeRecord> cache;
  auto it = cache.find(preset);
  if (it != cache.end()) return it->second;
  OraclePendulumMpc m(preset);
  MpcEpisodeRecord rec;
  Vec obs = m.env->reset(0);
  for (int t = 0; t < 200; ++t) {
    rec.env_states.push_back(m.env->get_state());
    rec.obs.push_back(obs);
    rec.means.push_back(m.planner->mean());
    rec.stddevs.push_back(m.planner->stddev());
    m.oracle->sync(*m.env);
    const PlanResult r = m.planner->plan(*m.oracle, obs, uint64_t(t), nullptr);
    m.planner->shift(1);
    obs = m.env->step(r.action(0, m.env->action_space().dim())).obs;
  }
  return cache.emplace(preset, std::move(rec)).first->second;
}

/// Time per replan of oracle MPC on the pendulum. The replans of a warm-started planner cost
/// more while swinging up than while balancing (iLQR converges in fewer iterations), so one
/// benchmark iteration replans from the k-th recorded situation of an MPC episode (env state,
/// observation, warm start) with k stepping by 37 mod 200: any run of iterations samples the
/// whole episode, and replans/s is one over the mean time per replan along it.
void oracle_pendulum_replan(benchmark::State& state, const std::string& preset) {
  const MpcEpisodeRecord& rec = recorded_episode(preset);
  OraclePendulumMpc m(preset);
  const size_t n = rec.obs.size();
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = (i++ * 37) % n;
    m.env->set_state(rec.env_states[k]);
    m.oracle->sync(*m.env);
    m.planner->set_distribution(rec.means[k], rec.stddevs[k]);
    benchmark::DoNotOptimize(m.planner->plan(*m.oracle, rec.obs[k], k, nullptr).predicted_return);
  }
  state.counters["replans_per_s"] = Counter(double(state.iterations()), Counter::kIsRate);
}

/// One training epoch of E = 5 probabilistic 3 x 200 SiLU members over 10,000 transitions,
/// batch 256 (the training configuration).
void ensemble_train_epoch(benchmark::State& state) {
  const int obs = 4, act = 1, n = 10000;
  Dataset data(obs, act);
  Rng rng(3);
  for (int i = 0; i < n; ++i) {
    Transition t{0, Vec(obs), Vec(act), 0.0, Vec(obs), false};
    for (int d = 0; d < obs; ++d) t.obs[d] = rng.uniform(-1, 1);
    t.action[0] = rng.uniform(-1, 1);
    for (int d = 0; d < obs; ++d) t.next_obs[d] = t.obs[d] + 0.1 * std::sin(t.obs[(d + 1) % obs]) + 0.1 * t.action[0];
    data.add(t);
  }
  ModelConfig mc;
  mc.prediction = "probabilistic";
  mc.hidden = {200, 200, 200};
  mc.ensemble_size = mc.elite_members = 5;
  mc.val_fraction = 0;
  mc.epochs = mc.patience = 1000000;
  mc.threads = 2;
  Ensemble model(mc, obs, act, 4);
  model.begin_training(data, rng);
  model.train_epoch(rng);  // warm-up
  for (auto _ : state) model.train_epoch(rng);
  state.counters["samples_per_s"] = Counter(double(n) * state.iterations(), Counter::kIsRate);
  state.counters["epochs_per_s"] = Counter(double(state.iterations()), Counter::kIsRate);
}

/// A pendulum-shaped replay buffer (obs 3, action 1) of 10,000 random transitions.
void fill_random(SacLearner& learner, Rng& rng) {
  for (int i = 0; i < 10000; ++i) {
    Vec s(3), a(1), s2(3);
    for (int d = 0; d < 3; ++d) s[d] = rng.uniform(-1, 1);
    a[0] = rng.uniform(-1, 1);
    s2 = s + 0.05 * Vec::Constant(3, a[0]);
    learner.add(s, a, -rng.uniform(0, 16), s2, false);
  }
}

/// SAC update steps per second (sac_learner.h; the peer is scripts/sac_update_peer.py): batch
/// 256 from 10,000 pendulum-shaped transitions, actor and twin critics of two hidden layers of
/// `hidden` ReLU units, lr 1e-3, one thread.
void sac_update(benchmark::State& state, int hidden) {
  SacConfig c;
  c.hidden = {hidden, hidden};
  c.learning_rate = 1e-3;
  SacLearner learner(c, 3, 1, Rng(5));
  Rng rng(6);
  fill_random(learner, rng);
  for (int i = 0; i < 20; ++i) learner.update();  // warm-up: buffers grown
  for (auto _ : state) benchmark::DoNotOptimize(learner.update().critic);
  state.counters["updates_per_s"] = Counter(double(state.iterations()), Counter::kIsRate);
}

/// MBPO's model-rollout steps per second: mbpo_pendulum's ensemble (7 probabilistic members of
/// 3 x 64 SiLU, 5 elites, fit for 5 epochs on 10,000 random pendulum transitions) and its
/// rollout_batch_size (20,000) start states, one branched_rollout of k = 1 per iteration (the
/// policy's actions, the model step, the model buffer's adds), one thread.
void mbpo_model_rollout(benchmark::State& state) {
  const ExperimentSource src = load_experiment("mbpo_pendulum");
  ConfigNode node(src.json, src.source);
  MbpoAgentConfig cfg;
  cfg.visit(node);
  ConfigNode env_node(Json{{"name", "pendulum"}}, "bench");
  const auto env = env_registry().make(env_node);
  const int obs = env->observation_space().dim(), act = env->action_space().dim();
  SacLearner learner(cfg.sac, obs, act, Rng(5));
  Dataset data(obs, act);
  const ActionScale scale{env->action_space()};
  Rng rng(6);
  Vec o = env->reset(0);
  for (int i = 0; i < 10000; ++i) {
    const Vec a = env->action_space().sample(rng);
    const StepResult r = env->step(a);
    data.add({0, o, a, r.reward, r.obs, r.terminated});
    learner.add(o, scale.to_unit(a), r.reward, r.obs, r.terminated);
    o = (r.terminated || r.truncated) ? env->reset(uint64_t(i)) : r.obs;
  }
  ModelConfig mc = cfg.model;
  mc.epochs = 5;
  mc.threads = 1;
  auto model = std::make_shared<Ensemble>(mc, obs, act, 4);
  model->fit(data, rng);
  const auto stepper = mbpo_model_stepper(cfg, *env, model);
  ReplayBuffer buffer(obs, act, 2 * int64_t(cfg.rollout_batch_size));
  const auto to_env = [&](const Vec& u) { return scale.to_env(u); };
  uint64_t seed = 7;
  int64_t steps = 0;
  for (auto _ : state)
    steps += branched_rollout(*stepper, learner.buffer(), cfg.rollout_batch_size, 1, learner, to_env,
                              rng, seed++, buffer)
                 .transitions;
  state.counters["model_steps_per_s"] = Counter(double(steps), Counter::kIsRate);
}

}  // namespace

std::vector<BenchCase> bench_cases() {
  std::vector<BenchCase> cases;
  for (const auto& e : env_registry().entries())
    cases.push_back({"env_steps/" + e.name, [&e](benchmark::State& s) { env_steps(s, e); }});
  for (const char* env : {"pendulum", "point_obstacles"})
    cases.push_back({std::string("render_32x32/") + env, [env](benchmark::State& s) { render_frames(s, env); }});
  cases.push_back({"planner/main", [](benchmark::State& s) { planner_replan(s, {200, 400, 40, 20, 25}); }});
  cases.push_back({"planner/interactive", [](benchmark::State& s) { planner_replan(s, {64, 200, 20, 10, 20}); }});
  cases.push_back({"planner/pendulum_oracle_cem", [](benchmark::State& s) { oracle_pendulum_replan(s, "pendulum_oracle"); }});
  cases.push_back({"planner/pendulum_oracle_ilqr", [](benchmark::State& s) { oracle_pendulum_replan(s, "pendulum_ilqr_oracle"); }});
  cases.push_back({"ensemble/train_epoch", ensemble_train_epoch});
  cases.push_back({"latent/train_step", latent_train_step});
  cases.push_back({"sac/update_64x64", [](benchmark::State& s) { sac_update(s, 64); }});
  cases.push_back({"sac/update_256x256", [](benchmark::State& s) { sac_update(s, 256); }});
  cases.push_back({"mbpo/model_rollout", mbpo_model_rollout});
  cases.push_back({"dyna_q/planning_updates", dyna_planning});
  cases.push_back({"dyna_maze_figure", dyna_maze_figure});
  return cases;
}

}  // namespace dynalab::cli
