// The Bayes-by-Backprop network (core/models/bnn/): the mean-field optimum of Bayesian linear
// regression in closed form, the KL terms and the whole ELBO gradient against finite
// differences, BnnDynamics on two 1-D clusters beside an ensemble, and the LearnedModel
// contract (determinism, sessions, new draws, the allocation-free hot path, Jacobians).
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstdio>

#include "core/config.h"
#include "core/dataset.h"
#include "core/models/bnn/bnn_dynamics.h"
#include "core/models/bnn/mean_field_posterior.h"
#include "core/models/ensemble.h"
#include "core/rng.h"
#include "core/session.h"
#include "core/state_visitor.h"
#include "tests/allocation_counter.h"
#include "tests/gradient_check.h"
#include "tests/test_util.h"

namespace test_bnn {

using namespace dynalab;
using test::finite_difference;
using test::relative_error;

namespace {

using MatD = Eigen::MatrixXd;
using VecD = Eigen::VectorXd;
using QD = MeanFieldGaussianT<double>;

QD random_posterior(long n, Rng& rng) {
  QD q(VecD::Zero(n), -1.0);
  for (long i = 0; i < n; ++i) {
    q.mu[i] = rng.normal(0, 0.5);
    q.rho[i] = rng.uniform(-3, 0.5);
  }
  return q;
}

// f(x) = sin(x) + x / 2 observed in two clusters, x in [-4, -2] and [2, 4], as s' - s.
double cluster_f(double x) { return std::sin(x) + 0.5 * x; }

Dataset two_clusters(int n, uint64_t seed) {
  Dataset d(1, 1);
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    const double x = (i % 2 ? 1 : -1) * rng.uniform(2, 4);
    Transition t;
    t.obs = Vec::Constant(1, x);
    t.action = Vec::Zero(1);
    t.next_obs = Vec::Constant(1, x + cluster_f(x) + 0.05 * rng.normal());
    t.reward = 0;
    d.add(t);
  }
  return d;
}

ModelConfig bnn_config() {
  ModelConfig c;
  c.type = "bnn";
  c.hidden = {32, 32};
  c.learning_rate = 3e-3;
  c.batch_size = 64;
  c.epochs = 300;
  c.patience = 30;
  c.bnn.posterior_samples = 10;
  return c;
}

RowMatrixXf column(const std::vector<float>& xs) {
  RowMatrixXf m(xs.size(), 1);
  for (size_t i = 0; i < xs.size(); ++i) m(i, 0) = xs[i];
  return m;
}

/// Per x: the spread (standard deviation over members) of the members' mean predictions, and
/// the members' average mean.
void member_spread(const DynamicsModel& m, const std::vector<float>& xs, std::vector<double>& sd,
                   std::vector<double>& mean) {
  MemberPredictions p;
  m.predict(column(xs), RowMatrixXf::Zero(xs.size(), 1), p);
  sd.assign(xs.size(), 0);
  mean.assign(xs.size(), 0);
  const int K = m.members();
  for (size_t i = 0; i < xs.size(); ++i) {
    double s = 0, s2 = 0;
    for (int k = 0; k < K; ++k) {
      s += p.mean[k](i, 0);
      s2 += double(p.mean[k](i, 0)) * p.mean[k](i, 0);
    }
    mean[i] = s / K;
    sd[i] = std::sqrt(std::max(0.0, s2 / K - mean[i] * mean[i]));
  }
}

double average(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}

}  // namespace

