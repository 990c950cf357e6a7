// The latent family (core/agents/latent): the replay's sequences stay inside episodes, the linear
// probe scores a readable latent high and a collapsed one near zero, a short pixel run is
// deterministic and publishes its filmstrip, a session continues bit-identically, and a non-pixel
// env is refused in one line. The learning outcomes over seeds are lessons 32 and 33's claims
// (lessons_verify).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "core/agents/latent/frame_replay.h"
#include "core/agents/latent/latent_agent.h"
#include "core/agents/latent/latent_probe.h"
#include "core/episodic_experiment.h"
#include "core/export/export_all.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/session.h"
#include "core/snapshot.h"
#include "envs/registry.h"
#include "tests/session_util.h"
#include "tests/episodic_util.h"
#include "tests/test_util.h"

namespace test_latent_agent {

using namespace dynalab;
using namespace dynalab::test;

namespace {
// Small networks, a small planner, two short fits: a pixel run of a few seconds.
const std::vector<std::string> kSmall = {
    "episodes=2",           "latent.random_steps=60",   "latent.first_fit_updates=40", "latent.updates_per_fit=20",
    "latent.steps_per_tick=5", "latent.held_out_rollouts=4", "latent.held_out_steps=12", "model.latent_dim=4",
    "model.encoder_hidden=[32]", "model.decoder_hidden=[32]", "model.dynamics_hidden=[16]", "model.reward_hidden=[16]",
    "model.train_horizon=3", "planner.horizon=6",     "planner.population=20",       "planner.elites=4",
    "planner.iterations=2", "env.size=16"};

std::unique_ptr<EpisodicExperiment> make(std::vector<std::string> sets = kSmall) {
  return make_episodic("pendulum_pixels", std::move(sets));
}
}  // namespace

TEST_CASE("frame replay: sequences of K steps never cross an episode's end") {
  FrameReplay r(1, 1);
  // Episode 0: observations 0..4 (4 steps); episode 1: observations 100..102 (2 steps).
  r.begin_episode(Vec::Constant(1, 0));
  for (int t = 1; t <= 4; ++t) r.add(Vec::Constant(1, 0.5), t, Vec::Constant(1, t));
  r.begin_episode(Vec::Constant(1, 100));
  for (int t = 1; t <= 2; ++t) r.add(Vec::Constant(1, -0.5), 10 * t, Vec::Constant(1, 100 + t));
  CHECK(r.sequences(2) == 3 + 1);
  CHECK(r.sequences(3) == 2);
  Rng rng(1);
  const LatentModel::Batch b = r.sample(200, 2, rng, 0.0, 1.0);
  for (int i = 0; i < 200; ++i) {
    const float o0 = b.obs[0](i, 0);
    CHECK(b.obs[1](i, 0) == o0 + 1);  // consecutive frames of one episode
    CHECK(b.obs[2](i, 0) == o0 + 2);
    CHECK(b.rewards[0](i, 0) == (o0 < 100 ? o0 + 1 : 10 * (o0 - 99)));
  }
}

TEST_CASE("frame replay: a terminated episode continues in its absorbing state (last frame, reward 0), a cut one does not") {
  FrameReplay r(1, 1);
  // Episode 0 terminates after 3 steps (observations 0..3); episode 1 is cut after 3 (10..13).
  r.begin_episode(Vec::Constant(1, 0));
  for (int t = 1; t <= 3; ++t) r.add(Vec::Constant(1, 0.5), -t, Vec::Constant(1, t), t == 3);
  CHECK_THROWS_AS(r.add(Vec::Constant(1, 0.5), 0, Vec::Constant(1, 4)), std::logic_error);
  r.begin_episode(Vec::Constant(1, 10));
  for (int t = 1; t <= 3; ++t) r.add(Vec::Constant(1, 0.5), -t, Vec::Constant(1, 10 + t));
  CHECK(r.sequences(5) == 0);  // without absorbing states neither holds 5 steps
  CHECK(r.sequences(5, true) == 4);  // every step of the terminated one, and its terminal observation
  CHECK(r.sequences(2, true) == 4 + 2);
  Rng rng(3);
  const double shift = -1, scale = 2;  // rewards are mapped to (r - shift) / scale
  const LatentModel::Batch b = r.sample(300, 5, rng, shift, scale, true);
  std::set<float> starts, padded_actions;
  for (int i = 0; i < 300; ++i) {
    const float o0 = b.obs[0](i, 0);
    starts.insert(o0);
    REQUIRE(o0 <= 3);  // only the terminated episode holds 5 steps
    for (int k = 1; k <= 5; ++k) CHECK(b.obs[size_t(k)](i, 0) == std::min(o0 + k, 3.0f));
    for (int k = 0; k < 5; ++k) {
      const bool past_end = o0 + k >= 3;
      CHECK(b.rewards[size_t(k)](i, 0) == doctest::Approx(((past_end ? 0 : -(o0 + k + 1)) - shift) / scale));
      const float a = b.actions[size_t(k)](i, 0);
      if (past_end) {
        CHECK(std::abs(a) <= 1);
        padded_actions.insert(a);
      } else {
        CHECK(a == 0.5f);
      }
    }
  }
  CHECK(starts == std::set<float>{0, 1, 2, 3});  // 3: the terminal observation, all absorbing
  CHECK(padded_actions.size() > 100);  // drawn afresh: any action keeps the absorbing state
  // A terminated episode last in the buffer: no row past its terminal observation is read.
  FrameReplay last(1, 1);
  last.begin_episode(Vec::Constant(1, 0));
  for (int t = 1; t <= 2; ++t) last.add(Vec::Constant(1, 0.5), -t, Vec::Constant(1, t), t == 2);
  CHECK(last.sequences(4, true) == 3);
  const LatentModel::Batch lb = last.sample(50, 4, rng, 0.0, 1.0, true);
  for (int i = 0; i < 50; ++i)
    for (int k = 0; k <= 4; ++k) CHECK(lb.obs[size_t(k)](i, 0) == std::min(lb.obs[0](i, 0) + k, 2.0f));
}

TEST_CASE("absorbing states teach the latent model to value a terminal state above every step it saw") {
  // A 1-D world seen through 4 features: s' = s + 0.1 a, reward -0.5 - (1 - s') (so every real
  // reward is at most -0.5), terminated once s' >= 0.95. Trained on the same episodes with and
  // without absorbing states, only the first scores a step from a terminal observation near the
  // absorbing 0 (-0.08), above every real reward, which is what makes a planner prefer ending
  // the episode; without, it extrapolates the steps before it (-0.53).
  const auto features = [](double s) { return Vec((Vec(4) << s, 1 - s, s * s, 0.5 + 0.5 * std::sin(3 * s)).finished()); };
  FrameReplay replay(4, 1);
  Rng world(21);
  std::vector<Vec> terminal_obs;
  for (int e = 0; e < 40; ++e) {
    double s = world.uniform(0.2, 0.6);
    replay.begin_episode(features(s));
    for (int t = 0; t < 30; ++t) {
      const double a = world.uniform() < 0.7 ? 1.0 : world.uniform(-1, 1);
      s = std::clamp(s + 0.1 * a, 0.0, 1.0);
      const bool terminal = s >= 0.95;
      replay.add(Vec::Constant(1, a), -0.5 - (1 - s), features(s), terminal);
      if (terminal) {
        terminal_obs.push_back(features(s));
        break;
      }
    }
  }
  REQUIRE(terminal_obs.size() > 20);
  const auto [shift, scale] = replay.reward_moments();
  LatentModelConfig c;
  c.latent_dim = 4;
  c.encoder_hidden = c.decoder_hidden = c.dynamics_hidden = c.reward_hidden = {32};
  c.train_horizon = 5;
  c.learning_rate = 3e-3;
  LatentModel::Mat O(int(terminal_obs.size()), 4), A(int(terminal_obs.size()), 1);
  for (size_t i = 0; i < terminal_obs.size(); ++i) O.row(int(i)) = terminal_obs[i].cast<float>().transpose();
  Rng actions(22);
  for (int i = 0; i < A.rows(); ++i) A(i, 0) = float(actions.uniform(-1, 1));
  for (bool absorbing : {true, false}) {
    CAPTURE(absorbing);
    Rng init(23), draws(24);
    LatentModel m(c, 4, 4, 1, init);
    for (int i = 0; i < 3000; ++i) m.train_step(replay.sample(32, 5, draws, shift, scale, absorbing));
    const LatentModel::Mat z = m.encode(O);
    LatentModel::Mat z_next, r;
    m.step(z, A, z_next, r);
    const double reward = shift + scale * double(r.mean());  // real units, random actions
    if (absorbing)
      CHECK(std::abs(reward) < 0.2);
    else
      CHECK(reward < -0.45);  // never trained on what follows a terminal observation
  }
}

TEST_CASE("linear probe: R^2 near 1 for a latent that holds the state linearly, near 0 for a collapsed one") {
  Rng rng(2);
  const int n = 400;
  Eigen::MatrixXd state(n, 3), z(n, 4), collapsed = Eigen::MatrixXd::Constant(n, 4, 0.3);
  for (int i = 0; i < n; ++i) {
    const double angle = rng.uniform(-M_PI, M_PI), velocity = rng.normal();
    state.row(i) << std::cos(angle), std::sin(angle), velocity;
    z.row(i) << 2 * std::cos(angle) + velocity, std::sin(angle), -velocity, 0.01 * rng.normal();
  }
  CHECK(linear_probe_r2(z, state) > 0.99);
  CHECK(std::abs(linear_probe_r2(collapsed, state)) < 0.02);
}

TEST_CASE("the probe bar fails for an untrained encoder: its latent does not hold the pendulum's state") {
  // The preset's shapes, freshly initialised, on held-out frames of the pixel pendulum: random
  // features of 2048 pixels must not already pass R^2 >= 0.9, or the bar would prove nothing.
  ConfigNode node(Json{{"name", "pixels"}}, "test");
  const auto env = env_registry().make(node);
  Rng rng(3), init(4);
  const HeldOutFrames h = collect_held_out(*env, 30, 20, rng);
  const LatentModel untrained(LatentModelConfig{}, int(env->observation_space().dim()), 32 * 32, 1, init);
  const double r2 = linear_probe_r2(untrained.encode(h.all_obs()).cast<double>(), h.all_truth());
  MESSAGE("untrained encoder: probe R^2 " << r2);
  CHECK(r2 < 0.9);
}

TEST_CASE("a short pixel run is deterministic, fits twice and publishes its filmstrip and latent map") {
  auto a = make(), b = make();
  a->run_to_end();
  b->run_to_end();
  REQUIRE(a->episodes().size() == 2);
  for (size_t k = 0; k < 2; ++k) {
    CHECK(a->episodes()[k].ret == b->episodes()[k].ret);
    CHECK(a->episodes()[k].agent_metrics == b->episodes()[k].agent_metrics);
    for (double m : a->episodes()[k].agent_metrics) CHECK(std::isfinite(m));
  }
  const auto snap = a->snapshot();
  REQUIRE(snap->latent);
  const LatentView& v = *snap->latent;
  CHECK(v.frame_size == 16);
  CHECK(v.fits == 2);
  REQUIRE(!v.predicted.empty());
  CHECK(v.predicted.size() == 6);  // min(filmstrip_frames 8, horizon 6)
  CHECK(v.real.size() <= v.predicted.size());
  for (const auto& f : v.predicted) CHECK(f.size() == 256);
  CHECK(v.latent_points.size() == 4 * 13);  // 4 held-out rollouts of 12 steps, 13 frames each
  CHECK(v.reconstruction.size() == 256);
  CHECK(v.colour_name == "angle (rad)");
  // Lesson 33's plot: one dot per true-state dim, the values metrics.csv's probe_r2_<name> holds.
  const Figure* probe = nullptr;
  for (const Figure& f : snap->figures)
    if (f.id == "probe_r2") probe = &f;
  REQUIRE(probe);
  CHECK(probe->points);
  CHECK(probe->x_label == "true-state dimension: 1 cos_theta, 2 sin_theta, 3 theta_dot");
  REQUIRE(probe->series.size() == 1);
  CHECK(probe->series[0].x == std::vector<double>{1, 2, 3});
  const auto cols = a->agent().metric_columns();
  const auto& last = a->episodes().back().agent_metrics;
  for (size_t j = 0; j < 3; ++j) {
    const std::string name = std::vector<std::string>{"cos_theta", "sin_theta", "theta_dot"}[j];
    const size_t at = size_t(std::find(cols.begin(), cols.end(), "probe_r2_" + name) - cols.begin());
    REQUIRE(at >= 4);
    CHECK(probe->series[0].y[j] == last[at - 4]);  // agent_metrics omit steps, env_steps, return, terminated
  }
  // A finished run's status: its last episode, and no stale "fitting" phase.
  auto stat = [&](const std::string& key) {
    for (const auto& [k, val] : snap->stats)
      if (k == key) return val;
    return std::string("missing");
  };
  CHECK(stat("episode") == "2 / 2 (run finished)");
  CHECK(stat("phase") == "run finished");
  CHECK(stat("terminal episodes").rfind("0 of ", 0) == 0);  // the pendulum never terminates
}

TEST_CASE("the output files hold every run, and a second write replaces them instead of appending") {
  std::vector<std::string> sets = kSmall;
  sets.push_back("runs=2");
  sets.push_back("episodes=1");
  auto e = make(sets);
  e->run_to_end();
  const auto dir = temp_dir("latent_outputs");
  e->write_outputs(dir);
  e->write_outputs(dir);
  const auto k = csv_rows(read_file(dir / "k_step_error.csv"));
  const auto map = csv_rows(read_file(dir / "latent_map.csv"));
  CHECK(k.size() == 2 * 10);  // per run one fit, k = 1..10 (prediction_steps)
  CHECK(map.size() == 2 * 4 * 13);
  CHECK(k.front().at("run") == "0");
  CHECK(k.back().at("run") == "1");
  CHECK(map.front().count("theta_dot") == 1);
}

TEST_CASE("trajectories.csv of a camera env holds the true state behind each frame, in step with its reward") {
  auto e = make();
  e->run_to_end();
  const auto dir = temp_dir("latent_true_state");
  e->write_outputs(dir);
  const auto rows = csv_rows(read_file(dir / "trajectories.csv"));
  REQUIRE(rows.size() == 2 * 200);  // two planned episodes of the pendulum's 200 steps
  for (const auto& r : rows) {
    // The pendulum's reward -(theta^2 + 0.1 theta_dot^2 + 0.001 u^2) of the state before the step:
    // recomputed from the recorded true state, it is the recorded reward (a true state one step
    // off would miss it by the step's change of theta).
    const double theta = std::atan2(std::stod(r.at("true_sin_theta")), std::stod(r.at("true_cos_theta")));
    const double w = std::stod(r.at("true_theta_dot")), u = std::stod(r.at("action_0"));
    CHECK(std::stod(r.at("reward")) == doctest::Approx(-(theta * theta + 0.1 * w * w + 0.001 * u * u)).epsilon(1e-9));
  }
  const Json json = Json::parse(trajectories_json(e->recorded_trajectories(), e->trajectory_columns()));
  REQUIRE(json.size() == 2);
  CHECK(json[0]["true_theta_dot"].size() == 200);
}

TEST_CASE("a latent session saved mid-fit and one saved mid-replan continue bit-identically") {
  const std::vector<std::string> files = {"k_step_error.csv", "latent_map.csv", "trajectories.csv"};
  check_session_continues("pendulum_pixels", kSmall, 64, files);   // 60 random steps, then 8 fit ticks
  check_session_continues("pendulum_pixels", kSmall, 138, files);  // after the first of a replan's 2 iterations
  // With keypoints (their background is set at a fit's start), exploration noise (act_rng) and the
  // filter (its belief and prediction).
  std::vector<std::string> keyed = kSmall;
  keyed.insert(keyed.end(), {"model.keypoints=2", "latent.action_noise=0.3", "latent.filter_weight=0.3",
                             "latent.novelty_weight=2"});
  check_session_continues("pendulum_pixels", keyed, 64, files);
  check_session_continues("pendulum_pixels", keyed, 138, files);
}

TEST_CASE("the filter starts each plan from (1 - w) g(o_t) + w h-step of the last start under the action executed") {
  for (const double w : {0.0, 0.4}) {
    CAPTURE(w);
    std::vector<std::string> sets = kSmall;
    sets.push_back("latent.filter_weight=" + std::to_string(w));
    auto a = make(sets);
    const auto& agent = dynamic_cast<const LatentAgent&>(a->agent());
    const Space as = a->env()->action_space();
    const UnitActions unit(as.low, as.high);
    LatentModel::Mat last_start;  // the latest plan's start
    int firsts = 0, filtered = 0;
    for (int i = 0; i < 2000 && !a->finished(); ++i) {
      const LatentModel::Mat prediction = agent.belief_prediction();
      a->tick();
      const LatentModel::Mat& start = agent.belief();
      if (start.size() == 0 || (start.size() == last_start.size() && start == last_start)) continue;  // no new plan
      const Trajectory& ep = a->current_episode();
      const Vec o = Eigen::Map<const Vec>(ep.obs.data() + size_t(ep.steps()) * size_t(ep.obs_dim), ep.obs_dim);
      const LatentModel::Mat g = agent.model().encode(o.cast<float>().transpose());
      if (ep.steps() == 0) {  // an episode's first plan: nothing to predict from
        CHECK(start == g);
        ++firsts;
      } else {
        // The prediction is the model's step from the last plan's start under the action executed.
        REQUIRE(last_start.size() == g.size());
        const Eigen::Map<const Vec> executed(ep.actions.data() + size_t(ep.steps() - 1) * size_t(ep.action_dim), ep.action_dim);
        LatentModel::Mat expected_prediction, r;
        agent.model().step(last_start, unit(executed.cast<float>().transpose()), expected_prediction, r);
        REQUIRE(prediction.size() == g.size());
        CHECK((prediction - expected_prediction).cwiseAbs().maxCoeff() < 1e-6f);
        const LatentModel::Mat expected = (1 - float(w)) * g + float(w) * prediction;
        CHECK((start - expected).cwiseAbs().maxCoeff() < 1e-6f);
        if (w == 0) CHECK(start == g);
        filtered += (start - g).cwiseAbs().maxCoeff() > 1e-4f;
      }
      last_start = start;
    }
    CHECK(a->finished());
    CHECK(firsts == 2);  // two planned episodes
    // A session carries the filter's memory. (The continuation test cannot see a lost one: with
    // these small networks a slightly different start rarely changes CEM's elites.)
    auto mid = make(sets);
    for (int i = 0; i < 150; ++i) mid->tick();
    const auto& before = dynamic_cast<const LatentAgent&>(mid->agent());
    REQUIRE(before.belief_prediction().size() == 4);
    const auto dir = temp_dir("latent_filter_session");
    save_session(*mid, dir);
    auto loaded = load_session(dir, env_registry());
    const auto& after = dynamic_cast<const LatentAgent&>(dynamic_cast<EpisodicExperiment&>(*loaded).agent());
    auto values = [](const LatentModel::Mat& z) { return std::vector<float>(z.data(), z.data() + z.size()); };
    CHECK(values(after.belief()) == values(before.belief()));
    CHECK(values(after.belief_prediction()) == values(before.belief_prediction()));
    if (w == 0) CHECK(filtered == 0);
    else CHECK(filtered > 100);  // the blend moves the start on (nearly) every later step
  }
}

TEST_CASE("exploration noise moves the planned actions only, inside the action bounds, the same on every run") {
  std::vector<std::string> noisy = kSmall;
  noisy.push_back("latent.action_noise=3");  // most draws past a bound: the clamp is exercised
  auto quiet = make(), a = make(noisy), b = make(noisy);
  quiet->run_to_end(), a->run_to_end(), b->run_to_end();
  const std::vector<double>&q = quiet->trajectories()[0].actions, &n = a->trajectories()[0].actions;
  REQUIRE(q.size() == n.size());
  REQUIRE(!q.empty());
  // The recorded episodes are the planner's (the random warm-up is not one of them).
  int moved = 0, quiet_at_bound = 0, at_bound = 0;
  for (size_t t = 0; t < n.size(); ++t) {
    moved += n[t] != q[t];
    quiet_at_bound += std::abs(q[t]) == 2.0;  // the pendulum's max_torque
    at_bound += std::abs(n[t]) == 2.0;
  }
  CHECK(moved > int(n.size()) / 2);
  CHECK(at_bound > int(n.size()) / 4);
  CHECK(at_bound > quiet_at_bound);
  for (const Trajectory& tr : a->trajectories())
    for (double x : tr.actions) CHECK(std::abs(x) <= 2.0);
  CHECK(a->trajectories()[1].actions == b->trajectories()[1].actions);  // act_rng: deterministic
}

TEST_CASE("keypoints' background is saved with the session; an edited one out of [0, 1] is an error naming it") {
  std::vector<std::string> keyed = kSmall;
  keyed.push_back("model.keypoints=2");
  auto a = make(keyed);
  for (int i = 0; i < 150; ++i) a->tick();
  const auto dir = temp_dir("latent_session_keypoints");
  save_session(*a, dir / "good");
  const Json good = Json::parse(read_file(dir / "good" / "session.json"));
  const Json& background = good["state"]["agent"]["model"]["keypoints_background"];
  REQUIRE(background.size() == 16 * 16);
  double lo = 1, hi = 0;
  for (const Json& x : background) lo = std::min(lo, x.get<double>()), hi = std::max(hi, x.get<double>());
  CHECK(lo < hi);  // the replay's mean frame, not the zeros it starts at
  const std::string error = edited_session_error(
      dir / "good", dir / "bad", [](Json& doc) { doc["state"]["agent"]["model"]["keypoints_background"][3] = 7.0; });
  CHECK(error.find("session.json: state.agent.model.keypoints_background: expected gray levels in [0, 1]") !=
        std::string::npos);
}

TEST_CASE("an edited latent session is a one-line InputError naming the key, never a crash or a hang") {
  auto a = make();
  for (int i = 0; i < 150; ++i) a->tick();  // past the first fit, planning: a plan and two episode starts
  const auto dir = temp_dir("latent_session_broken");
  save_session(*a, dir / "good");
  const Json good = Json::parse(read_file(dir / "good" / "session.json"));
  const std::string frames = read_file(dir / "good" / "latent" / "frames.bin");
  REQUIRE(good["state"]["agent"]["replay"]["starts"].size() == 2);
  auto error_with = [&](const std::function<void(Json&)>& edit, const std::string& frame_bytes) {
    return edited_session_error(
        dir / "good", dir / "bad", [&](Json& doc) { edit(doc["state"]); },
        [&](const std::filesystem::path& bad) { write_file_atomic(bad / "latent" / "frames.bin", frame_bytes); });
  };
  auto error_of = [&](const std::function<void(Json&)>& edit) {
    return error_with([&](Json& state) { edit(state["agent"]); }, frames);
  };
  const std::string at = "session.json: state.agent.";
  CHECK(error_of([](Json&) {}) == "(no error)");
  CHECK(error_of([](Json& a) { a["replay"]["starts"][1] = 1e9; }).find(at + "replay.starts: expected whole step") !=
        std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["starts"] = Json::array({-1e6, 20}); }).find(at + "replay.starts: expected") !=
        std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["starts"][1] = 2.5; }).find(at + "replay.starts: expected") != std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["starts"] = Json::array(), a["replay"]["obs_starts"] = Json::array(); })
            .find(at + "replay.starts: expected at least one episode start") != std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["starts"] = Json::array({0}); }).find(at + "replay.obs_starts: expected 1 values") !=
        std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["obs_starts"][1] = 1e9; }).find(at + "replay.obs_starts: expected starts[e] + e") !=
        std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["actions"] = Json::array(), a["replay"]["rewards"] = Json::array(); })
            .find(at + "replay.starts: expected") != std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["actions"].erase(0); }).find(at + "replay.actions: expected") != std::string::npos);
  CHECK(error_of([](Json& a) { a["plan"] = Json::array(), a["need_plan"] = false; }).find(at + "plan: expected 6 values") != std::string::npos);
  CHECK(error_of([](Json& a) { a["planner_mean"] = Json::array({0.0}); }).find(at + "planner_mean: expected 6 values") !=
        std::string::npos);
  CHECK(error_of([](Json& a) { a["train_remaining"] = 2147483647; }).find(at + "train_remaining: expected an integer in [0, 40]") !=
        std::string::npos);
  CHECK(error_of([](Json& a) { a["collected"] = -100; }).find(at + "collected: expected") != std::string::npos);
  REQUIRE(good["state"]["agent"]["replay"]["episode_terminated"]["values"] == Json::array({0, 0}));
  CHECK(error_of([](Json& a) { a["replay"]["episode_terminated"]["values"] = Json::array({0}); })
            .find(at + "replay.episode_terminated: expected 2 values (one per start)") != std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"]["episode_terminated"]["values"] = Json::array({2, 0}); })
            .find(at + "replay.episode_terminated: expected 0 or 1 per episode") != std::string::npos);
  CHECK(error_of([](Json& a) { a["replay"].erase("episode_terminated"); }) == "(no error)");  // saved before it existed
  CHECK(error_of([](Json& a) { a["reward_scale"] = 0.0; }).find(at + "reward_scale: expected") != std::string::npos);
  REQUIRE(good["state"]["agent"]["filter"]["belief"].size() == 4);  // planning: the latest plan's start
  CHECK(error_of([](Json& a) { a["filter"]["belief"] = Json::array({1.0, 2.0}); })
            .find(at + "filter.belief: expected 0 or 4 values (model.latent_dim)") != std::string::npos);
  CHECK(error_of([](Json& a) { a["filter"]["belief_prediction"][0] = 1e39; })  // inf as a float
            .find(at + "filter.belief_prediction: expected finite numbers") != std::string::npos);
  CHECK(error_of([](Json& a) { a.erase("filter"); }) == "(no error)");  // saved before the filter existed
  REQUIRE(good["state"]["agent"].contains("novelty"));  // seen latents exist after the first fit
  CHECK(error_of([](Json& a) { a["novelty"]["seen"] = Json::array({1.0, 2.0, 3.0}); })
            .find(at + "novelty.seen: expected rows of 4 values (model.latent_dim), at most 512") != std::string::npos);
  CHECK(error_of([](Json& a) { a["novelty"]["seen"][0] = 1e39; })  // inf as a float
            .find(at + "novelty.seen: expected finite numbers") != std::string::npos);
  CHECK(error_of([](Json& a) { a.erase("novelty"); }) == "(no error)");  // saved before the bonus existed
  CHECK(error_with([](Json& state) { state["current_episode"]["true_state"]["values"].erase(0); }, frames)
            .find("session.json: state.current_episode.true_state.values: expected (steps + 1) x dim values") !=
        std::string::npos);
  CHECK(error_with([](Json& state) { state["current_episode"]["true_state"]["dim"] = 2; }, frames)
            .find("session.json: state.current_episode.true_state.dim: expected an integer in [3, 3]") != std::string::npos);
  // A session saved before the true state was recorded loads, the steps' true state unknown (NaN).
  Json old = good;
  old["state"]["current_episode"].erase("true_state");
  std::filesystem::copy(dir / "good", dir / "old", std::filesystem::copy_options::recursive);
  write_file_atomic(dir / "old" / "session.json", old.dump());
  auto loaded = load_session(dir / "old", env_registry());
  loaded->write_outputs(dir / "old_outputs");
  const auto rows = csv_rows(read_file(dir / "old_outputs" / "trajectories.csv"));
  REQUIRE(!rows.empty());
  CHECK(std::isnan(std::stod(rows.front().at("true_theta_dot"))));
  for (double bad : {0.0, 3.0, 1e8, 2.5}) {  // the pixels env's L (inner state length): right total, wrong layout
    CAPTURE(bad);
    CHECK(error_with([&](Json& state) { state["env_state"][0] = bad; }, frames)
              .find("session.json: state.env_state: expected a state of this env (pixels: set_state: expected [L = ") !=
          std::string::npos);
  }
  const size_t frame_bytes = good["state"]["obs"].size() * sizeof(float);
  CHECK(error_with([](Json&) {}, frames.substr(0, frames.size() - frame_bytes))
            .find("latent/frames.bin: expected ") != std::string::npos);
  std::string nan_frames = frames;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(nan_frames.data(), &nan, sizeof nan);
  CHECK(error_with([](Json&) {}, nan_frames).find("latent/frames.bin: expected gray levels in [0, 1]") != std::string::npos);
}

