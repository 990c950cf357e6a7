// PILCO's pieces (issue 19): the GP's particles as a differentiable stochastic map (their
// Jacobians against finite differences, their spread against the GP's own predictive), the
// pathwise gradient through particles with the model's draws held fixed, the saturating cost's
// gradient, and the pendulum's hanging start.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "core/agents/pilco/pilco_agent.h"
#include "core/agents/pilco/saturating_cost.h"
#include "core/dataset.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/gradients/gp_particle_dynamics.h"
#include "core/gradients/pathwise_gradient.h"
#include "core/gradients/squashed_policy.h"
#include "core/models/gp/gp_dynamics.h"
#include "core/rng.h"
#include "core/session.h"
#include "envs/pendulum.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace test_pilco {

using namespace dynalab;
using namespace dynalab::test;

namespace {

// A damped pendulum in (theta, omega) with a torque in [-1, 1], 0.1 s steps, noisy s' (noise
// 0.05: K well conditioned, so the variance's finite differences are exact to 1e-8; with 1e-3 the
// explicit K^-1 leaves round-off of about 1e-9 in the variance, which differences amplify).
Dataset pendulum_data(int n, uint64_t seed) {
  Dataset d(2, 1);
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    Transition t;
    const double th = rng.uniform(-3, 3), om = rng.uniform(-3, 3), a = rng.uniform(-1, 1);
    t.obs = Vec(2);
    t.obs << th, om;
    t.action = Vec::Constant(1, a);
    const double om1 = om + 0.1 * (a - 4 * std::sin(th) - 0.1 * om);
    t.next_obs = Vec(2);
    t.next_obs << th + 0.1 * om1 + 0.05 * rng.normal(), om1 + 0.05 * rng.normal();
    d.add(t);
  }
  return d;
}

GpDynamics fitted_gp(int n) {
  ModelConfig c;
  c.type = "gp";
  c.learn_reward = false;
  c.gp.optimizer_iterations = 40;
  GpDynamics m(c, 2, 1, 0);
  const Dataset d = pendulum_data(n, 3);
  Rng rng(1);
  m.begin_training(d, rng);
  for (int guard = 0; guard < 1000 && !m.training_done(); ++guard) m.train_epoch(rng);
  return m;
}

double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).norm() / std::max(1e-12, b.norm());
}

}  // namespace

TEST_CASE("GP particles: Jacobians of the reparameterised step match central differences") {
  const GpDynamics gp = fitted_gp(80);
  const GpParticleDynamics f(gp, false);
  Rng rng(5);
  for (int k = 0; k < 4; ++k) {
    Vec x(2), u(1), e(2);
    x << rng.uniform(-2, 2), rng.uniform(-2, 2);
    u << rng.uniform(-1, 1);
    e << rng.normal(), rng.normal();
    std::vector<Eigen::MatrixXd> A, B;
    std::vector<Vec> sampled;
    f.sample_batch({x}, {u}, {e}, sampled, &A, &B);
    // Central differences of the sample with e held fixed.
    auto sample = [&](const Vec& xx, const Vec& uu) {
      std::vector<Vec> next;
      f.sample_batch({xx}, {uu}, {e}, next);
      return next[0];
    };
    const double h = 1e-5;
    Eigen::MatrixXd Afd(2, 2), Bfd(2, 1);
    for (int d = 0; d < 2; ++d) {
      Vec xp = x, xm = x;
      xp[d] += h;
      xm[d] -= h;
      Afd.col(d) = (sample(xp, u) - sample(xm, u)) / (2 * h);
    }
    Vec up = u, um = u;
    up[0] += h;
    um[0] -= h;
    Bfd.col(0) = (sample(x, up) - sample(x, um)) / (2 * h);
    CHECK(relative_error(A[0], Afd) < 1e-6);
    CHECK(relative_error(B[0], Bfd) < 1e-6);
    // The spread enters the Jacobian: with a zero draw it is the mean's alone.
    std::vector<Eigen::MatrixXd> A0, B0;
    f.sample_batch({x}, {u}, {Vec::Zero(2)}, sampled, &A0, &B0);
    Eigen::MatrixXd Am, Bm;
    f.jacobians(x, u, Am, Bm);
    CHECK(relative_error(A0[0], Am) < 1e-12);
  }
}