TEST_CASE("Bayesian linear regression: the mean-field optimum has the posterior mean and variances 1/Lambda_ii") {
  // Bishop, PRML 2006, sec. 10.1.2: for a Gaussian posterior N(m, Lambda^-1) the factorised
  // optimum keeps m and takes the variances 1/Lambda_ii, below the marginals (Lambda^-1)_ii.
  const int p = 2, n = 40;
  const double sn = 0.5, sp = 1.0;
  Rng rng(7);
  MatD X(n, p), Xa(n, p + 1);
  VecD y(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < p; ++j) X(i, j) = rng.normal();
    // Correlated features, so that 1/Lambda_ii and (Lambda^-1)_ii differ clearly.
    X(i, 1) = 0.8 * X(i, 0) + 0.6 * X(i, 1);
    y[i] = 1.5 * X(i, 0) - 0.7 * X(i, 1) + 0.3 + sn * rng.normal();
  }
  Xa << X, VecD::Ones(n);  // the bias as a feature: MlpT's params are [W (p x 1), b]
  const MatD Lambda = Xa.transpose() * Xa / (sn * sn) + MatD::Identity(p + 1, p + 1) / (sp * sp);
  const MatD Sigma = Lambda.inverse();
  const VecD m = Sigma * Xa.transpose() * y / (sn * sn);
  for (int i = 0; i <= p; ++i) CHECK(1 / Lambda(i, i) < Sigma(i, i));
  for (int i = 0; i < p; ++i) CHECK(1 / Lambda(i, i) < 0.5 * Sigma(i, i));  // the correlated pair

  MlpShape shape;
  shape.in = p;
  shape.out = 1;
  shape.hidden = {};
  MlpT<double> net(shape);
  QD q(VecD::Zero(p + 1), -3.0);
  BnnPrior prior;
  prior.sigma = sp;
  BnnLikelihood<double> lik;
  lik.noise_std = sn;
  AdamT<double> am, ar;
  MlpT<double>::Cache cache;
  VecD eps, gm, gr, gm_sum, gr_sum, mu_avg = VecD::Zero(p + 1), rho_avg = VecD::Zero(p + 1);
  // Full batch (M = 1: the loss is -ELBO / N), S weight samples per step, Adam with a step
  // decaying as 1/sqrt, then the iterates averaged over the last half (Polyak).
  const int steps = 4000, S = 8;
  int averaged = 0;
  for (int t = 0; t < steps; ++t) {
    gm_sum = VecD::Zero(p + 1);
    gr_sum = VecD::Zero(p + 1);
    for (int s = 0; s < S; ++s) {
      q.draw_eps(rng, eps);
      bbb_gradient<double>(q, prior, 1.0 / n, lik, X, y, eps, net, cache, gm, gr, nullptr);
      gm_sum += gm / S;
      gr_sum += gr / S;
    }
    const double lr = 0.05 / std::sqrt(1.0 + t / 50.0);
    am.step(q.mu, gm_sum, lr, 0, nullptr);
    ar.step(q.rho, gr_sum, lr, 0, nullptr);
    if (t >= steps / 2) {
      mu_avg += q.mu;
      rho_avg += q.rho;
      ++averaged;
    }
  }
  mu_avg /= averaged;
  rho_avg /= averaged;
  QD avg(mu_avg, 0);
  avg.rho = rho_avg;
  const VecD var = avg.sigma().array().square();
  for (int i = 0; i <= p; ++i) {
    INFO("parameter " << i << ": mean " << mu_avg[i] << " vs " << m[i] << ", variance " << var[i]
                      << " vs 1/Lambda_ii " << 1 / Lambda(i, i) << " (marginal " << Sigma(i, i) << ")");
    CHECK(std::abs(mu_avg[i] - m[i]) < 0.02 * std::abs(m[i]));
    CHECK(std::abs(var[i] * Lambda(i, i) - 1) < 0.05);
  }
}

TEST_CASE("the KL terms and their gradients match finite differences") {
  Rng rng(3);
  QD q = random_posterior(9, rng);
  VecD eps;
  q.draw_eps(rng, eps);
  SUBCASE("gaussian prior, closed form") {
    const double sp = 0.7;
    VecD gm = VecD::Zero(9), gr = VecD::Zero(9);
    q.kl_closed_form(sp, 1.0, &gm, &gr);
    CHECK(relative_error(gm, finite_difference(q.mu, [&] { return q.kl_closed_form(sp, 1.0, nullptr, nullptr); })) < 1e-7);
    CHECK(relative_error(gr, finite_difference(q.rho, [&] { return q.kl_closed_form(sp, 1.0, nullptr, nullptr); })) < 1e-7);
    // The closed form is the expectation of the Monte Carlo estimate log q(w) - log p(w).
    BnnPrior g;
    g.sigma = sp;
    double mc = 0;
    const int draws = 20000;
    for (int i = 0; i < draws; ++i) {
      q.draw_eps(rng, eps);
      mc += q.kl_monte_carlo(g, eps, 1.0, nullptr, nullptr) / draws;
    }
    const double exact = q.kl_closed_form(sp, 1.0, nullptr, nullptr);
    INFO("closed form " << exact << ", Monte Carlo mean " << mc);
    CHECK(std::abs(mc - exact) < 0.02 * std::abs(exact) + 0.02);
  }
  SUBCASE("scale mixture, Monte Carlo at fixed eps") {
    for (auto [pi, s1, s2] : {std::tuple{0.4, 1.5, 0.3}, std::tuple{0.5, 1.0, std::exp(-6.0)}}) {
      BnnPrior mix;
      mix.kind = BnnPrior::Kind::scale_mixture;
      mix.pi = pi;
      mix.sigma1 = s1;
      mix.sigma2 = s2;
      VecD gm = VecD::Zero(9), gr = VecD::Zero(9);
      q.kl_monte_carlo(mix, eps, 1.0, &gm, &gr);
      auto f = [&] { return q.kl_monte_carlo(mix, eps, 1.0, nullptr, nullptr); };
      // The narrow component makes the density steep: a smaller step for its case.
      const double h = s2 < 0.01 ? 1e-8 : 1e-6;
      CHECK(relative_error(gm, finite_difference(q.mu, f, h)) < 1e-5);
      CHECK(relative_error(gr, finite_difference(q.rho, f, h)) < 1e-5);
    }
  }
}