// The divergence is made by a NaN in one frame of the replay (the test hands the agent a
// transition no env makes), not by a large step size, whose overflow is the build's arithmetic:
// every batch that draws the frame has a NaN reconstruction target, so a NaN loss in any build.
// One gradient step per tick, so the weights before each step are seen from here.
TEST_CASE("a diverging latent model stops training, keeps its last good weights and says so") {
  std::vector<std::string> sets = kSmall;
  sets.push_back("latent.steps_per_tick=1");
  auto a = make(sets);
  auto& agent = dynamic_cast<LatentAgent&>(a->agent());
  const auto weights = [&] {
    std::vector<float> w;
    const LatentModel& m = agent.model();
    for (const auto* net : {&m.encoder(), &m.decoder(), &m.dynamics(), &m.reward_head()})
      w.insert(w.end(), net->params().data(), net->params().data() + net->params().size());
    return w;
  };
  // After the first fit (on clean frames), a frame with a NaN pixel in its newest frame; the
  // second fit (after episode 0) draws it within its 20 steps.
  const auto inject = [&] {
    Transition t;
    t.obs = a->progress().obs;
    t.action = Vec::Zero(1);
    t.next_obs = t.obs;
    t.next_obs[t.next_obs.size() - 1] = std::numeric_limits<double>::quiet_NaN();
    agent.observe(t, false);
  };
  std::vector<float> before_last_step;  // the weights before the latest step that changed them
  std::vector<float> now = weights(), restored;
  int steps_after = 0;
  bool injected = false;
  for (bool more = true; more;) {
    more = a->tick();
    std::vector<float> next = weights();
    if (!restored.empty()) {
      steps_after += next != restored;
    } else if (agent.diverged()) {
      REQUIRE(injected);
      REQUIRE(!before_last_step.empty());
      CHECK(next == before_last_step);  // the last good weights: those before the last finite step
      CHECK(next != now);               // (that step's result is dropped too: it may be what overflowed)
      restored = next;
    } else if (next != now) {
      before_last_step = now;
    }
    now = std::move(next);
    if (!injected && agent.fits() == 1) inject(), injected = true;
  }
  REQUIRE(agent.diverged());
  CHECK(agent.fits() == 2);
  CHECK(steps_after == 0);  // training stopped for good
  for (float w : now) CHECK(std::isfinite(w));
  const auto snap = a->snapshot();
  CHECK(snap->message == "latent model diverged: training stopped, the last good weights are kept");
  REQUIRE(a->episodes().size() == 2);
  for (const auto& e : a->episodes())
    for (double m : e.agent_metrics) CHECK(!std::isnan(m));  // measured with the last good weights
}