TEST_CASE("GP particles: the spread is the GP's predictive std; mean_only has none") {
  const GpDynamics gp = fitted_gp(80);
  const GpParticleDynamics f(gp, false), mean(gp, true);
  RowMatrixXf obs(3, 2), act(3, 1);
  obs << 0.5f, -1.0f, 2.8f, 2.8f, 9.0f, 9.0f;  // inside, the data's corner, far outside
  act << 0.2f, -0.9f, 0.0f;
  MemberPredictions p;
  gp.predict(obs, act, p);
  for (int i = 0; i < 3; ++i) {
    const Vec x = obs.row(i).transpose().cast<double>(), u = act.row(i).transpose().cast<double>();
    const Vec sd = f.predictive_std(x, u);
    const Vec m = f.step(x, u);
    for (int j = 0; j < 2; ++j) {
      CHECK(sd[j] == doctest::Approx(std::sqrt(double(p.var[0](i, j)))).epsilon(1e-4));
      CHECK(m[j] == doctest::Approx(x[j] + double(p.mean[0](i, j))).epsilon(1e-5));
    }
    CHECK(mean.predictive_std(x, u).norm() == 0.0);
  }
  // Far from the data the particles fan out: the spread is the prior's, not the noise's.
  Vec far(2), inside(2), u = Vec::Zero(1);
  far << 9, 9;
  inside << 0.5, -1;
  CHECK(f.predictive_std(far, u)[1] > 10 * f.predictive_std(inside, u)[1]);
}

TEST_CASE("Pathwise gradient through GP particles (draws fixed) matches finite differences") {
  const GpDynamics gp = fitted_gp(60);
  const GpParticleDynamics f(gp, false);
  // Upright at theta = 0 here (the toy data's coordinates): a cost on (theta, omega).
  Vec target = Vec::Zero(2), weights(2);
  weights << 1, 0.1;
  const SaturatingCost cost(target, weights, 0.5);
  Vec lo(1), hi(1);
  lo << -1;
  hi << 1;
  SquashedPolicy policy(2, lo, hi, {8});
  Rng rng(7);
  policy.init(rng, 1.0);
  std::vector<Vec> starts;
  for (int i = 0; i < 4; ++i) {
    Vec s(2);
    s << rng.uniform(-1, 1), rng.uniform(-1, 1);
    starts.push_back(s);
  }
  const int H = 8;
  const StateNoise noise = StateNoise::draw(4, H, 2, rng);
  PathwiseOptions o;
  o.horizon = H;
  o.state_noise = &noise;
  const PathwiseResult p = pathwise_gradient(f, cost, policy, starts, o);
  CHECK(p.objective ==
        doctest::Approx(rollout_return(f, cost, policy, starts, H, 1.0, nullptr, &noise)).epsilon(1e-12));
  // The draws matter: without them the return differs.
  CHECK(std::abs(p.objective - rollout_return(f, cost, policy, starts, H)) > 1e-6);
  SquashedPolicy q = policy;
  Eigen::VectorXd g(p.gradient.size());
  const double h = 1e-6;
  for (Eigen::Index k = 0; k < g.size(); ++k) {
    const double v = q.params()[k];
    q.params()[k] = v + h;
    const double up = rollout_return(f, cost, q, starts, H, 1.0, nullptr, &noise);
    q.params()[k] = v - h;
    const double down = rollout_return(f, cost, q, starts, H, 1.0, nullptr, &noise);
    q.params()[k] = v;
    g[k] = (up - down) / (2 * h);
  }
  CHECK(relative_error(p.gradient, g) < 1e-4);
  // Too few draws for the horizon is an error, not a silent mean.
  StateNoise short_noise = StateNoise::draw(4, H - 1, 2, rng);
  o.state_noise = &short_noise;
  CHECK_THROWS_AS(pathwise_gradient(f, cost, policy, starts, o), std::invalid_argument);
}

TEST_CASE("Saturating cost: 0 at the target, 1 far away, its gradient by central differences") {
  Vec target(3), weights(3);
  target << 1, 0, 0;
  weights << 1, 1, 0;
  const SaturatingCost c(target, weights, 0.5);
  CHECK(c.cost(target) == 0.0);
  Vec hanging(3);
  hanging << -1, 0, 5;  // the speed has weight 0
  CHECK(c.distance(hanging) == doctest::Approx(2.0));
  CHECK(c.cost(hanging) == doctest::Approx(1 - std::exp(-8.0)));
  Vec s(3);
  s << std::cos(0.4), std::sin(0.4), 1.3;
  const Vec a = Vec::Zero(1);
  const RewardGradient g = c.gradient(s, a, s);
  Vec fd(3);
  for (int d = 0; d < 3; ++d) {
    Vec p = s, m = s;
    p[d] += 1e-6;
    m[d] -= 1e-6;
    fd[d] = (c.reward(s, a, p) - c.reward(s, a, m)) / 2e-6;
  }
  CHECK((g.rn - fd).norm() < 1e-8);
  CHECK(g.rs.norm() == 0.0);
  CHECK_THROWS_AS(SaturatingCost(target, Vec::Ones(2), 0.5), std::invalid_argument);
  CHECK_THROWS_AS(SaturatingCost(target, weights, 0.0), std::invalid_argument);
}