TEST_CASE("the whole ELBO gradient in mu and rho matches finite differences at fixed eps") {
  // A network 3 -> 5 tanh -> 2 targets; both heads, both priors, Blundell's first-minibatch
  // KL share.
  for (bool learned_head : {true, false})
    for (auto kind : {BnnPrior::Kind::gaussian, BnnPrior::Kind::scale_mixture}) {
      CAPTURE(learned_head);
      CAPTURE(int(kind));
      const int D = 2, n = 6;
      MlpShape shape;
      shape.in = 3;
      shape.hidden = {5};
      shape.out = learned_head ? 2 * D : D;
      shape.activation = Activation::tanh;
      MlpT<double> net(shape);
      Rng rng(11);
      QD q = random_posterior(shape.param_count(), rng);
      const MatD X = test::normal_matrix(n, 3, rng), Y = test::normal_matrix(n, D, rng);
      VecD eps;
      q.draw_eps(rng, eps);
      BnnPrior prior;
      prior.kind = kind;
      prior.sigma = 0.8;
      prior.pi = 0.3;
      prior.sigma1 = 1.2;
      prior.sigma2 = 0.2;
      const LogVarBounds<double> bounds{VecD::Constant(D, 0.3), VecD::Constant(D, -3.0)};
      BnnLikelihood<double> lik;
      lik.noise_std = learned_head ? 0.0 : 0.4;
      lik.bounds = learned_head ? &bounds : nullptr;
      const double kl_scale = 4 * 0.5 / 100.0;  // M = 4, pi_1 = 8/15 ~ 0.5, N = 100
      MlpT<double>::Cache cache;
      VecD gm, gr, gm2, gr2;
      LogVarBounds<double> gb;
      const BbbTerms t = bbb_gradient<double>(q, prior, kl_scale, lik, X, Y, eps, net, cache, gm,
                                              gr, learned_head ? &gb : nullptr);
      CHECK(t.loss == doctest::Approx(t.nll + kl_scale * t.kl));
      auto f = [&] {
        return bbb_gradient<double>(q, prior, kl_scale, lik, X, Y, eps, net, cache, gm2, gr2, nullptr)
            .loss;
      };
      CHECK(relative_error(gm, finite_difference(q.mu, f)) < 1e-6);
      CHECK(relative_error(gr, finite_difference(q.rho, f)) < 1e-6);
      // The chain rule spelled out: g_rho = g_w * eps * sigmoid(rho) + dKL/drho.
      VecD gw = VecD::Zero(q.size()), gm3 = VecD::Zero(q.size()), gr3 = VecD::Zero(q.size());
      q.sample(eps, net.params());
      net.forward(X, cache);
      MatD dout;
      bnn_nll<double>(lik, cache.out, Y, &dout, nullptr, nullptr);
      net.backward(X, dout, cache, gw, nullptr);
      q.add_weight_gradient(gw, eps, gm3, gr3);
      q.kl(prior, eps, kl_scale, &gm3, &gr3);
      CHECK(relative_error(gm3, gm) < 1e-12);
      CHECK(relative_error(gr3, gr) < 1e-12);
    }
}

