// ModelStepper through its two users: ModelEnv's open-loop evaluation and policy_rollout's
// closed loop must give the same numbers for the same actions; a feedback policy sees the
// states it acts on; ended rows earn nothing and stay put; steps allocate nothing.

#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "core/models/ensemble.h"
#include "core/planning/model_env.h"
#include "core/planning/policy_rollout.h"
#include "core/rng.h"
#include "tests/allocation_counter.h"

using namespace dynalab;

namespace {

constexpr int kObs = 2, kAct = 1;

// An untrained probabilistic ensemble: the plumbing under test does not need a good model.
std::shared_ptr<Ensemble> model(bool learn_reward = false) {
  ModelConfig c;
  c.prediction = "probabilistic";
  c.hidden = {16, 16};
  c.ensemble_size = c.elite_members = 3;
  c.learn_reward = learn_reward;
  return std::make_shared<Ensemble>(c, kObs, kAct, 5);
}

void reward_pos(const Eigen::Ref<const RowMatrixXf>&, const Eigen::Ref<const RowMatrixXf>&,
                const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> r) {
  r = s1.col(0);
}
// Ends a row once its position leaves [-0.6, 0.6]: an untrained model drifts there quickly.
void leaves_box(const Eigen::Ref<const RowMatrixXf>&, const Eigen::Ref<const RowMatrixXf>&,
                const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> d) {
  d = (s1.col(0).array().abs() > 0.6f).cast<float>().matrix();
}

ModelEnvConfig config(const std::string& propagation, const std::string& termination) {
  ModelEnvConfig c;
  c.propagation = propagation;
  c.particles = 6;
  c.threads = 1;
  c.termination = termination;
  return c;
}

}  // namespace

TEST_CASE("policy_rollout replaying an action sequence equals ModelEnv::evaluate bit for bit") {
  const int H = 8;
  Rng rng(3);
  ActionBatch seq(1, H * kAct);
  for (long i = 0; i < seq.size(); ++i) seq.data()[i] = float(rng.uniform(-1, 1));
  Vec start(kObs);
  start << 0.2, -0.1;
  for (const std::string prop : {"mean", "ts1", "tsinf", "pessimistic", "optimistic"})
    for (const std::string ends : {"env", "none"}) {
      CAPTURE(prop);
      CAPTURE(ends);
      const auto m = model();
      const ModelEnvConfig cfg = config(prop, ends);
      ModelEnv env(m, cfg, reward_pos, leaves_box);
      Eigen::VectorXf returns;
      std::vector<float> paths;
      env.evaluate(seq, H, start, 77, returns, &paths);

      ModelStepper stepper(m, cfg, reward_pos, leaves_box);
      int t = 0;
      const PolicyRollout r = policy_rollout(
          stepper, start.cast<float>().transpose(), H,
          [&](const RowMatrixXf&, RowMatrixXf& a) { a.setConstant(seq(0, t++)); }, 77);
      const long K = stepper.rows_per_group();
      REQUIRE(r.returns.size() == K);
      CHECK(r.returns.mean() == returns[0]);
      // ModelEnv's paths: NaN after a particle ended; the rollout's states stay frozen there.
      for (long p = 0; p < K; ++p)
        for (int s = 0; s <= H; ++s)
          for (int d = 0; d < kObs; ++d) {
            const float v = paths[(p * (H + 1) + s) * kObs + d];
            if (std::isnan(v))
              CHECK(r.alive(p, s - 1) == 0.0f);
            else
              CHECK(v == r.states[s](p, d));
          }
    }
}

TEST_CASE("policy_rollout: feedback actions, termination masks, frozen ended rows") {
  const int H = 12;
  const auto m = model();
  ModelStepper stepper(m, config("tsinf", "env"), reward_pos, leaves_box);
  RowMatrixXf starts(4, kObs);
  starts << 0.0, 0.0, 0.5, 0.1, -0.5, 0.3, 0.55, -0.2;
  const auto policy = [](const RowMatrixXf& s, RowMatrixXf& a) { a = -2.0f * s.col(0); };
  const PolicyRollout r = policy_rollout(stepper, starts, H, policy, 9);
  const long n = 4 * stepper.rows_per_group();
  REQUIRE(r.states.size() == size_t(H + 1));
  REQUIRE(r.actions.size() == size_t(H));
  CHECK(r.rewards.rows() == n);
  CHECK(r.states[0].row(stepper.rows_per_group()) == starts.row(1));
  int ended = 0;
  for (long i = 0; i < n; ++i) {
    float sum = 0;
    for (int t = 0; t < H; ++t) {
      CHECK(r.actions[t](i, 0) == -2.0f * r.states[t](i, 0));  // the policy saw s_t
      sum += r.rewards(i, t);
      if (r.alive(i, t) == 0.0f) {  // ended earlier: nothing earned, nothing moves
        CHECK(r.rewards(i, t) == 0.0f);
        CHECK(r.terminated(i, t) == 0.0f);
        CHECK(r.states[t + 1].row(i) == r.states[t].row(i));
      } else {
        CHECK(r.terminated(i, t) == (std::abs(r.states[t + 1](i, 0)) > 0.6f ? 1.0f : 0.0f));
        CHECK(r.rewards(i, t) == r.states[t + 1](i, 0));
      }
      if (t + 1 < H) CHECK(r.alive(i, t + 1) == r.alive(i, t) * (1.0f - r.terminated(i, t)));
      ended += int(r.terminated(i, t));
    }
    CHECK(r.returns[i] == sum);
  }
  MESSAGE(ended, " of ", n, " rows ended inside the horizon");
  CHECK(ended > 0);  // the masks were exercised
}

TEST_CASE("ModelStepper: once shapes are stable, begin() and step() allocate nothing" *
          doctest::skip(!kCountsAllocations)) {
  for (const std::string prop : {"mean", "ts1", "tsinf", "pessimistic"}) {
    CAPTURE(prop);
    const auto m = model(/*learn_reward=*/true);
    ModelStepper stepper(m, config(prop, "none"));
    ModelStepper::Batch b;
    auto episode = [&](uint64_t seed) {
      stepper.begin(b, 0, 50, seed);
      b.states.setConstant(0.1f);
      for (int t = 0; t < 5; ++t) {
        b.actions.setConstant(0.3f);
        stepper.step(b);
      }
    };
    episode(1);  // sizes every buffer
    const long before = g_allocations.load();
    episode(2);
    episode(3);
    CHECK(g_allocations.load() - before == 0);
  }
}
