// The latent model from pixels (core/agents/latent/latent_model.h): its loss gradient against
// central finite differences, for both objectives and K = 1 and 3, in double, with and without
// the keypoint front end (keypoints.h), which reads a position the same way at every pixel.
#include <doctest/doctest.h>

#include <limits>

#include "core/agents/latent/latent_model.h"
#include "core/raster_canvas.h"
#include "envs/point_obstacles.h"
#include "gradient_check.h"

namespace test_latent_model {

using namespace dynalab;
using namespace dynalab::test;
using Model = LatentModelT<double>;

namespace {

LatentModelConfig small(const std::string& objective, int K) {
  LatentModelConfig c;
  c.latent_dim = 3;
  c.encoder_hidden = {7};
  c.decoder_hidden = {6};
  c.dynamics_hidden = {5};
  c.reward_hidden = {4};
  c.activation = "tanh";
  c.objective = objective;
  c.train_horizon = K;
  c.consistency_weight = 0.7;
  c.reward_weight = 1.3;
  c.latent_weight = 0.4;
  return c;
}

Model::Batch batch(int K, int n, int obs_dim, int action_dim, Rng& rng) {
  Model::Batch b;
  for (int k = 0; k <= K; ++k) b.obs.push_back(normal_matrix(n, obs_dim, rng, 0.5));
  for (int k = 0; k < K; ++k) {
    b.actions.push_back(normal_matrix(n, action_dim, rng, 0.5));
    b.rewards.push_back(normal_matrix(n, 1, rng));
  }
  return b;
}

/// Relative error of the analytic gradient of network `net`'s parameters.
double check(Model& m, const Model::Batch& b, Model::Net& net, const VecD Model::Gradients::*which) {
  Model::Gradients g;
  const std::vector<Mat> targets = m.targets(b);  // held still: the gradient stops there
  m.loss(b, &g, &targets);
  VecD& p = net.params();
  const VecD numeric = finite_difference(p, [&] { return m.loss(b, nullptr, &targets).total; });
  return relative_error(g.*which, numeric);
}

}  // namespace

TEST_CASE("latent model: the loss gradient of every network matches finite differences") {
  for (const char* objective : {"full", "reconstruction"})
    for (int K : {1, 3}) {
      CAPTURE(objective);
      CAPTURE(K);
      Rng rng(7);
      Model m(small(objective, K), 10, 4, 2, rng);
      // The keypoint front end: 2 stacked 3 x 3 frames read as 2 x 2 keypoints of (u, v).
      LatentModelConfig keyed_config = small(objective, K);
      keyed_config.keypoints = 2;
      Model keyed(keyed_config, 18, 9, 2, rng);
      keyed.set_background(KeypointsT<double>::Row::Constant(9, 0.5));
      const Model::Batch kb = batch(K, 5, 18, 2, rng);
      // Non-zero biases, so their gradients are exercised too.
      for (auto* net : {&m.encoder(), &m.decoder(), &m.dynamics(), &m.reward_head()})
        for (int l = 0; l < net->shape().layers(); ++l)
          for (int j = 0; j < net->shape().fan_out(l); ++j) net->params()[net->b_offset(l) + j] = rng.normal(0, 0.1);
      const Model::Batch b = batch(K, 5, 10, 2, rng);
      // The reconstruction objective stops the dynamics chain's gradient at z_0 = sg(g(o_0)),
      // which a finite difference of the loss cannot: its encoder is checked on the
      // reconstruction term alone (the next test shows the other terms do not reach it).
      Model encoder_check = m;
      if (std::string(objective) == "reconstruction") encoder_check.set_weights(0, 0, 0.4, 1e-3);
      CHECK(check(encoder_check, b, encoder_check.encoder(), &Model::Gradients::encoder) < 1e-6);
      CHECK(check(m, b, m.decoder(), &Model::Gradients::decoder) < 1e-6);
      CHECK(check(m, b, m.dynamics(), &Model::Gradients::dynamics) < 1e-6);
      CHECK(check(m, b, m.reward_head(), &Model::Gradients::reward) < 1e-6);
      if (std::string(objective) == "full") {
        CHECK(check(keyed, kb, keyed.encoder(), &Model::Gradients::encoder) < 1e-6);
        CHECK(check(keyed, kb, keyed.dynamics(), &Model::Gradients::dynamics) < 1e-6);
      }
    }
}

TEST_CASE("keypoints: the sharpest channel reads a dark square's centre and its motion in pixels, the same way at every pixel") {
  const int size = 16;
  KeypointsT<double> kp(size, 2, 4);
  CHECK(kp.feature_dim() == 2 * 4 * 2);
  kp.set_background(KeypointsT<double>::Row::Ones(size * size));  // white
  const auto frame_with_square = [&](int row, int col) {  // a black 2 x 2 square at (row, col)
    Eigen::RowVectorXd f = Eigen::RowVectorXd::Ones(size * size);
    for (int r = row; r < row + 2; ++r)
      for (int c = col; c < col + 2; ++c) f[r * size + c] = 0;
    return f;
  };
  Eigen::MatrixXd O(2, 2 * size * size);
  O.row(0) << frame_with_square(3, 4), frame_with_square(3, 9);   // moved 5 columns right
  O.row(1) << frame_with_square(10, 4), frame_with_square(12, 4); // moved 2 rows down
  const Eigen::MatrixXd F = kp.features(O);
  const auto u = [&](int i, int frame) { return F(i, (frame * 4 + 3) * 2); };  // channel 3: gain 108
  const auto v = [&](int i, int frame) { return F(i, (frame * 4 + 3) * 2 + 1); };
  // The newest frame (1): the square's centre, column 10 and row 4 (v upward).
  CHECK(u(0, 1) == doctest::Approx(2.0 * 10 / size - 1).epsilon(1e-9));
  CHECK(v(0, 1) == doctest::Approx(1 - 2.0 * 4 / size).epsilon(1e-9));
  // The older frame (0): the displacement to the newest, in pixels, the same at any place.
  CHECK(u(0, 0) == doctest::Approx(5).epsilon(1e-9));
  CHECK(std::abs(v(0, 0)) < 1e-9);
  CHECK(v(1, 0) == doctest::Approx(-2).epsilon(1e-9));
  CHECK(std::abs(u(1, 0)) < 1e-9);
  // The broadest channel (gain 4) averages the dark mass with the rest: pulled to the centre.
  CHECK(std::abs(F(0, 8)) < std::abs(u(0, 1)));
  CHECK_THROWS_AS(kp.set_background(KeypointsT<double>::Row::Ones(3)), std::invalid_argument);
  CHECK_THROWS_AS(kp.features(Eigen::MatrixXd::Ones(1, 5)), std::invalid_argument);
}

TEST_CASE("keypoints: on point_obstacles' 32 x 32 camera the disc's keypoint is its position") {
  // The background is the arena with the disc elsewhere; the frame's darker-than-background
  // mass is the disc (the obstacles are in both). u, v in [-1, 1] span the square view.
  PointObstacles env;
  env.reset(0);
  const Bounds view = square_view(env.world_bounds());
  const auto frame = [&](Vec2 p) {
    env.place_disc(p, {0, 0});
    const std::vector<float> f = render_frame(env, 32, view);
    return Eigen::RowVectorXd(Eigen::Map<const Eigen::RowVectorXf>(f.data(), Eigen::Index(f.size())).cast<double>());
  };
  KeypointsT<double> kp(32, 1, 4);
  kp.set_background(frame({8.5, 1.5}));
  for (Vec2 p : {Vec2{2.0, 7.0}, Vec2{6.0, 2.0}, Vec2{9.0, 9.0}}) {
    CAPTURE(p.x);
    CAPTURE(p.y);
    const Eigen::MatrixXd F = kp.features(frame(p));
    const double x = (view.lo.x + view.hi.x) / 2 + F(0, 6) * (view.hi.x - view.lo.x) / 2;
    const double y = (view.lo.y + view.hi.y) / 2 + F(0, 7) * (view.hi.y - view.lo.y) / 2;
    CHECK(std::abs(x - p.x) < 0.2);  // a pixel is 0.33 m
    CHECK(std::abs(y - p.y) < 0.2);
  }
}

TEST_CASE("latent model: the reconstruction objective leaves the encoder to the reconstruction") {
  // With every weight but reconstruction's at zero the two objectives agree on the encoder's
  // gradient; with consistency and reward on, only the full objective's encoder gradient moves.
  Rng rng(3);
  LatentModelConfig c = small("full", 2);
  Model full(c, 10, 4, 2, rng);
  c.objective = "reconstruction";
  Model recon = full;
  recon.set_weights(0.7, 1.3, 0.4, 1e-3);
  const Model::Batch b = batch(2, 6, 10, 2, rng);
  Model::Gradients gf, gr;
  full.loss(b, &gf);
  Model recon_only(c, 10, 4, 2, rng);
  recon_only.encoder() = full.encoder(), recon_only.decoder() = full.decoder();
  recon_only.dynamics() = full.dynamics(), recon_only.reward_head() = full.reward_head();
  recon_only.loss(b, &gr);
  Model::Gradients g0;
  recon_only.set_weights(0, 0, 0.4, 1e-3);
  recon_only.loss(b, &g0);
  CHECK(relative_error(gr.encoder, g0.encoder) < 1e-12);  // consistency and reward do not reach it
  CHECK(relative_error(gf.encoder, gr.encoder) > 1e-3);   // in the full objective they do
}

TEST_CASE("latent model: Adam steps fit a linear system seen through a random linear camera") {
  // s' = s + 0.2 a in 2-D, r = s_0 - 0.5 s_1, o = tanh(M s) with a fixed random M (10 x 2): a world
  // the model can learn, so the loss must fall far.
  Rng rng(11);
  LatentModelConfig c = small("full", 2);
  c.learning_rate = 3e-3;
  c.latent_dim = 2;
  Model m(c, 10, 4, 2, rng);
  const Mat M = normal_matrix(2, 10, rng);
  const int n = 32;
  auto make = [&](Rng& r) {
    Model::Batch b;
    Mat s = normal_matrix(n, 2, r);
    for (int k = 0; k <= 2; ++k) {
      b.obs.push_back((s * M).array().tanh().matrix());
      if (k == 2) break;
      const Mat a = normal_matrix(n, 2, r, 0.5);
      b.actions.push_back(a);
      b.rewards.push_back(s.col(0) - 0.5 * s.col(1));
      s += 0.2 * a;
    }
    return b;
  };
  Rng held_out(5);
  const Model::Batch test = make(held_out);
  const double before = m.loss(test, nullptr).total;
  for (int i = 0; i < 1500; ++i) m.train_step(make(rng));
  const Model::Losses after = m.loss(test, nullptr);
  CHECK(after.total < 0.1 * before);
  CHECK(after.reward < 0.05);
}

TEST_CASE("latent model: a batch with a non-finite loss takes no step and says it diverged") {
  Rng rng(3);
  Model m(small("full", 2), 10, 4, 2, rng);
  Model::Batch b = batch(2, 5, 10, 2, rng);
  const Model before = m;
  b.rewards[1](0, 0) = std::numeric_limits<double>::infinity();
  CHECK(m.train_step(b).diverged);
  CHECK(m.encoder().params() == before.encoder().params());  // the last good weights
  CHECK(m.reward_head().params() == before.reward_head().params());
  b.rewards[1](0, 0) = 0.5;
  CHECK(!m.train_step(b).diverged);
  CHECK(m.encoder().params() != before.encoder().params());
}

}  // namespace test_latent_model