TEST_CASE("BnnDynamics fits two clusters; its spread grows far outside the data (vs an ensemble)" *
          doctest::skip(test::kSanitized)) {
  // Measured over seeds 1-10 of data and model (this case is seed 1): max error 0.05-0.13;
  // spread at x = +-40 / in data 3.9-8.6, at x = +-14 1.4-3.0 (not the 10x hoped for: the mean-
  // field posterior's first-layer sigmas stay small; tests report the numbers).
  const Dataset data = two_clusters(600, 1);
  ModelConfig bc = bnn_config();
  bc.bnn.posterior_samples = 20;
  BnnDynamics bnn(bc, 1, 1, 5);
  Rng rng(2);
  const EpochStats s = bnn.fit(data, rng);
  REQUIRE_FALSE(s.diverged);
  const std::vector<float> in_data = {-3.8f, -3.4f, -3.0f, -2.6f, -2.2f, 2.2f, 2.6f, 3.0f, 3.4f, 3.8f};
  const std::vector<float> between = {-1.0f, 0.0f, 1.0f}, far = {-14.0f, 14.0f, -40.0f, 40.0f};
  std::vector<double> sd_in, mean_in, sd_between, mean_between, sd_far, mean_far;
  member_spread(bnn, in_data, sd_in, mean_in);
  member_spread(bnn, between, sd_between, mean_between);
  member_spread(bnn, far, sd_far, mean_far);
  double err = 0;
  for (size_t i = 0; i < in_data.size(); ++i)
    err = std::max(err, std::abs(mean_in[i] - cluster_f(in_data[i])));
  INFO("BNN: " << s.epoch << " epochs, max error in the clusters " << err);
  CHECK(err < 0.2);

  ModelConfig ec = bnn_config();
  ec.type = "ensemble";
  ec.ensemble_size = ec.elite_members = 5;
  Ensemble ens(ec, 1, 1, 5);
  Rng rng2(2);
  ens.fit(data, rng2);
  std::vector<double> e_in, e_mean_in, e_between, e_mean_between, e_far, e_mean_far;
  member_spread(ens, in_data, e_in, e_mean_in);
  member_spread(ens, between, e_between, e_mean_between);
  member_spread(ens, far, e_far, e_mean_far);
  std::printf(
      "two clusters, epistemic spread (sd of the members' means) in data / between (x = -1, 0, 1) "
      "/ far (x = -14, 14, -40, 40):\n");
  auto row = [&](const char* name, const std::vector<double>& in, const std::vector<double>& bt,
                 const std::vector<double>& fr) {
    std::printf("  %-16s %.4f / %.4f %.4f %.4f / %.3f %.3f %.3f %.3f   between/in %.2f, far(40)/in %.1f\n",
                name, average(in), bt[0], bt[1], bt[2], fr[0], fr[1], fr[2], fr[3],
                bt[1] / average(in), std::min(fr[2], fr[3]) / average(in));
  };
  row("BNN (20 draws)", sd_in, sd_between, sd_far);
  row("ensemble (5)", e_in, e_between, e_far);
  // What holds on every seed measured: the spread grows away from the data, by 3x at +-40.
  CHECK(std::min(sd_far[0], sd_far[1]) > average(sd_in));
  CHECK(std::min(sd_far[2], sd_far[3]) >= 3 * average(sd_in));
}

