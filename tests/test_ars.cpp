// The ars family: the update (ars_learner.h) on a quadratic "return" R(theta) = -|theta -
// theta*|^2 matches the V2-t formula by hand and moves theta to the optimum; top-b selection
// keeps the right directions; the same seed gives the same learning curve, directly and through
// the Runner's worker thread; a session saved mid-iteration (mid-episode) continues
// bit-identically; a bad key is a one-line error naming the file and the key.
#include <doctest/doctest.h>

#include <cmath>

#include "core/agents/ars/ars_agent.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/io/atomic_file.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/learning_curve_util.h"
#include "tests/runner_util.h"
#include "tests/test_util.h"

namespace test_ars {

using namespace dynalab;
using namespace dynalab::test;

namespace {

/// A short ars_pendulum: 16 episodes of 200 steps per run (2 iterations of 8 candidates with one
/// episode each, or 1 with two), a small policy.
std::vector<std::string> short_run(int seed, int episodes_per_candidate = 1) {
  return {"seed=" + std::to_string(seed), "runs=2", "steps=3200", "ars.hidden=[4]", "eval_every=800",
          "eval_episodes=2", "ars.n_eval_episodes=" + std::to_string(episodes_per_candidate)};
}

std::unique_ptr<Experiment> make(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("ars_pendulum", sets), env_registry());
}

/// {metrics.csv, learning_curve.csv without wall_s} of `e` now.
std::pair<std::string, std::string> outputs(Experiment& e, const std::string& tag) {
  return learner_outputs(e, "ars_" + tag);
}

/// A linear policy 3 -> 1 (4 parameters: W then b), no normalisation.
ArsConfig linear(int n_delta, int n_top) {
  ArsConfig c;
  c.n_delta = n_delta;
  c.n_top = n_top;
  c.hidden = {};
  c.norm_obs = false;
  return c;
}

}  // namespace

TEST_CASE("ars: top-b selection keeps the directions with the largest max(r+, r-)") {
  // max(r+, r-) = 4, 5, 6, 3
  const std::vector<double> plus = {1, 5, -2, 3}, minus = {4, 0, 6, -1};
  CHECK(top_directions(plus, minus, 1) == std::vector<int>{2});
  CHECK(top_directions(plus, minus, 2) == std::vector<int>{2, 1});
  CHECK(top_directions(plus, minus, 4) == std::vector<int>{2, 1, 0, 3});
  // Ties keep the lower index first.
  CHECK(top_directions({1, 2, 2}, {0, 0, 0}, 2) == std::vector<int>{1, 2});
}

TEST_CASE("ars: one update on a quadratic is the V2-t step, and the updates reach the optimum") {
  const Vec target = (Vec(4) << 0.5, -0.3, 0.2, 0.1).finished();
  const auto R = [&](const Vec& theta) { return -(theta - target).squaredNorm(); };
  ArsLearner l(linear(8, 4), 3, 1, Rng(5));
  REQUIRE(l.params().size() == 4);
  CHECK(l.params().isZero());
  // One iteration by hand: candidates theta + nu delta_k (k < 8), then theta - nu delta_k.
  const Eigen::MatrixXd deltas = l.deltas();
  const double nu = l.config().delta_std;
  std::vector<double> plus(8), minus(8);
  for (int c = 0; c < 16; ++c) {
    REQUIRE(l.candidate() == c);
    const Vec expected = (c < 8 ? nu : -nu) * deltas.row(c % 8).transpose();
    CHECK((l.candidate_params() - expected).norm() < 1e-15);
    const double r = R(l.candidate_params());
    (c < 8 ? plus : minus)[size_t(c % 8)] = r;
    CHECK(l.end_candidate(r) == (c == 15));
  }
  const std::vector<int> top = top_directions(plus, minus, 4);
  std::vector<double> kept;
  for (int k : top) kept.insert(kept.end(), {plus[size_t(k)], minus[size_t(k)]});
  double mean = 0, ss = 0;
  for (double r : kept) mean += r / 8;
  for (double r : kept) ss += (r - mean) * (r - mean);
  const double sigma = std::sqrt(ss / 7);
  Vec step = Vec::Zero(4);
  for (int k : top) step += (plus[size_t(k)] - minus[size_t(k)]) * deltas.row(k).transpose();
  const Vec expected = 0.02 / (4 * sigma + 1e-6) * step;
  CHECK((l.params() - expected).norm() < 1e-12);
  CHECK(l.iterations() == 1);
  CHECK(l.candidate() == 0);
  CHECK((l.params() - target).norm() < target.norm());  // a step toward the optimum
  // 300 more iterations end in a small ball around the optimum.
  for (int it = 0; it < 300; ++it)
    for (int c = 0; c < 16; ++c) l.end_candidate(R(l.candidate_params()));
  INFO("distance " << (l.params() - target).norm());
  CHECK((l.params() - target).norm() < 0.05 * target.norm());
}

