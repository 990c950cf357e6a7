#include <algorithm>
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "core/dataset.h"
#include "core/models/bulk_normal.h"
#include "core/models/ensemble.h"
#include "core/planning/model_env.h"
#include "core/rng.h"

namespace test_model_env {

using namespace dynalab;

namespace {

// 1-D point mass: obs (pos, vel), action a: vel' = vel + 0.1 a, pos' = pos + 0.1 vel'.
Dataset point_mass_data(int n, double noise, uint64_t seed) {
  Dataset d(2, 1);
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    Transition t;
    t.obs = Vec(2);
    t.obs << rng.uniform(-1, 1), rng.uniform(-1, 1);
    t.action = Vec::Constant(1, rng.uniform(-1, 1));
    const double v = t.obs[1] + 0.1 * t.action[0] + noise * rng.normal();
    const double p = t.obs[0] + 0.1 * v + noise * rng.normal();
    t.next_obs = Vec(2);
    t.next_obs << p, v;
    t.reward = -p * p;
    t.episode = 0;
    d.add(t);
  }
  return d;
}

std::shared_ptr<Ensemble> trained(const std::string& kind, bool learn_reward = false) {
  ModelConfig c;
  c.prediction = kind;
  c.hidden = {32, 32};
  c.ensemble_size = c.elite_members = 3;
  c.learning_rate = 3e-3;
  c.batch_size = 64;
  c.epochs = 40;
  c.learn_reward = learn_reward;
  auto m = std::make_shared<Ensemble>(c, 2, 1, 21);
  Rng rng(22);
  m->fit(point_mass_data(1000, kind == "probabilistic" ? 0.01 : 0.0, 23), rng);
  return m;
}

// Reward = next position (linear, so quantiles over members order the returns).
void reward_next_pos(const Eigen::Ref<const RowMatrixXf>&, const Eigen::Ref<const RowMatrixXf>&,
                     const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> r) {
  r = s1.col(0);
}
void reward_neg_sq_pos(const Eigen::Ref<const RowMatrixXf>&, const Eigen::Ref<const RowMatrixXf>&,
                       const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> r) {
  r = -s1.col(0).array().square().matrix();
}

ActionBatch random_actions(int P, int H, uint64_t seed) {
  Rng rng(seed);
  ActionBatch a(P, H);
  for (long i = 0; i < a.size(); ++i) a.data()[i] = float(rng.uniform(-1, 1));
  return a;
}

Vec start_state() {
  Vec s(2);
  s << 0.3, -0.2;
  return s;
}

struct Run {
  Eigen::VectorXf returns;
  std::vector<float> paths;
};

Run run(const std::shared_ptr<Ensemble>& m, const std::string& prop, int particles, int threads,
        uint64_t seed, const ActionBatch& a, int H, ModelEnv::RewardFn reward = reward_next_pos) {
  ModelEnvConfig c;
  c.propagation = prop;
  c.particles = particles;
  c.threads = threads;
  c.termination = "none";  // the point mass never terminates
  ModelEnv env(m, c, reward);
  Run r;
  env.evaluate(a, H, start_state(), seed, r.returns, &r.paths);
  return r;
}

// Path of (candidate c, particle p) as one vector of (H+1) x 2 values.
Eigen::VectorXf path(const Run& r, int c, int p, int particles, int H) {
  const long len = long(H + 1) * 2;
  return Eigen::Map<const Eigen::VectorXf>(r.paths.data() + (long(c) * particles + p) * len, len);
}

}  // namespace