TEST_CASE("episodes shorter than the model's horizons report NaN, not the 0 of a perfect model") {
  std::vector<std::string> sets = kSmall;
  sets.push_back("env.inner.max_episode_steps=2");  // below train_horizon 3 and prediction_steps 10
  sets.push_back("latent.held_out_rollouts=1");      // 3 held-out frames: too few for the probe
  auto a = make(sets);
  a->run_to_end();
  REQUIRE(a->episodes().size() == 2);
  const std::vector<double>& m = a->episodes()[1].agent_metrics;  // reconstruction, prediction, repeat, ...
  CHECK(std::isfinite(m[0]));
  CHECK(std::isnan(m[1]));
  CHECK(std::isnan(m[2]));
  CHECK(std::isnan(m[4]));      // probe_r2
  CHECK(std::isnan(m.back()));  // fit_reward: no sequence of 3 steps to train on
  CHECK_THROWS_WITH_AS(make_episodic("pendulum_pixels", {"latent.random_steps=2", "model.train_horizon=50"}),
                       doctest::Contains("latent.random_steps: expected at least model.train_horizon (50), got 2"),
                       InputError);
}

TEST_CASE("the latent family's sizes are bounded at config time, each error naming its key") {
  auto error_of = [](const std::vector<std::string>& sets) -> std::string {
    try {
      make_episodic("pendulum_pixels", sets);
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
      return e.what();
    }
    return "(no error)";
  };
  std::string layers = "[4096";
  for (int i = 1; i < 2000; ++i) layers += ",4096";
  layers += "]";
  CHECK(error_of({"model.dynamics_hidden=" + layers}).find("model.dynamics_hidden: expected at most 64 hidden layers") !=
        std::string::npos);
  CHECK(error_of({"model.decoder_hidden=[4096,4096,4096,4096]"})
            .find("model.decoder_hidden: expected at most 20000000 weights") != std::string::npos);
  CHECK(error_of({"planner.population=1000000", "planner.horizon=10"})
            .find("planner.population: expected population x max(horizon, latent_dim, widest") != std::string::npos);
  CHECK(error_of({"planner.horizon=10000"}).find("planner.horizon: expected planner.population x horizon x the latent step") !=
        std::string::npos);
  CHECK(error_of({"latent.held_out_rollouts=10000", "latent.held_out_steps=10000"})
            .find("latent.held_out_rollouts: expected held_out_rollouts x (held_out_steps + 1) at most 10000 frames") !=
        std::string::npos);
  CHECK(error_of({"latent.held_out_rollouts=1", "latent.held_out_steps=2", "latent.prediction_steps=1"})
            .find("latent.held_out_rollouts: expected held_out_rollouts x (held_out_steps + 1) at least 4 frames") !=
        std::string::npos);
  CHECK(error_of({"latent.held_out_rollouts=1", "latent.held_out_steps=3", "latent.prediction_steps=1"}) == "(no error)");
  CHECK(error_of({"planner.horizon=100"}) == "(no error)");  // four times the preset's: still allowed
}