TEST_CASE("ars: the normaliser uses the states of completed iterations only") {
  ArsConfig c = linear(1, 1);
  c.norm_obs = true;
  ArsLearner l(c, 1, 1, Rng(1));
  CHECK(l.normaliser().count == 1e-4);  // SB3's prior: mean 0, var 1
  for (double x : {1.0, 2.0, 3.0}) l.observe_state(Vec::Constant(1, x));
  l.end_candidate(0);
  CHECK(l.normaliser().count == 1e-4);  // the iteration is not over: its candidates share one normaliser
  l.observe_state(Vec::Constant(1, 6.0));
  l.end_candidate(1);
  // The prior (weight 1e-4) and the four states: mean 3, population variance 3.5.
  REQUIRE(l.normaliser().count == doctest::Approx(4 + 1e-4));
  CHECK(l.normaliser().mean[0] == doctest::Approx(3.0).epsilon(1e-4));
  CHECK(l.normaliser().var[0] == doctest::Approx((4 + 1 + 0 + 9) / 4.0).epsilon(1e-4));
  CHECK(l.normalize(Vec::Constant(1, 3.0 + std::sqrt(3.5)))[0] == doctest::Approx(1.0).epsilon(1e-4));
  CHECK(l.normalize(Vec::Constant(1, 1e9))[0] == 10.0);  // clipped as VecNormalize
}