TEST_CASE("BnnDynamics: same seed, same predictions; draw_posterior_samples changes the members") {
  const Dataset data = two_clusters(80, 3);
  ModelConfig c = bnn_config();
  c.epochs = 4;
  c.bnn.posterior_samples = 3;
  const std::vector<float> xs = {-3, 0, 3};
  auto run = [&](const std::string& prior) {
    c.bnn.prior = prior;
    BnnDynamics m(c, 1, 1, 9);
    Rng rng(4);
    m.fit(data, rng);
    MemberPredictions p;
    m.predict(column(xs), RowMatrixXf::Zero(3, 1), p);
    return std::pair{p, m.posterior_seed()};
  };
  for (const std::string prior : {"gaussian", "scale_mixture"}) {
    const auto [a, seed_a] = run(prior);
    const auto [b, seed_b] = run(prior);
    CHECK(seed_a == seed_b);
    for (int k = 0; k < 3; ++k) {
      CHECK(a.mean[k] == b.mean[k]);
      CHECK(a.var[k] == b.var[k]);
    }
    CHECK(a.mean[0] != a.mean[1]);  // the draws differ from each other
  }
  // Blundell's KL weighting trains to other numbers from the same seed.
  c.bnn.kl_weighting = "blundell";
  const auto [bl, seed_bl] = run("gaussian");
  c.bnn.kl_weighting = "uniform";
  const auto [un, seed_un] = run("gaussian");
  CHECK(bl.mean[0].allFinite());
  CHECK(bl.mean[0] != un.mean[0]);
  BnnDynamics m(c, 1, 1, 9);
  Rng rng(4);
  m.fit(data, rng);
  CHECK(m.fits() == 1);
  MemberPredictions before, after, again;
  m.predict(column(xs), RowMatrixXf::Zero(3, 1), before);
  const uint64_t old_seed = m.posterior_seed();
  m.draw_posterior_samples(old_seed + 1);
  m.predict(column(xs), RowMatrixXf::Zero(3, 1), after);
  for (int k = 0; k < 3; ++k) CHECK(after.mean[k] != before.mean[k]);
  m.draw_posterior_samples(old_seed);
  m.predict(column(xs), RowMatrixXf::Zero(3, 1), again);
  for (int k = 0; k < 3; ++k) CHECK(again.mean[k] == before.mean[k]);
}