TEST_CASE("ModelEnv: shapes, start state, and mean mode has zero spread across particles") {
  auto m = trained("probabilistic");
  const int P = 7, H = 6, K = 5;
  const ActionBatch a = random_actions(P, H, 1);
  const Run r = run(m, "mean", K, 2, 3, a, H);
  CHECK(r.returns.size() == P);
  CHECK(r.paths.size() == size_t(P) * K * (H + 1) * 2);
  for (int c = 0; c < P; ++c) {
    CHECK(path(r, c, 0, K, H)[0] == doctest::Approx(0.3));
    CHECK(path(r, c, 0, K, H)[1] == doctest::Approx(-0.2));
    for (int p = 1; p < K; ++p) CHECK(path(r, c, p, K, H) == path(r, c, 0, K, H));
  }
  // The learned model roughly follows the true dynamics on the first step.
  const float v1 = 0.3f * 0 + (-0.2f + 0.1f * a(0, 0));
  CHECK(path(r, 0, 0, K, H)[3] == doctest::Approx(v1).epsilon(0.05));
}

TEST_CASE("ModelEnv: tsinf particles of one member follow the same path; ts1/tsinf sample") {
  const int P = 4, H = 8, K = 6;  // 3 elites: particles p and p + 3 share a member
  const ActionBatch a = random_actions(P, H, 2);
  auto det = trained("deterministic");
  const Run r = run(det, "tsinf", K, 2, 5, a, H);
  for (int c = 0; c < P; ++c) {
    for (int p = 0; p < 3; ++p) CHECK(path(r, c, p, K, H) == path(r, c, p + 3, K, H));
    CHECK(path(r, c, 0, K, H) != path(r, c, 1, K, H));  // different members disagree a little
  }
  auto prob = trained("probabilistic");
  for (const char* mode : {"tsinf", "ts1"}) {
    CAPTURE(std::string(mode));
    const Run s = run(prob, mode, K, 2, 5, a, H);
    CHECK(path(s, 0, 0, K, H) != path(s, 0, 3, K, H));  // same member, different noise
    const Run other = run(prob, mode, K, 2, 6, a, H);
    CHECK(s.returns != other.returns);  // the noise seed matters
  }
}

TEST_CASE("ModelEnv: pessimistic <= mean <= optimistic returns") {
  auto m = trained("deterministic");
  const int P = 20, H = 10;
  const ActionBatch a = random_actions(P, H, 3);
  const Run pess = run(m, "pessimistic", 1, 2, 7, a, H), mean = run(m, "mean", 1, 2, 7, a, H),
            opt = run(m, "optimistic", 1, 2, 7, a, H);
  for (int c = 0; c < P; ++c) {
    CHECK(pess.returns[c] <= mean.returns[c] + 1e-5f);
    CHECK(mean.returns[c] <= opt.returns[c] + 1e-5f);
  }
  CHECK((opt.returns - pess.returns).minCoeff() > 0);
}

TEST_CASE("ModelEnv: same seed gives the same returns and paths at 1 and 2 threads") {
  auto m = trained("probabilistic");
  const int P = 301, H = 5;  // 301 x 30 rows: 4 chunks of uneven size
  const ActionBatch a = random_actions(P, H, 4);
  for (const char* mode : {"tsinf", "ts1", "mean", "pessimistic", "optimistic"}) {
    CAPTURE(std::string(mode));
    const Run one = run(m, mode, 30, 1, 9, a, H, reward_neg_sq_pos),
              two = run(m, mode, 30, 2, 9, a, H, reward_neg_sq_pos);
    CHECK(one.returns == two.returns);
    CHECK(one.paths == two.paths);
    CHECK(one.returns.allFinite());
  }
}

TEST_CASE("ModelEnv: a candidate's return does not depend on the other candidates in the batch") {
  // The chunks a batch is cut into depend on its size (rounded to whole SIMD registers per
  // elite), so the first 40 candidates alone are cut differently from the same 40 inside 301:
  // their returns and paths must still be bit-identical.
  auto m = trained("probabilistic");
  const int H = 5, K = 30;
  const ActionBatch all = random_actions(301, H, 4);
  const ActionBatch first = all.topRows(40);
  for (const char* mode : {"tsinf", "ts1", "mean"}) {
    CAPTURE(std::string(mode));
    const Run big = run(m, mode, K, 2, 9, all, H, reward_neg_sq_pos),
              small = run(m, mode, K, 2, 9, first, H, reward_neg_sq_pos);
    CHECK(small.returns == big.returns.head(40));
    CHECK(std::equal(small.paths.begin(), small.paths.end(), big.paths.begin()));
  }
}

