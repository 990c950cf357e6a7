// Ensemble as a DynamicsModel: the rollout hot path (predict_member) and the input Jacobian
// agree with the plain per-member predict().

#include <doctest/doctest.h>

#include <cmath>

#include "core/models/ensemble.h"
#include "core/rng.h"

namespace test_dynamics_model {

using namespace dynalab;

namespace {

// Random weights and non-trivial normalisers, so that the unit conversions are exercised (the
// normalisers are set by hand: fitting them would need a training run).
Ensemble model(const std::string& kind, bool learn_reward) {
  ModelConfig c;
  c.prediction = kind;
  c.hidden = {24, 24};
  c.ensemble_size = c.elite_members = 3;
  c.learn_reward = learn_reward;
  Ensemble e(c, 3, 2, 11);
  auto& in = const_cast<Normalizer&>(e.input_normalizer());
  auto& out = const_cast<Normalizer&>(e.target_normalizer());
  in.mean = Eigen::RowVectorXf::LinSpaced(5, -0.5f, 0.5f);
  in.std = Eigen::RowVectorXf::LinSpaced(5, 0.5f, 2.0f);
  out.mean = Eigen::RowVectorXf::LinSpaced(e.target_dim(), 0.1f, 0.3f);
  out.std = Eigen::RowVectorXf::LinSpaced(e.target_dim(), 0.2f, 1.5f);
  return e;
}

RowMatrixXf random_rows(long n, int d, uint64_t seed) {
  Rng rng(seed);
  RowMatrixXf m(n, d);
  for (long i = 0; i < m.size(); ++i) m.data()[i] = float(rng.uniform(-1, 1));
  return m;
}

}  // namespace

TEST_CASE("Ensemble::predict_member on gathered rows equals predict()") {
  for (const std::string kind : {"deterministic", "probabilistic"}) {
    CAPTURE(kind);
    const Ensemble e = model(kind, true);
    const DynamicsModel& m = e;
    CHECK(m.members() == 3);
    CHECK(m.target_dim() == 4);
    const RowMatrixXf obs = random_rows(7, 3, 1), act = random_rows(7, 2, 2);
    MemberPredictions all;
    m.predict(obs, act, all);
    auto ws = m.make_workspace();
    const int rows[] = {6, 0, 3};
    for (int member = 0; member < 3; ++member) {
      const auto out = m.predict_member(member, obs, act, rows, 3, true, *ws);
      for (int j = 0; j < 3; ++j)
        for (int d = 0; d < m.target_dim(); ++d) {
          CHECK(out(j, d) == doctest::Approx(all.mean[member](rows[j], d)).epsilon(1e-5));
          if (m.probabilistic())
            CHECK(out(j, m.target_dim() + d) * out(j, m.target_dim() + d) ==
                  doctest::Approx(all.var[member](rows[j], d)).epsilon(1e-4));
        }
    }
  }
}

TEST_CASE("Ensemble::input_jacobian matches central differences of the mean") {
  const Ensemble e = model("probabilistic", true);
  const RowMatrixXf obs = random_rows(1, 3, 4), act = random_rows(1, 2, 5);
  Eigen::MatrixXf J;
  REQUIRE(e.input_jacobian(1, obs.row(0).transpose(), act.row(0).transpose(), J));
  REQUIRE(J.rows() == e.target_dim());
  REQUIRE(J.cols() == 5);
  const float h = 1e-2f;
  MemberPredictions plus, minus;
  for (int k = 0; k < 5; ++k) {
    RowMatrixXf o1 = obs, o2 = obs, a1 = act, a2 = act;
    if (k < 3) {
      o1(0, k) += h;
      o2(0, k) -= h;
    } else {
      a1(0, k - 3) += h;
      a2(0, k - 3) -= h;
    }
    e.predict(o1, a1, plus);
    e.predict(o2, a2, minus);
    for (int j = 0; j < e.target_dim(); ++j) {
      const float fd = (plus.mean[1](0, j) - minus.mean[1](0, j)) / (2 * h);
      CHECK(J(j, k) == doctest::Approx(fd).epsilon(2e-2).scale(1.0));
    }
  }
}

}  // namespace test_dynamics_model