TEST_CASE("Pendulum: start_center = pi starts hanging down within the spread") {
  PendulumConfig cfg;
  cfg.start_center = 3.141592653589793;
  cfg.start_angle = 0.17;
  cfg.start_speed = 0.17;
  Pendulum env(cfg);
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const Vec o = env.reset(seed);
    CHECK(o[0] < std::cos(3.141592653589793 - 0.171));  // cos theta near -1
    CHECK(std::abs(o[2]) <= 0.17 + 1e-9);
  }
  REQUIRE(env.control_dt().has_value());
  CHECK(*env.control_dt() == doctest::Approx(cfg.physics.control_dt));
}

TEST_CASE("pilco: a session saved mid-search continues bit-identically, with either optimiser") {
  for (const std::string optimizer : {"cem", "gradient"}) {
    CAPTURE(optimizer);
    // A small loop: 3 policy trials of 20 steps, 6 updates each on 4 particles.
    const std::vector<std::string> sets = {
        "policy_optimizer=" + optimizer, "episodes=3", "env.max_episode_steps=20", "horizon=20",
        "particles=4", "policy_updates=6", "cem_population=6", "cem_elites=2",
        "model.gp.optimizer_iterations=10"};
    auto a = make_experiment(load_experiment("pilco_pendulum", sets), env_registry());
    auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
    const auto& agent = dynamic_cast<const PilcoAgent&>(ea.agent());
    // Into the second policy trial's search: thinking, after its fit.
    while (!(ea.clock().episode == 1 && agent.thinking()) && a->tick()) {
    }
    for (int i = 0; i < 3; ++i) a->tick();  // a few updates in
    REQUIRE(agent.thinking());
    const auto dir = temp_dir("pilco_session_" + optimizer);
    save_session(*a, dir / "session");
    auto b = load_session(dir / "session", env_registry());
    while (a->tick()) REQUIRE(b->tick());
    CHECK(!b->tick());
    a->write_outputs(dir / "a");
    b->write_outputs(dir / "b");
    CHECK(read_file(dir / "a" / "metrics.csv") == read_file(dir / "b" / "metrics.csv"));
    CHECK(read_file(dir / "a" / "predicted_vs_real.csv") == read_file(dir / "b" / "predicted_vs_real.csv"));
    const auto& pb = dynamic_cast<const PilcoAgent&>(dynamic_cast<EpisodicExperiment&>(*b).agent());
    CHECK(pb.policy().params() == agent.policy().params());
    std::filesystem::remove_all(dir);
  }
}

/// An experiment of pilco_pendulum with `sets`, ticked to its first policy search (after the
/// random trial and the GP's fit); then through the search, calling `each()` after every tick.
std::unique_ptr<Experiment> through_first_search(
    const std::vector<std::string>& sets, const std::function<void(const PilcoAgent&)>& each) {
  auto x = make_experiment(load_experiment("pilco_pendulum", sets), env_registry());
  const auto& agent =
      dynamic_cast<const PilcoAgent&>(dynamic_cast<EpisodicExperiment&>(*x).agent());
  while (!(agent.thinking() && agent.model().training_done()) && x->tick()) {
  }
  while (agent.thinking() && x->tick()) each(agent);
  return x;
}

