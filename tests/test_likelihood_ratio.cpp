// The likelihood-ratio (score-function) gradient of version 2.5 (issue 18): unbiased on a
// one-step linear-Gaussian problem, whose gradient is known in closed form.

#include <doctest/doctest.h>

#include <cmath>

#include "core/gradients/likelihood_ratio_gradient.h"
#include "core/rng.h"

namespace test_likelihood_ratio {

using namespace dynalab;

namespace {

// r(s, a, s') = -|s'|^2: the one-step problem's cost of ending away from 0.
class NegSquaredNext : public DifferentiableReward {
 public:
  double reward(const Vec&, const Vec&, const Vec& s1) const override { return -s1.squaredNorm(); }
};

}  // namespace

TEST_CASE("the likelihood-ratio gradient is unbiased on a one-step linear-Gaussian problem") {
  // s' = s + a with a ~ N(mu_theta(s), sigma^2), mu_theta(s) = 5 tanh(w s + c): for each start,
  // E[-(s + mu + sigma eps)^2] = -(s + mu)^2 - sigma^2, so
  //   dJ/dw = mean_i -2 (s_i + mu_i) 5 (1 - tanh_i^2) s_i,   dJ/dc = the same without s_i.
  const LinearDynamics f(Eigen::MatrixXd::Identity(1, 1), Eigen::MatrixXd::Identity(1, 1), Vec::Zero(1));
  const NegSquaredNext r;
  SquashedPolicy policy(1, Vec::Constant(1, -5), Vec::Constant(1, 5), {});
  const double w = 0.3, c = 0.1, sigma = 0.5;
  policy.params()[policy.net().w_offset(0)] = w;
  policy.params()[policy.net().b_offset(0)] = c;
  std::vector<Vec> starts;
  for (double s : {-1.5, -0.4, 0.7, 2.0}) starts.push_back(Vec::Constant(1, s));
  Eigen::Vector2d analytic = Eigen::Vector2d::Zero();
  for (const Vec& s : starts) {
    const double th = std::tanh(w * s[0] + c), mu = 5 * th, dmu = 5 * (1 - th * th);
    analytic += -2 * (s[0] + mu) * dmu * Eigen::Vector2d(s[0], 1) / double(starts.size());
  }
  REQUIRE(policy.params().size() == 2);
  for (bool baseline : {false, true}) {
    CAPTURE(baseline);
    const int batches = 40000;
    Rng rng(7);
    Eigen::Vector2d sum = Eigen::Vector2d::Zero(), sum_sq = Eigen::Vector2d::Zero();
    LikelihoodRatioOptions o;
    o.horizon = 1;
    o.baseline = baseline;
    for (int k = 0; k < batches; ++k) {
      const ActionNoise noise = ActionNoise::draw(int(starts.size()), 1, 1, sigma, rng);
      const Eigen::VectorXd g = likelihood_ratio_gradient(f, r, policy, starts, noise, o).gradient;
      Eigen::Vector2d gw(g[policy.net().w_offset(0)], g[policy.net().b_offset(0)]);
      sum += gw;
      sum_sq += gw.cwiseProduct(gw);
    }
    const Eigen::Vector2d mean = sum / batches;
    const Eigen::Vector2d std_error =
        ((sum_sq / batches - mean.cwiseProduct(mean)) * batches / (batches - 1)).cwiseSqrt() / std::sqrt(double(batches));
    MESSAGE("baseline " << baseline << ": mean " << mean.transpose() << ", analytic " << analytic.transpose()
                        << ", standard error " << std_error.transpose());
    CAPTURE(mean.transpose());
    CAPTURE(analytic.transpose());
    CAPTURE(std_error.transpose());
    for (int d = 0; d < 2; ++d) {
      CHECK(std::abs(mean[d] - analytic[d]) < 3 * std_error[d]);
      CHECK(std_error[d] < 0.1 * std::abs(analytic[d]));  // precise enough to catch a wrong estimator
    }
  }
}

TEST_CASE("the likelihood-ratio gradient needs noise covering the rollout") {
  const LinearDynamics f(Eigen::MatrixXd::Identity(1, 1), Eigen::MatrixXd::Identity(1, 1), Vec::Zero(1));
  const NegSquaredNext r;
  SquashedPolicy policy(1, Vec::Constant(1, -1), Vec::Constant(1, 1), {});
  Rng rng(1);
  LikelihoodRatioOptions o;
  o.horizon = 3;
  const std::vector<Vec> starts = {Vec::Zero(1)};
  CHECK_THROWS_AS(likelihood_ratio_gradient(f, r, policy, starts, ActionNoise::draw(1, 2, 1, 0.1, rng), o),
                  std::invalid_argument);
  CHECK_THROWS_AS(likelihood_ratio_gradient(f, r, policy, starts, ActionNoise::draw(1, 3, 1, 0.0, rng), o),
                  std::invalid_argument);
  CHECK_NOTHROW(likelihood_ratio_gradient(f, r, policy, starts, ActionNoise::draw(1, 3, 1, 0.1, rng), o));
}

}  // namespace test_likelihood_ratio
