// PPO's and A2C's math (core/agents/actor_critic/): GAE against a hand-computed 4-step case;
// PPO's clipped gradient is zero outside [1 - eps, 1 + eps]; the total loss's gradient in every
// parameter (mean network, log_std diagonal and gSDE, value network) against central finite
// differences in double (relative error < 1e-6); orthogonal init; running mean/std.
#include <doctest/doctest.h>

#include <cmath>

#include "core/agents/actor_critic/actor_critic_loss.h"
#include "core/agents/actor_critic/gae.h"
#include "core/agents/policy_learning/running_mean_std.h"
#include "core/models/orthogonal_init.h"
#include "tests/gradient_check.h"

namespace test_actor_critic_math {

using namespace dynalab;
using namespace dynalab::test;

TEST_CASE("GAE matches a hand-computed 4-step case with an episode end") {
  // gamma 0.5, lambda 0.5; the episode ends after step 1, so step 1 does not look at step 2.
  const std::vector<double> r = {1, 2, 3, 4}, v = {0.5, 1.0, 1.5, 2.0};
  const std::vector<uint8_t> ends = {0, 1, 0, 0};
  const GaeResult g = gae(r, v, ends, /*last_value=*/3.0, 0.5, 0.5);
  // deltas: d3 = 4 + 0.5*3 - 2 = 3.5;  d2 = 3 + 0.5*2 - 1.5 = 2.5;
  //         d1 = 2 + 0 - 1 = 1;        d0 = 1 + 0.5*1 - 0.5 = 1.
  // A3 = 3.5; A2 = 2.5 + 0.25*3.5 = 3.375; A1 = 1 (end); A0 = 1 + 0.25*1 = 1.25.
  const std::vector<double> adv = {1.25, 1.0, 3.375, 3.5};
  for (size_t i = 0; i < 4; ++i) {
    CHECK(g.advantages[i] == doctest::Approx(adv[i]).epsilon(1e-12));
    CHECK(g.returns[i] == doctest::Approx(adv[i] + v[i]).epsilon(1e-12));
  }
  // lambda = 1 and no ends: the discounted return plus the bootstrap, minus V.
  const GaeResult mc = gae({1, 1}, {0, 0}, {0, 0}, 2.0, 0.9, 1.0);
  CHECK(mc.returns[0] == doctest::Approx(1 + 0.9 + 0.81 * 2));
  CHECK_THROWS(gae({1}, {0, 0}, {0}, 0, 0.9, 0.9));
}

namespace {

constexpr int kObs = 3, kAct = 2, kBatch = 9;

struct Batch {
  Mat obs, actions, old_log_prob, advantages, returns;
};

Batch batch(uint64_t seed) {
  Rng rng(seed);
  Batch b{normal_matrix(kBatch, kObs, rng), normal_matrix(kBatch, kAct, rng),
          normal_matrix(kBatch, 1, rng, 0.3), normal_matrix(kBatch, 1, rng),
          normal_matrix(kBatch, 1, rng)};
  return b;
}

VecD log_std_of(bool sde, uint64_t seed) {
  Rng rng(seed);
  VecD l(sde ? 6 * kAct : kAct);  // gSDE: over the 6 features of make_net's last hidden layer
  for (Eigen::Index i = 0; i < l.size(); ++i) l[i] = rng.normal(-0.5, 0.3);
  return l;
}

}  // namespace

TEST_CASE("the PPO and A2C loss gradients match finite differences (diagonal and gSDE)") {
  for (const bool sde : {false, true})
    for (const PolicyGradientLoss kind : {PolicyGradientLoss::ppo_clip, PolicyGradientLoss::a2c}) {
      CAPTURE(sde);
      CAPTURE(int(kind));
      MlpD mean_net = make_net(kObs, kAct, Activation::tanh, 11);
      MlpD value_net = make_net(kObs, 1, Activation::tanh, 12);
      VecD log_std = log_std_of(sde, 13);
      const Batch b = batch(14);
      // A wide clip range keeps every sample's ratio inside (a kink has no derivative); the
      // entropy bonus and the value loss are weighted in.
      const double clip = 10, ent = 0.05, vf = 0.7;
      // gSDE's features phi(s) are a stop-gradient (SB3 learn_features=False): the finite
      // differences hold them at their unperturbed value.
      MlpD::Cache c;
      mean_net.forward(b.obs, c);
      const Mat phi = c.h.back();
      const Mat* fixed = sde ? &phi : nullptr;
      auto loss = [&] {
        GaussianPass<double> p;
        MlpD::Cache vc;
        VecD gn = VecD::Zero(mean_net.params().size()), gl = VecD::Zero(log_std.size()),
             gv = VecD::Zero(value_net.params().size());
        return actor_critic_loss(mean_net, log_std, sde, value_net, b.obs, b.actions,
                                 b.old_log_prob, b.advantages, b.returns, kind, clip, ent, vf, p,
                                 vc, gn, gl, gv, fixed)
            .total;
      };
      GaussianPass<double> p;
      MlpD::Cache vc;
      VecD gn = VecD::Zero(mean_net.params().size()), gl = VecD::Zero(log_std.size()),
           gv = VecD::Zero(value_net.params().size());
      actor_critic_loss(mean_net, log_std, sde, value_net, b.obs, b.actions, b.old_log_prob,
                        b.advantages, b.returns, kind, clip, ent, vf, p, vc, gn, gl, gv);
      CHECK(relative_error(gn, finite_difference(mean_net.params(), loss)) < 1e-6);
      CHECK(relative_error(gl, finite_difference(log_std, loss)) < 1e-6);
      CHECK(relative_error(gv, finite_difference(value_net.params(), loss)) < 1e-6);
    }
}

TEST_CASE("PPO's clipped gradient is zero outside [1 - eps, 1 + eps] on the clipped side") {
  CHECK(!ppo_gradient_active(1.3, +1, 0.2));  // A > 0, rho > 1 + eps: clipped
  CHECK(ppo_gradient_active(1.3, -1, 0.2));   // A < 0, rho > 1 + eps: the unclipped min
  CHECK(!ppo_gradient_active(0.7, -1, 0.2));  // A < 0, rho < 1 - eps: clipped
  CHECK(ppo_gradient_active(0.7, +1, 0.2));
  CHECK(ppo_gradient_active(1.1, +1, 0.2));   // inside
  // Through the loss: with the ratio pushed to 1.5 for positive advantages (or 0.5 for
  // negative ones) the policy part passes no gradient; at 1.1 it does.
  MlpD mean_net = make_net(kObs, kAct, Activation::tanh, 21);
  MlpD value_net = make_net(kObs, 1, Activation::tanh, 22);
  const VecD log_std = log_std_of(false, 23);
  Batch b = batch(24);
  GaussianPass<double> p;
  gaussian_forward(mean_net, log_std, false, b.obs, p);
  const Mat log_prob = gaussian_log_prob(p, b.actions);
  auto policy_gradient = [&](double ratio, double sign) {
    b.old_log_prob = (log_prob.array() - std::log(ratio)).matrix();
    b.advantages = Mat::Constant(kBatch, 1, sign);
    MlpD::Cache vc;
    VecD gn = VecD::Zero(mean_net.params().size()), gl = VecD::Zero(log_std.size()),
         gv = VecD::Zero(value_net.params().size());
    const ActorCriticLosses l =
        actor_critic_loss(mean_net, log_std, false, value_net, b.obs, b.actions, b.old_log_prob,
                          b.advantages, b.returns, PolicyGradientLoss::ppo_clip, 0.2, 0.0, 0.0,
                          p, vc, gn, gl, gv);
    return std::make_pair(gn.norm() + gl.norm(), l.clip_fraction);
  };
  CHECK(policy_gradient(1.5, +1).first == 0.0);
  CHECK(policy_gradient(1.5, +1).second == 1.0);
  CHECK(policy_gradient(0.5, -1).first == 0.0);
  CHECK(policy_gradient(1.1, +1).first > 1e-3);
  CHECK(policy_gradient(1.1, +1).second == 0.0);
  CHECK(policy_gradient(1.5, -1).first > 1e-3);  // the unclipped branch is the minimum
}

TEST_CASE("orthogonal init: orthonormal columns (or rows) times the gain, zero biases") {
  MlpShape s;
  s.in = 5;
  s.out = 2;
  s.hidden = {8};
  Mlp net(s);
  Rng rng(3);
  orthogonal_init(net, {std::sqrt(2.0), 0.01}, rng);
  const Eigen::MatrixXd w0 = net.W(0).cast<double>();  // [5, 8]: orthonormal rows
  CHECK((w0 * w0.transpose() - 2.0 * Eigen::MatrixXd::Identity(5, 5)).norm() < 1e-5);
  const Eigen::MatrixXd w1 = net.W(1).cast<double>();  // [8, 2]: orthonormal columns
  CHECK((w1.transpose() * w1 - 1e-4 * Eigen::MatrixXd::Identity(2, 2)).norm() < 1e-8);
  CHECK(net.b(0).norm() == 0);
  CHECK_THROWS(orthogonal_init(net, {1.0}, rng));
}

TEST_CASE("running mean/std equals the sample mean and population variance") {
  RunningMeanStd s(2);
  const std::vector<Vec> xs = {Vec::Constant(2, 1.0), (Vec(2) << 2, -1).finished(),
                               (Vec(2) << 6, 3).finished()};
  for (const Vec& x : xs) s.update(x);
  // The 1e-4 prior count (SB3) shifts the moments by about 1e-4 relative.
  CHECK(s.mean[0] == doctest::Approx(3.0).epsilon(1e-3));
  CHECK(s.var[0] == doctest::Approx(14.0 / 3.0).epsilon(1e-3));
  CHECK(s.var[1] == doctest::Approx(8.0 / 3.0).epsilon(1e-3));
  ObservationNormalizer off(false, 2);
  CHECK(off(xs[2]) == xs[2]);
}

}  // namespace test_actor_critic_math