TEST_CASE(
    "ModelEnv: non-finite returns become -infinity; learned reward; missing reward is an error") {
  auto m = trained("deterministic", true);
  const int P = 3, H = 4;
  ActionBatch a = random_actions(P, H, 5) * 0.5f;
  a(1, 0) = 0.95f;  // candidate 1 triggers a NaN reward
  auto nan_reward = [](const Eigen::Ref<const RowMatrixXf>&,
                       const Eigen::Ref<const RowMatrixXf>& act,
                       const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> r) {
    for (long i = 0; i < r.size(); ++i) r[i] = act(i, 0) > 0.9f ? std::nanf("") : s1(i, 0);
  };
  const Run r = run(m, "tsinf", 3, 1, 1, a, H, nan_reward);
  CHECK(std::isfinite(r.returns[0]));
  CHECK(r.returns[1] == -std::numeric_limits<float>::infinity());
  CHECK(std::isfinite(r.returns[2]));

  // The learned reward (-pos'^2) agrees with the closed-form one along the mean path.
  const Run learned = run(m, "mean", 1, 1, 1, a, H, {}),
            closed = run(m, "mean", 1, 1, 1, a, H, reward_neg_sq_pos);
  for (int c = 0; c < P; ++c)
    CHECK(learned.returns[c] == doctest::Approx(closed.returns[c]).epsilon(0.1).scale(0.05));

  auto no_reward = trained("deterministic", false);
  CHECK_THROWS_AS(ModelEnv(no_reward, ModelEnvConfig{}, {}), InputError);
}

TEST_CASE("fill_normals: standard normal moments, deterministic per stream") {
  std::vector<float> x(200001), y(200001);
  Rng a(1), b(1);
  fill_normals(a, x.data(), long(x.size()));
  fill_normals(b, y.data(), long(y.size()));
  CHECK(x == y);
  double m = 0, v = 0, k = 0;
  for (float z : x) m += z / double(x.size());
  for (float z : x) {
    v += (z - m) * (z - m) / double(x.size());
    k += std::pow(z - m, 4) / double(x.size());
  }
  CHECK(std::abs(m) < 0.01);
  CHECK(v == doctest::Approx(1.0).epsilon(0.01));
  CHECK(k / (v * v) == doctest::Approx(3.0).epsilon(0.03));  // Gaussian kurtosis
}

TEST_CASE("ModelEnv's batched rollout agrees with Ensemble::predict step by step") {
  auto m = trained("deterministic");
  const int P = 5, H = 3, K = 3;  // tsinf: particle p uses elite p
  const ActionBatch a = random_actions(P, H, 6);
  const Run r = run(m, "tsinf", K, 1, 1, a, H);
  EnsemblePrediction pred;
  for (int c = 0; c < P; ++c)
    for (int p = 0; p < K; ++p) {
      const Eigen::VectorXf pa = path(r, c, p, K, H);
      for (int t = 0; t < H; ++t) {
        RowMatrixXf s(1, 2), act(1, 1);
        s << pa[2 * t], pa[2 * t + 1];
        act(0, 0) = a(c, t);
        m->predict(s, act, pred);
        const int member = m->elites()[p];
        CHECK(pa[2 * t + 2] == doctest::Approx(s(0, 0) + pred.mean[member](0, 0)).epsilon(1e-5));
        CHECK(pa[2 * t + 3] == doctest::Approx(s(0, 1) + pred.mean[member](0, 1)).epsilon(1e-5));
      }
    }
}

}  // namespace test_model_env