TEST_CASE("ars: the same seed gives the same learning curve and metrics, directly and through the Runner") {
  auto a = make(short_run(7));
  a->run_to_end();
  auto b = make(short_run(7));
  b->run_to_end();
  const auto oa = outputs(*a, "det_a"), ob = outputs(*b, "det_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(csv_cells(oa.second).size() == 1 + 2 * 4);  // both runs' evaluations
  CHECK(csv_cells(oa.first).size() == 1 + 2 * 16);  // 16 episodes per run
  const auto dir = temp_dir("ars_det_runner");
  write_outputs_through_runner([&] { return make(short_run(7)); }, dir);
  CHECK(read_file(dir / "metrics.csv") == oa.first);
  CHECK(curve_without_wall(read_file(dir / "learning_curve.csv")) == oa.second);
  std::filesystem::remove_all(dir);
  // theta moved, and another seed learns differently.
  const auto& la = dynamic_cast<const ArsAgent&>(dynamic_cast<EpisodicExperiment&>(*a).agent()).learner();
  CHECK(la.iterations() == 2);
  CHECK(!la.params().isZero());
  auto c = make(short_run(8));
  c->run_to_end();
  CHECK(outputs(*c, "det_c").first != oa.first);
}

namespace {

/// Saves a session of `sets` at run 1, `run_steps`, where the learner must be at `iteration`,
/// `candidate`; the loaded copy must continue bit-identically to the end.
void check_session_roundtrip(const std::vector<std::string>& sets, int64_t run_steps, int iteration,
                             int candidate) {
  auto a = make(sets);
  auto& ea = dynamic_cast<EpisodicExperiment&>(*a);
  while (!(ea.clock().run == 1 && ea.clock().run_steps == run_steps) && a->tick()) {
  }
  REQUIRE(ea.clock().run == 1);
  const auto& la = dynamic_cast<const ArsAgent&>(ea.agent()).learner();
  REQUIRE(la.iterations() == iteration);
  REQUIRE(la.candidate() == candidate);
  const auto dir = temp_dir("ars_session");
  save_session(*a, dir / "session");
  auto b = load_session(dir / "session", env_registry());
  CHECK(outputs(*a, "at_save_a") == outputs(*b, "at_save_b"));
  const auto& lb = dynamic_cast<const ArsAgent&>(dynamic_cast<EpisodicExperiment&>(*b).agent()).learner();
  CHECK(lb.candidate_params() == la.candidate_params());
  CHECK(lb.normaliser().mean == la.normaliser().mean);
  while (a->tick()) REQUIRE(b->tick());
  CHECK(!b->tick());
  const auto oa = outputs(*a, "end_a"), ob = outputs(*b, "end_b");
  CHECK(oa.first == ob.first);
  CHECK(oa.second == ob.second);
  CHECK(la.params() == lb.params());
  CHECK(la.normaliser().var == lb.normaliser().var);
  std::filesystem::remove_all(dir);
}

}  // namespace

TEST_CASE("ars: a session saved mid-iteration continues bit-identically") {
  // The second run, iteration 1, candidate 2 (theta + nu delta_3), 150 steps into its episode.
  check_session_roundtrip(short_run(3), 2150, 1, 2);
  // Two episodes per candidate: saved in candidate 5's second episode (its first one's return
  // is carried).
  check_session_roundtrip(short_run(4, 2), 2350, 0, 5);
}

TEST_CASE("ars: bad config is a one-line error naming the file and the key") {
  // In a file: the file and the key.
  const auto dir = temp_dir("ars_bad_config");
  const auto file = dir / "bad_ars.json";
  write_file_atomic(file, R"({"family": "ars", "env": {"name": "pendulum"}, "ars": {"n_delta": 2, "n_top": 3}})");
  const std::string top = error_of([&] { make_experiment(load_experiment(file.string()), env_registry()); });
  CHECK(top.find("bad_ars.json: ars.n_top") != std::string::npos);
  CHECK(top.find("at most n_delta (2)") != std::string::npos);
  CHECK(top.find('\n') == std::string::npos);
  std::filesystem::remove_all(dir);
  // Through an override: the key.
  const std::string nu = error_of([] { make({"ars.delta_std=-1"}); });
  CHECK(nu.find("ars.delta_std") != std::string::npos);
  CHECK(nu.find('\n') == std::string::npos);
  const std::string act = error_of([] { make({"ars.activation=\"sigmoid\""}); });
  CHECK(act.find("ars.activation") != std::string::npos);
  const std::string env = error_of([] {
    make_experiment(load_experiment("ars_pendulum", {"env={\"name\": \"grid_world\"}"}), env_registry());
  });
  CHECK(env.find("bounded box action space") != std::string::npos);
}

TEST_CASE("ars: learning rate, n_top and evaluation apply live; the policy's shape waits for a reset") {
  auto e = make({"seed=1", "steps=4000", "ars.hidden=[4]", "ars.n_eval_episodes=1"});
  auto& ee = dynamic_cast<EpisodicExperiment&>(*e);
  while (ee.clock().run_steps < 1000 && e->tick()) {
  }
  Json edited = e->config();
  edited["ars"]["learning_rate"] = 0.05;
  edited["ars"]["n_top"] = 2;
  edited["eval_every"] = 1500;
  edited["ars"]["hidden"] = Json::array({8});
  const LiveEdit edit = e->apply_live_edit(edited);
  CHECK(edit.live.size() == 3);
  CHECK(edit.pending == std::vector<std::string>{"ars.hidden"});
  const auto& ars = dynamic_cast<const ArsAgent&>(ee.agent()).learner();
  CHECK(ars.config().learning_rate == 0.05);
  CHECK(ars.config().n_top == 2);
  CHECK(ars.config().hidden == std::vector<int>{4});
  e->run_to_end();
  const auto rows = csv_cells(outputs(*e, "live").second);
  REQUIRE(rows.size() == 3);  // header, then 1500 and 3000
  CHECK(rows[1][1] == "1500");
  CHECK(rows[2][1] == "3000");
}

}  // namespace test_ars
