#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/config.h"
#include "core/dataset.h"
#include "core/models/ensemble.h"
#include "core/rng.h"
#include "tests/toy_data.h"
#include "tests/test_util.h"

namespace test_ensemble {

using namespace dynalab;

namespace {


ModelConfig small_config(const std::string& kind, int E) {
  ModelConfig c;
  c.prediction = kind;
  c.hidden = {32, 32};
  c.ensemble_size = c.elite_members = E;
  c.learning_rate = 3e-3;
  c.batch_size = 64;
  c.epochs = 150;
  c.patience = 20;
  return c;
}

EnsemblePrediction predict_at(const Ensemble& m, std::vector<float> xs) {
  RowMatrixXf obs(xs.size(), 1), act = RowMatrixXf::Zero(xs.size(), 1);
  for (size_t i = 0; i < xs.size(); ++i) obs(i, 0) = xs[i];
  EnsemblePrediction p;
  m.predict(obs, act, p);
  return p;
}

ModelConfig read_config(const std::string& text) {
  ModelConfig c;
  ConfigNode node(Json::parse(text), "cfg.json");
  c.visit(node);
  node.finish();
  c.validate("cfg.json: model");
  return c;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a probabilistic model fit on noisy data predicts the noise variance") {
  ModelConfig cfg = small_config("probabilistic", 1);
  cfg.bootstrap = false;
  SUBCASE("homoscedastic") {
    const Dataset d = test::toy_regression_data(
        2000, -1, 1, [](double x) { return 0.5 * x; }, [](double) { return 0.3; }, 1);
    Ensemble m(cfg, 1, 1, 5);
    Rng rng(2);
    m.fit(d, rng);
    const auto p = predict_at(m, {-0.5f, 0.0f, 0.5f});
    for (int i = 0; i < 3; ++i) {
      MESSAGE("predicted variance " << p.var[0](i, 0) << " (true 0.09)");
      CHECK(p.var[0](i, 0) == doctest::Approx(0.09).epsilon(0.3));
    }
  }
  SUBCASE("heteroscedastic: noise sd 0.05 + 0.4 |x|") {
    const Dataset d = test::toy_regression_data(
        3000, -1, 1, [](double x) { return std::sin(2 * x); },
        [](double x) { return 0.05 + 0.4 * std::abs(x); }, 3);
    Ensemble m(cfg, 1, 1, 5);
    Rng rng(4);
    m.fit(d, rng);
    const auto p = predict_at(m, {0.0f, 0.8f, -0.8f});
    const double sd0 = std::sqrt(p.var[0](0, 0)), sd1 = std::sqrt(p.var[0](1, 0)),
                 sd2 = std::sqrt(p.var[0](2, 0));
    MESSAGE("predicted sd at 0, 0.8, -0.8: " << sd0 << " " << sd1 << " " << sd2
                                             << " (true 0.05, 0.37, 0.37)");
    CHECK(sd0 < 0.12);
    CHECK(sd1 > 3 * sd0);
    CHECK(sd1 == doctest::Approx(0.37).epsilon(0.3));
    CHECK(sd2 == doctest::Approx(0.37).epsilon(0.3));
  }
}

TEST_CASE("an ensemble trained on x in [-1, 1] disagrees much more at x = 3 than at x = 0") {
  for (std::string kind : {"deterministic", "probabilistic"}) {
    CAPTURE(kind);
    const Dataset d = test::toy_regression_data(
        400, -1, 1, [](double x) { return std::sin(3 * x); }, [](double) { return 0.02; }, 5);
    Ensemble m(small_config(kind, 5), 1, 1, 6);
    Rng rng(7);
    m.fit(d, rng);
    const auto p = predict_at(m, {0.0f, 3.0f});
    auto spread = [&](int i) {
      double mean = 0, var = 0;
      for (int e = 0; e < 5; ++e) mean += p.mean[e](i, 0) / 5;
      for (int e = 0; e < 5; ++e) var += std::pow(p.mean[e](i, 0) - mean, 2) / 5;
      return std::sqrt(var);
    };
    MESSAGE(kind << ": member spread at x=0 " << spread(0) << ", at x=3 " << spread(1));
    CHECK(spread(1) > 10 * spread(0));
  }
}

TEST_CASE("training is identical at 1 and 2 threads and elites are the best validation scores") {
  const Dataset d = test::toy_regression_data(
      300, -1, 1, [](double x) { return x * x; }, [](double) { return 0.05; }, 8);
  ModelConfig c = small_config("probabilistic", 4);
  c.epochs = 5;
  c.elite_members = 2;
  std::vector<Eigen::VectorXf> params[2];
  std::vector<int> elites[2];
  for (int threads : {1, 2}) {
    c.threads = threads;
    Ensemble m(c, 1, 1, 9);
    Rng rng(10);
    const EpochStats s = m.fit(d, rng);
    for (int e = 0; e < 4; ++e) params[threads - 1].push_back(m.net(e).params());
    elites[threads - 1] = m.elites();
    REQUIRE(s.member_score.size() == 4);
    CHECK(std::isfinite(s.val_mse));
    CHECK(std::isfinite(s.val_nll));
  }
  for (int e = 0; e < 4; ++e) CHECK(params[0][e] == params[1][e]);
  CHECK(elites[0] == elites[1]);
  CHECK(elites[0].size() == 2);
  CHECK(params[0][0] != params[0][1]);  // members differ (seeds and bootstrap)
}

TEST_CASE("train_epoch is a bounded unit that stops by patience and restores the best weights") {
  const Dataset d = test::toy_regression_data(
      200, -1, 1, [](double x) { return x; }, [](double) { return 0.1; }, 11);
  ModelConfig c = small_config("deterministic", 2);
  c.epochs = 1000;
  c.patience = 3;
  Ensemble m(c, 1, 1, 12);
  Rng rng(13);
  m.begin_training(d, rng);
  int epochs = 0;
  EpochStats s;
  while (!m.training_done()) {
    s = m.train_epoch(rng);
    ++epochs;
    REQUIRE(epochs < 1000);
  }
  CHECK(s.done);
  CHECK(s.epoch == epochs);
  CHECK(epochs < 1000);                        // stopped by patience
  CHECK(m.train_epoch(rng).epoch == s.epoch);  // further calls do nothing
}

TEST_CASE(
    "save and load give identical predictions; wrong shapes and truncated files are InputErrors") {
  const auto dir = test::temp_dir("ensemble_io");
  const Dataset d = test::toy_regression_data(
      200, -1, 1, [](double x) { return x; }, [](double) { return 0.1; }, 14);
  ModelConfig c = small_config("probabilistic", 3);
  c.epochs = 3;
  c.learn_reward = true;
  c.elite_members = 2;
  Ensemble a(c, 1, 1, 15);
  Rng rng(16);
  a.fit(d, rng);
  const auto file = dir / "model.bin";
  a.save(file);
  Ensemble b(c, 1, 1, 99);
  b.load(file);
  const auto pa = predict_at(a, {-0.3f, 0.7f}), pb = predict_at(b, {-0.3f, 0.7f});
  for (int e = 0; e < 3; ++e) {
    CHECK(pa.mean[e] == pb.mean[e]);
    CHECK(pa.var[e] == pb.var[e]);
  }
  CHECK(a.elites() == b.elites());

  ModelConfig wrong = c;
  wrong.hidden = {32, 16};
  Ensemble w(wrong, 1, 1, 1);
  const std::string err = error_of([&] { w.load(file); });
  MESSAGE(err);
  CHECK(err.find(file.string()) == 0);
  CHECK(err.find("expected a model of shape \"3 probabilistic members, 1+1 -> 32x16 silu -> 2") !=
        std::string::npos);
  CHECK(err.find("the file holds \"3 probabilistic members, 1+1 -> 32x32 silu -> 2") !=
        std::string::npos);
  Ensemble other_dims(c, 2, 1, 1);
  CHECK(error_of([&] { other_dims.load(file); }).find("expected a model of shape") !=
        std::string::npos);

  const std::string bytes = test::read_file(file);
  {
    std::ofstream f(dir / "truncated.bin", std::ios::binary);
    f.write(bytes.data(), std::streamsize(bytes.size() - 40));
  }
  const std::string terr = error_of([&] { b.load(dir / "truncated.bin"); });
  MESSAGE(terr);
  CHECK(terr.find((dir / "truncated.bin").string() + ": truncated: expected") == 0);
  {
    std::ofstream f(dir / "junk.bin", std::ios::binary);
    f << "not a model";
  }
  CHECK(error_of([&] { b.load(dir / "junk.bin"); }).find("expected a dynalab model file") !=
        std::string::npos);
  CHECK(error_of([&] { b.load(dir / "missing.bin"); }).find("missing.bin: cannot open") !=
        std::string::npos);
  // A failed load leaves the model as it was.
  CHECK(predict_at(b, {-0.3f, 0.7f}).mean[0] == pa.mean[0]);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a huge learning rate sets the diverged flag and leaves finite weights") {
  const Dataset d = test::toy_regression_data(
      200, -1, 1, [](double x) { return x; }, [](double) { return 0.1; }, 17);
  for (std::string kind : {"deterministic", "probabilistic"}) {
    CAPTURE(kind);
    ModelConfig c = small_config(kind, 2);
    c.learning_rate = 1e30;
    Ensemble m(c, 1, 1, 18);
    Rng rng(19);
    const EpochStats s = m.fit(d, rng);
    CHECK(s.diverged);
    CHECK(s.done);
    CHECK(m.diverged());
    for (int e = 0; e < 2; ++e) CHECK(m.net(e).params().allFinite());
    const auto p = predict_at(m, {0.5f});
    CHECK(p.mean[0].allFinite());
    m.reinitialize(1);
    CHECK_FALSE(m.diverged());
  }
}

TEST_CASE("model config: ranges and cross-field checks are InputErrors naming the key") {
  CHECK(error_of([] { read_config(R"({"ensemble_size": 1000000000})"); }) ==
        "cfg.json: ensemble_size: expected an integer in [1, 64], got 1000000000");
  CHECK(error_of([] {
          read_config(R"({"learning_rate": 0})");
        }).find("cfg.json: learning_rate: expected a number > 0") == 0);
  CHECK(error_of([] {
          read_config(R"({"prediction": "gp"})");
        }).find("cfg.json: prediction: expected one of") == 0);
  // Checked while reading (the key is relative to the node: "model.elite_members" in an experiment).
  CHECK(error_of([] { read_config(R"({"ensemble_size": 3, "elite_members": 5})"); }) ==
        "cfg.json: elite_members: expected at most ensemble_size (3), got 5");
  CHECK(error_of([] { read_config(R"({"ensemble_size": 64, "elite_members": 5, "hidden": [4096, 4096]})"); })
            .find("cfg.json: hidden: expected at most 20000000 hidden weights") == 0);
  CHECK(error_of([] { read_config(R"({"hidden": []})"); }).find("hidden: expected at least one") !=
        std::string::npos);
  CHECK(error_of([] { read_config(R"({"val_fraction": 1})"); }).find("cfg.json: val_fraction") ==
        0);
  const ModelConfig c =
      read_config(R"({"prediction": "deterministic", "hidden": [64, 64], "activation": "relu"})");
  CHECK(c.hidden == std::vector<int>{64, 64});
}

}  // namespace test_ensemble
