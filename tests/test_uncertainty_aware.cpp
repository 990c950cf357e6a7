// The uncertainty-aware parts of ModelEnv / ModelStepper: candidate scores over particles
// (rollout.score), the disagreement-shaped reward (rollout.disagreement_weight) and halting
// outside the data's support (rollout.support_radius, DataSupport), on a model whose members
// are known in closed form: member e moves the position by drift[e] per step, whatever the state.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "core/planning/data_support.h"
#include "core/planning/model_env.h"

namespace test_uncertainty_aware {

using namespace dynalab;

namespace {

class DriftModel : public DynamicsModel {
 public:
  explicit DriftModel(std::vector<float> drift) : drift_(std::move(drift)) {
    members_.resize(drift_.size());
    std::iota(members_.begin(), members_.end(), 0);
  }
  int obs_dim() const override { return 2; }
  int action_dim() const override { return 1; }
  int members() const override { return int(drift_.size()); }
  const std::vector<int>& rollout_members() const override { return members_; }
  bool probabilistic() const override { return false; }
  bool learns_reward() const override { return false; }
  bool learns_termination() const override { return false; }
  void predict(const RowMatrixXf& obs, const RowMatrixXf&, MemberPredictions& out) const override {
    out.mean.assign(drift_.size(), RowMatrixXf::Zero(obs.rows(), 2));
    out.var.assign(drift_.size(), RowMatrixXf::Zero(obs.rows(), 2));
    for (size_t e = 0; e < drift_.size(); ++e) out.mean[e].col(0).setConstant(drift_[e]);
  }
  struct Ws : Workspace {
    Eigen::MatrixXf out;
  };
  std::unique_ptr<Workspace> make_workspace() const override { return std::make_unique<Ws>(); }
  Eigen::Map<const Eigen::MatrixXf> predict_member(int m, const RowMatrixXf&, const RowMatrixXf&,
                                                   const int*, long n, bool,
                                                   Workspace& ws) const override {
    auto& w = static_cast<Ws&>(ws);
    w.out.setZero(n, 4);
    w.out.col(0).setConstant(drift_[m]);
    return Eigen::Map<const Eigen::MatrixXf>(w.out.data(), n, 4);
  }