TEST_CASE("the novelty bonus: each predicted step scores novelty_weight times its distance to the nearest seen latent") {
  auto sets = kSmall;
  sets.push_back("latent.novelty_weight=3");
  auto e = make(sets);
  e->run_to_end();
  const auto& agent = dynamic_cast<const LatentAgent&>(e->agent());
  const LatentModel& m = agent.model();
  const LatentModel::Mat& seen = agent.novelty_seen();
  // Every observation of the replay as of the last fit (fewer than 512; the last episode came
  // after it), encoded with the final weights (no fit since).
  REQUIRE(seen.rows() > 100);
  REQUIRE(seen.rows() < agent.replay().observations(100000).rows());
  CHECK(seen.isApprox(m.encode(agent.replay().observations(100000).topRows(seen.rows()))));
  const Space as = e->env()->action_space();
  LatentEvaluator plain(&m, as.low, as.high), novel(&m, as.low, as.high);
  novel.set_seen(seen, 3);
  const int H = 4, P = 5, Z = m.latent_dim();
  Rng rng(5);
  ActionBatch actions(P, H);
  for (int p = 0; p < P; ++p)
    for (int t = 0; t < H; ++t) actions(p, t) = float(rng.uniform(-2, 2));
  const Vec start = seen.row(7).transpose().cast<double>();
  Eigen::VectorXf r_plain, r_novel;
  std::vector<float> paths;
  plain.evaluate(actions, H, start, 0, r_plain, &paths);
  novel.evaluate(actions, H, start, 0, r_novel, nullptr);
  for (int p = 0; p < P; ++p) {
    double bonus = 0;  // over the predicted steps z_1..z_H
    for (int t = 1; t <= H; ++t) {
      double nearest = 1e300;
      for (Eigen::Index j = 0; j < seen.rows(); ++j) {
        double sq = 0;
        for (int k = 0; k < Z; ++k) {
          const double d = paths[(size_t(p) * (H + 1) + size_t(t)) * size_t(Z) + size_t(k)] - seen(j, k);
          sq += d * d;
        }
        nearest = std::min(nearest, std::sqrt(sq));
      }
      bonus += nearest;
    }
    CHECK(bonus > 0);
    CHECK(r_novel[p] == doctest::Approx(r_plain[p] + 3 * bonus).epsilon(1e-4));
  }
  // A session carries the seen latents (re-encoding them on load, mid-fit, would give others).
  const auto dir = temp_dir("latent_novelty_session");
  save_session(*e, dir);
  auto loaded = load_session(dir, env_registry());
  const auto& back = dynamic_cast<const LatentAgent&>(dynamic_cast<EpisodicExperiment&>(*loaded).agent());
  CHECK(std::vector<float>(back.novelty_seen().data(), back.novelty_seen().data() + back.novelty_seen().size()) ==
        std::vector<float>(seen.data(), seen.data() + seen.size()));
  std::filesystem::remove_all(dir);
}