TEST_CASE("pilco: on fixed draws CEM's best cost never rises; a collapsed search restarts") {
  // One policy search of 60 CEM iterations on 4 particles (the preset's 24 candidates, 4 elites).
  const std::vector<std::string> sets = {"episodes=1",
                                         "env.max_episode_steps=20",
                                         "horizon=20",
                                         "particles=4",
                                         "policy_updates=60",
                                         "fixed_draws=true",
                                         "model.gp.optimizer_iterations=10"};
  std::vector<double> best;
  int restarts = 0;
  const auto x = through_first_search(sets, [&](const PilcoAgent& agent) {
    best.push_back(agent.predicted_search_cost());
    restarts = std::max(restarts, agent.cem_restarts());
  });
  REQUIRE(best.size() == 60);
  // Candidate 0 is the current policy, scored on the same particles as before: never worse.
  for (size_t i = 1; i < best.size(); ++i) CHECK(best[i] <= best[i - 1]);
  CHECK(best.back() < best.front());
  // Four elites of 24 shrink the std below a tenth within 60 iterations: at least one restart.
  CHECK(restarts >= 1);
  // The policy about to run: its particles over the world, beside the real trial.
  const auto s = x->snapshot();
  REQUIRE(s->particle_cloud);
  CHECK(s->particle_cloud->particles.size() == 4);
  CHECK(s->particle_cloud->particles[0].size() == 21);
  CHECK(s->particle_cloud->particles[0][0].size() == 3);
}

TEST_CASE("pilco: on fixed draws the gradient search runs its best iterate, not its last") {
  // One Adam search of 40 steps on 4 fixed particles, its step size large enough that the cost
  // rises on some steps.
  const std::vector<std::string> sets = {"episodes=1",
                                         "env.max_episode_steps=20",
                                         "horizon=20",
                                         "particles=4",
                                         "policy_updates=40",
                                         "fixed_draws=true",
                                         "policy_optimizer=gradient",
                                         "learning_rate=0.3",
                                         "policy_squash=sine",
                                         "policy_init_scale=1",
                                         "model.gp.optimizer_iterations=10"};
  // During the search: the cost of the policy before each step, on the same particles; after
  // the last step: the cost of the policy the trial runs.
  std::vector<double> cost;
  through_first_search(
      sets, [&](const PilcoAgent& agent) { cost.push_back(agent.predicted_search_cost()); });
  REQUIRE(cost.size() == 40);
  const std::vector<double> during(cost.begin(), cost.end() - 1);
  bool rose = false;
  for (size_t i = 1; i < during.size(); ++i) rose = rose || during[i] > during[i - 1];
  REQUIRE(rose);  // otherwise the last iterate would be the best anyway
  CHECK(cost.back() <= *std::min_element(during.begin(), during.end()));
}

TEST_CASE("pilco: bad config is a one-line error naming the key") {
  auto error_of = [](const std::vector<std::string>& sets) {
    try {
      make_experiment(load_experiment("pilco_pendulum", sets), env_registry());
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  for (const auto& bad : std::vector<std::pair<std::string, std::string>>{
           {"model.type=ensemble", "model.type"},
           {"cem_elites=30", "cem_elites"},
           {"policy_optimizer=bfgs", "policy_optimizer"},
           {"policy_squash=sigmoid", "policy_squash"},
           {"cost_target=[1,0]", "cost_weights"},
           {"dropout=1", "dropout"},
           {"dropout=0.25 policy_hidden=[]", "dropout"}}) {
    const std::string& set = bad.first;
    CAPTURE(set);
    std::vector<std::string> sets;
    for (size_t at = 0, end; at < set.size(); at = end + 1) {
      end = std::min(set.find(' ', at), set.size());
      sets.push_back(set.substr(at, end - at));
    }
    const std::string e = error_of(sets);
    CHECK(e.find(bad.second) != std::string::npos);
    CHECK(e.find('\n') == std::string::npos);
  }
}

TEST_CASE("pilco dropout: whole hidden units of the last layer, kept ones scaled by 1 / (1 - p)") {
  SquashedPolicy pi(3, Vec::Constant(1, -2.5), Vec::Constant(1, 2.5), {400, 1000});
  Rng init(3);
  pi.init(init);
  Rng rng(7);
  CHECK(pi.dropout_mask(0, rng) == Eigen::VectorXd::Ones(pi.params().size()));
  const Eigen::VectorXd mask = pi.dropout_mask(0.25, rng);
  const MlpShape& sh = pi.net().shape();
  const long w = pi.net().w_offset(2), units = sh.fan_in(2);
  int dropped = 0;
  for (long i = 0; i < mask.size(); ++i) {
    if (i >= w && i < w + units) {  // W_2 (1000 units x 1 action): one entry per unit
      CHECK((mask[i] == 0.0 || mask[i] == 1.0 / 0.75));
      dropped += mask[i] == 0.0;
    } else {
      CHECK(mask[i] == 1.0);  // earlier layers and every bias are never dropped
    }
  }
  CHECK(dropped > 200);  // about 250 of 1000
  CHECK(dropped < 300);
  CHECK_THROWS_AS(pi.dropout_mask(1.0, rng), std::invalid_argument);
}

}  // namespace test_pilco