 private:
  std::vector<float> drift_;
  std::vector<int> members_;
};

// Reward = the next position: member e's particle earns drift[e] (1 + 2 + ... + H) from 0.
void reward_next_pos(const Eigen::Ref<const RowMatrixXf>&, const Eigen::Ref<const RowMatrixXf>&,
                     const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> r) {
  r = s1.col(0);
}

float score_of(const std::vector<float>& drift, ModelEnvConfig c, int H = 4,
               std::shared_ptr<const DataSupport> support = nullptr, std::vector<float>* paths = nullptr) {
  auto model = std::make_shared<DriftModel>(drift);
  c.particles = int(drift.size());  // tsinf: particle p follows member p
  c.threads = 1;
  c.termination = "none";  // nothing ends: every particle earns over the whole horizon
  ModelEnv env(model, c, reward_next_pos);
  env.set_support(std::move(support));
  ActionBatch a = ActionBatch::Zero(1, H);
  Eigen::VectorXf ret;
  env.evaluate(a, H, Vec::Zero(2), 7, ret, paths);
  return ret[0];
}

}  // namespace

TEST_CASE("rollout.score: mean, worst / best particle and mean + k std of the members' returns") {
  const std::vector<float> drift = {1.0f, -0.5f, 0.25f, 2.0f};
  const float tri = 10.0f;  // 1 + 2 + 3 + 4 for H = 4
  std::vector<double> r;
  for (float d : drift) r.push_back(d * tri);
  const double mean = std::accumulate(r.begin(), r.end(), 0.0) / r.size();
  double var = 0;
  for (double x : r) var += (x - mean) * (x - mean) / r.size();
  ModelEnvConfig c;
  c.propagation = "tsinf";
  CHECK(score_of(drift, c) == doctest::Approx(mean));
  c.score = "quantile";
  c.score_quantile = 0.0;
  CHECK(score_of(drift, c) == doctest::Approx(-5.0));  // the pessimistic member's rollout
  c.score_quantile = 1.0;
  CHECK(score_of(drift, c) == doctest::Approx(20.0));  // the optimistic one
  c.score_quantile = 0.4;  // nearest rank round(0.4 * 3) = 1 of the sorted -5, 2.5, 10, 20
  CHECK(score_of(drift, c) == doctest::Approx(2.5));
  c.score = "mean_std";
  c.score_std = -1.5;
  CHECK(score_of(drift, c) == doctest::Approx(mean - 1.5 * std::sqrt(var)).epsilon(1e-5));
  c.score_std = 2.0;
  CHECK(score_of(drift, c) == doctest::Approx(mean + 2.0 * std::sqrt(var)).epsilon(1e-5));
  // Members that agree: every score is their common return.
  for (const char* s : {"mean", "quantile", "mean_std"}) {
    c.score = s;
    CHECK(score_of({0.5f, 0.5f, 0.5f}, c) == doctest::Approx(5.0));
  }
}

TEST_CASE("rollout.disagreement_weight adds w x the members' spread to every step's reward") {
  const std::vector<float> drift = {1.0f, -1.0f, 0.0f, 2.0f};
  double m = 0, v = 0;
  for (float d : drift) m += d / 4.0;
  for (float d : drift) v += (d - m) * (d - m) / 4.0;
  const double u = std::sqrt(v);  // the position's std across members; the velocity's is 0
  for (const char* prop : {"mean", "tsinf", "pessimistic"}) {
    CAPTURE(prop);
    ModelEnvConfig c;
    c.propagation = prop;
    const float base = score_of(drift, c);
    for (double w : {-2.0, 0.5}) {
      c.disagreement_weight = w;
      CHECK(score_of(drift, c) == doctest::Approx(base + w * u * 4).epsilon(1e-5));
    }
    c.disagreement_weight = 0;
  }
  // One member cannot disagree with itself: no shaping.
  ModelEnvConfig c;
  c.disagreement_weight = -10;
  CHECK(score_of({1.0f}, c) == doctest::Approx(10.0));
}

TEST_CASE("rollout.score and disagreement_weight are checked with the key named") {
  auto model = std::make_shared<DriftModel>(std::vector<float>{1.0f});
  ModelEnvConfig c;
  c.termination = "none";
  c.score = "median";
  CHECK_THROWS_WITH_AS(ModelEnv(model, c, reward_next_pos),
                       doctest::Contains("rollout.score: expected one of mean, quantile, mean_std"),
                       InputError);
}

TEST_CASE("DataSupport: within radius standard deviations of some training state") {
  Eigen::MatrixXd states(3, 2);
  states << 0, 0, 1, 0, 2, 0;  // x std sqrt(2/3); v constant (its std counts as 1)
  const DataSupport sup(states, 0.5);
  const double sd = std::sqrt(2.0 / 3.0);
  auto in = [&](float x, float v) {
    const float s[2] = {x, v};
    return sup.contains(s);
  };
  CHECK(in(2.0f, 0.0f));
  CHECK(in(float(2 + 0.49 * sd), 0.0f));
  CHECK_FALSE(in(float(2 + 0.51 * sd), 0.0f));
  CHECK_FALSE(in(0.5f, 0.0f));  // halfway between two states: 0.5 m = 0.61 std from each
  CHECK_FALSE(in(1.0f, 0.6f));
  CHECK(in(1.0f, 0.4f));
  CHECK_FALSE(in(std::nanf(""), 0.0f));
}

TEST_CASE("rollout.support_radius halts a particle that leaves the data and charges halt_reward") {
  // One member moving +1 per step from 0: states 1, 2 are in the support of {0, 1, 2}, 3 is not.
  Eigen::MatrixXd states(3, 2);
  states << 0, 0, 1, 0, 2, 0;
  auto sup = std::make_shared<const DataSupport>(states, 0.5);
  ModelEnvConfig c;
  c.propagation = "mean";
  const int H = 5;
  CHECK(score_of({1.0f}, c, H, sup) == doctest::Approx(15.0));  // radius 0: off
  c.support_radius = 0.5;
  c.halt_reward = -7;
  std::vector<float> paths;
  // Rewards 1, 2, then the halt at state 3 and the two steps after it: -7 each.
  CHECK(score_of({1.0f}, c, H, sup, &paths) == doctest::Approx(1 + 2 - 7 * 3));
  // The path ends at the state where the particle left the support.
  REQUIRE(paths.size() == size_t(H + 1) * 2);
  CHECK(paths[3 * 2] == doctest::Approx(3.0f));
  CHECK(std::isnan(paths[4 * 2]));
  CHECK(score_of({1.0f}, c, H, nullptr) == doctest::Approx(15.0));  // no support given: no halting
}

}  // namespace test_uncertainty_aware