TEST_CASE("the novelty schedule: the bonus plans the first novelty_episodes planned episodes, then the reward head alone") {
  auto sets = kSmall;
  sets.insert(sets.end(), {"episodes=5", "latent.novelty_weight=3", "latent.novelty_episodes=2"});
  auto e = make(sets);
  const auto& agent = dynamic_cast<const LatentAgent&>(e->agent());
  std::map<int, double> weight_at_fit;  // fits -> the weight the planner scores with after it
  std::map<int, std::string> row_at_fit;
  for (bool more = true; more;) {
    more = e->tick();
    if (weight_at_fit.count(agent.fits())) continue;
    weight_at_fit[agent.fits()] = agent.evaluator().novelty_weight();
    const auto snap = e->snapshot();
    for (const auto& [key, value] : snap->stats)
      if (key == "novelty bonus") row_at_fit[agent.fits()] = value;
  }
  REQUIRE(agent.fits() >= 4);
  CHECK(weight_at_fit[1] == 3);  // planned episodes 1 and 2 explore
  CHECK(weight_at_fit[2] == 3);
  CHECK(weight_at_fit[3] == 0);  // then the reward head alone
  CHECK(weight_at_fit[4] == 0);
  CHECK(row_at_fit[2] == "3, explore 2/2");
  CHECK(row_at_fit[3] == "off (exploit)");
  // 0 episodes: the bonus throughout (the option's default).
  sets.back() = "latent.novelty_episodes=0";
  auto always = make(sets);
  const auto& a2 = dynamic_cast<const LatentAgent&>(always->agent());
  while (always->tick()) {}
  REQUIRE(a2.fits() >= 4);
  CHECK(a2.evaluator().novelty_weight() == 3);
  const auto snap = always->snapshot();
  CHECK(std::count(snap->stats.begin(), snap->stats.end(), std::pair<std::string, std::string>{"novelty bonus", "3, always"}) == 1);
}

TEST_CASE("frame replay: observations() strides evenly over the stored rows, at most the number asked") {
  FrameReplay r(1, 1);
  r.begin_episode(Vec::Constant(1, 0));
  for (int t = 1; t <= 9; ++t) r.add(Vec::Constant(1, 0), 0, Vec::Constant(1, t));
  const LatentModel::Mat all = r.observations(100), some = r.observations(4);
  REQUIRE(all.rows() == 10);
  for (int i = 0; i < 10; ++i) CHECK(all(i, 0) == float(i));
  REQUIRE(some.rows() == 4);
  CHECK(some(0, 0) == 0);
  CHECK(some(1, 0) == 2);  // rows i * 10 / 4: 0, 2, 5, 7
  CHECK(some(2, 0) == 5);
  CHECK(some(3, 0) == 7);
}

TEST_CASE("the latent family refuses an env without pixels in one line naming the key") {
  const auto dir = temp_dir("latent_bad_env");
  const auto path = dir / "state_pendulum.json";
  std::ofstream(path) << R"({"family": "latent", "env": {"name": "pendulum"}})";
  try {
    make_episodic(path.string());
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("env.name") != std::string::npos);
    CHECK(what.find("a pixels env") != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
  }
}

}  // namespace test_latent_agent