TEST_CASE("BnnDynamics: a session saved mid-fit continues bit-identically") {
  const Dataset data = two_clusters(80, 5);
  ModelConfig c = bnn_config();
  c.epochs = 8;
  c.bnn.posterior_samples = 2;
  c.bnn.prior = "scale_mixture";
  BnnDynamics a(c, 1, 1, 1);
  Rng rng(6);
  a.begin_training(data, rng);
  for (int e = 0; e < 3; ++e) a.train_epoch(rng);
  REQUIRE_FALSE(a.training_done());
  const auto dir = test::temp_dir("bnn_session");
  const Json state = save_state_json(dir, [&](StateVisitor& v) { a.visit_state(v, data); });
  BnnDynamics b(c, 1, 1, 99);  // another seed: everything must come from the session
  load_state_json(dir, SessionReader(state, "session.json", "state"),
                  [&](StateVisitor& v) { b.visit_state(v, data); });
  CHECK(b.state_bytes() == a.state_bytes());
  Rng rng_b = rng;
  a.fit(data, rng);  // begin_training again: a new split from the same stream for both
  b.fit(data, rng_b);
  CHECK(a.state_bytes() == b.state_bytes());
  Rng r1(1), r2(1);
  a.begin_training(data, r1);
  b.begin_training(data, r2);
  a.train_epoch(r1);
  b.train_epoch(r2);
  const std::string mid = a.state_bytes();
  BnnDynamics c2(c, 1, 1, 3);
  c2.load_state_bytes(mid, "bnn.bin", data);
  while (!a.training_done()) a.train_epoch(r1);
  while (!c2.training_done()) c2.train_epoch(r2);
  CHECK(a.state_bytes() == c2.state_bytes());
  MemberPredictions pa, pc;
  a.predict(column({-3, 3}), RowMatrixXf::Zero(2, 1), pa);
  c2.predict(column({-3, 3}), RowMatrixXf::Zero(2, 1), pc);
  CHECK(pa.mean[1] == pc.mean[1]);
  // A truncated or foreign file is a one-line error naming it.
  CHECK(test::error_of([&] { c2.load_state_bytes(mid.substr(0, 40), "bnn.bin", data); })
            .find("bnn.bin: truncated") == 0);
  CHECK(test::error_of([&] { c2.load_state_bytes("garbage!", "bnn.bin", data); }).find("bnn.bin: expected") == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("BnnDynamics: predict_member matches predict, allocates nothing once grown; Jacobians") {
  const Dataset data = two_clusters(60, 8);
  for (double noise : {0.0, 0.3}) {
    CAPTURE(noise);
    ModelConfig c = bnn_config();
    c.epochs = 3;
    c.bnn.posterior_samples = 3;
    c.bnn.noise_std = noise;
    const auto model = make_learned_model(c, 1, 1, 2);
    REQUIRE(dynamic_cast<BnnDynamics*>(model.get()) != nullptr);
    CHECK(model->members() == 3);
    CHECK(model->rollout_members() == std::vector<int>{0, 1, 2});
    CHECK(model->describe_shape().find("Bayes by Backprop, 3 posterior draws") == 0);
    Rng rng(1);
    model->begin_training(data, rng);
    while (!model->training_done()) model->train_epoch(rng);
    const float y_sd = static_cast<const BnnDynamics&>(*model).target_normalizer().std[0];
    CHECK(y_sd > 1.0f);  // fit on the data (identity before)
    const RowMatrixXf obs = column({-3, -1, 0.5f, 2, 3.5f}), act = RowMatrixXf::Zero(5, 1);
    MemberPredictions p;
    model->predict(obs, act, p);
    auto ws = model->make_workspace();
    const int rows[] = {4, 0, 2};
    for (int k = 0; k < 3; ++k) {
      const auto out = model->predict_member(k, obs, act, rows, 3, true, *ws);
      if (noise > 0)  // known noise: its variance in real units, the same for every row
        CHECK(p.var[k](0, 0) == doctest::Approx(noise * noise * y_sd * y_sd));
      for (int i = 0; i < 3; ++i) {
        CHECK(out(i, 0) == doctest::Approx(p.mean[k](rows[i], 0)).epsilon(1e-5));
        CHECK(out(i, 1) == doctest::Approx(std::sqrt(p.var[k](rows[i], 0))).epsilon(1e-4));
      }
    }
    const long before = g_allocations.load();
    for (int k = 0; k < 3; ++k) model->predict_member(k, obs, act, rows, 3, true, *ws);
    if (kCountsAllocations) CHECK(g_allocations.load() - before == 0);
    // d mean / d s by central differences of predict_member.
    Eigen::MatrixXf J;
    REQUIRE(model->input_jacobian(1, Eigen::VectorXf::Constant(1, 2.5f), Eigen::VectorXf::Zero(1), J));
    const float h = 1e-2f;
    const RowMatrixXf up = column({2.5f + h}), down = column({2.5f - h}), a0 = RowMatrixXf::Zero(1, 1);
    const float fu = model->predict_member(1, up, a0, nullptr, 1, false, *ws)(0, 0);
    const float fd = model->predict_member(1, down, a0, nullptr, 1, false, *ws)(0, 0);
    CHECK(J(0, 0) == doctest::Approx((fu - fd) / (2 * h)).epsilon(2e-2));
    std::vector<Eigen::MatrixXf> Js;
    REQUIRE(model->input_jacobians(1, column({2.5f, -3}), RowMatrixXf::Zero(2, 1), Js));
    CHECK(Js[0](0, 0) == doctest::Approx(J(0, 0)).epsilon(1e-5));
  }
}

TEST_CASE("model.bnn config: ranges and cross-field checks name the key") {
  auto read = [](const std::string& text) {
    ModelConfig c;
    ConfigNode node(Json::parse(text), "cfg.json");
    c.visit(node);
    node.finish();
    return c;
  };
  const ModelConfig ok = read(R"({"type": "bnn", "bnn": {"prior": "scale_mixture", "posterior_samples": 7}})");
  CHECK(ok.bnn.prior == "scale_mixture");
  CHECK(ok.bnn.posterior_samples == 7);
  CHECK(test::error_of([&] { read(R"({"type": "bnn", "bnn": {"mixture_sigma2": 2}})"); })
            .find("mixture_sigma2") != std::string::npos);
  CHECK(test::error_of([&] { read(R"({"type": "bnn", "bnn": {"posterior_samples": 0}})"); })
            .find("posterior_samples") != std::string::npos);
  CHECK(test::error_of([&] { read(R"({"type": "bnn", "bnn": {"prior": "laplace"}})"); })
            .find("prior") != std::string::npos);
  CHECK(test::error_of([&] { read(R"({"type": "bnn", "prediction": "deterministic"})"); })
            .find("prediction") != std::string::npos);
  // Configs built in code get the same checks from the constructor.
  ModelConfig c = bnn_config();
  c.bnn.mixture_sigma2 = 3;
  CHECK(test::error_of([&] { BnnDynamics(c, 1, 1, 0); }).find("model.bnn.mixture_sigma2: expected") == 0);
  c = bnn_config();
  c.bnn.prior = "laplace";
  CHECK(test::error_of([&] { make_learned_model(c, 1, 1, 0); }).find("model.bnn.prior: expected") == 0);
}

}  // namespace test_bnn
