#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/config.h"
#include "core/dataset.h"
#include "core/models/ensemble.h"
#include "core/models/losses.h"
#include "core/models/mlp.h"
#include "core/rng.h"

namespace test_mlp {

using namespace dynalab;
using Md = Eigen::MatrixXd;

namespace {

Md random_matrix(Rng& rng, long r, long c, double scale = 1.0) {
  Md m(r, c);
  for (long i = 0; i < m.size(); ++i) m.data()[i] = scale * rng.normal();
  return m;
}

// Loss of `net` on (X, Y) for the given loss; bounds only used by "nll_bounded".
double loss_of(const MlpT<double>& net, const Md& X, const Md& Y, const std::string& loss,
               const LogVarBounds<double>& bounds, Md* dout, LogVarBounds<double>* db) {
  MlpT<double>::Cache c;
  net.forward(X, c);
  if (loss == "mse") return mse_loss<double>(c.out, Y, dout);
  if (loss == "nll") return gauss_nll_loss<double>(c.out, Y, nullptr, dout, nullptr);
  return gauss_nll_loss<double>(c.out, Y, &bounds, dout, db);
}

// Worst relative error |a - n| / max(|a|, |n|) over entries above a tiny absolute floor.
double rel_err(double a, double n) {
  return std::abs(a - n) / std::max({std::abs(a), std::abs(n), 1e-7});
}

void gradient_check(Activation act, const std::string& loss) {
  CAPTURE(activation_name(act));
  CAPTURE(loss);
  Rng rng(7);
  MlpShape shape{3, loss == "mse" ? 2 : 4, {6, 5}, act};
  MlpT<double> net(shape);
  net.init(rng);
  for (long i = 0; i < net.params().size(); ++i)
    net.params()[i] += 0.1 * rng.normal();  // nonzero biases
  const Md X = random_matrix(rng, 7, 3), Y = random_matrix(rng, 7, 2);
  LogVarBounds<double> bounds{Eigen::VectorXd::Constant(2, 0.3),
                              Eigen::VectorXd::Constant(2, -1.5)};

  Md dout;
  LogVarBounds<double> db;
  loss_of(net, X, Y, loss, bounds, &dout, &db);
  MlpT<double>::Cache c;
  net.forward(X, c);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(net.params().size());
  Md dX;
  net.backward(X, dout, c, grad, &dX);

  const double h = 1e-6;
  double worst = 0;
  for (long i = 0; i < net.params().size(); ++i) {
    MlpT<double> p = net, m = net;
    p.params()[i] += h;
    m.params()[i] -= h;
    const double num = (loss_of(p, X, Y, loss, bounds, nullptr, nullptr) -
                        loss_of(m, X, Y, loss, bounds, nullptr, nullptr)) /
                       (2 * h);
    worst = std::max(worst, rel_err(grad[i], num));
  }
  for (long i = 0; i < X.size(); ++i) {
    Md Xp = X, Xm = X;
    Xp.data()[i] += h;
    Xm.data()[i] -= h;
    const double num = (loss_of(net, Xp, Y, loss, bounds, nullptr, nullptr) -
                        loss_of(net, Xm, Y, loss, bounds, nullptr, nullptr)) /
                       (2 * h);
    worst = std::max(worst, rel_err(dX.data()[i], num));
  }
  if (loss == "nll_bounded") {
    for (int j = 0; j < 2; ++j)
      for (int which = 0; which < 2; ++which) {
        LogVarBounds<double> bp = bounds, bm = bounds;
        (which ? bp.min_lv : bp.max_lv)[j] += h;
        (which ? bm.min_lv : bm.max_lv)[j] -= h;
        const double num = (loss_of(net, X, Y, loss, bp, nullptr, nullptr) -
                            loss_of(net, X, Y, loss, bm, nullptr, nullptr)) /
                           (2 * h);
        worst = std::max(worst, rel_err((which ? db.min_lv : db.max_lv)[j], num));
      }
  }
  CHECK(worst < 1e-3);
  MESSAGE(activation_name(act) << " " << loss << ": worst relative gradient error " << worst);
}

}  // namespace

TEST_CASE(
    "MLP gradients (params and inputs) match central finite differences in double precision") {
  for (Activation act : {Activation::relu, Activation::tanh, Activation::silu})
    for (const char* loss : {"mse", "nll", "nll_bounded"}) gradient_check(act, loss);
}

namespace {
template <class T>
void compare_with_reference(const Json& in, const Json& ex, double tol) {
  using M = Eigen::Matrix<T, -1, -1>;
  auto mat = [](const Json& j) {
    M m(j.size(), j[0].size());
    for (size_t r = 0; r < j.size(); ++r)
      for (size_t c = 0; c < j[r].size(); ++c) m(r, c) = T(j[r][c].get<double>());
    return m;
  };
  MlpShape shape;
  const size_t L = in["W"].size();
  shape.in = int(in["W"][0].size());
  for (size_t l = 0; l + 1 < L; ++l) shape.hidden.push_back(int(in["W"][l][0].size()));
  shape.out = int(in["W"][L - 1][0].size());
  shape.activation = parse_activation(in["activation"].get<std::string>());
  MlpT<T> net(shape);
  for (size_t l = 0; l < L; ++l) {
    Eigen::Map<M>(net.params().data() + net.w_offset(int(l)), shape.fan_in(int(l)),
                  shape.fan_out(int(l))) = mat(in["W"][l]);
    for (int k = 0; k < shape.fan_out(int(l)); ++k)
      net.params()[net.b_offset(int(l)) + k] = T(in["b"][l][k].get<double>());
  }
  const M X = mat(in["x"]), Y = mat(in["y"]);
  typename MlpT<T>::Cache c;
  net.forward(X, c);
  M dout;
  const bool nll = in["loss"] == "gauss_nll";
  const T loss =
      nll ? gauss_nll_loss<T>(c.out, Y, nullptr, &dout, nullptr) : mse_loss<T>(c.out, Y, &dout);
  typename MlpT<T>::Vec grad = MlpT<T>::Vec::Zero(net.params().size());
  M dX;
  net.backward(X, dout, c, grad, &dX);
  auto close = [&](double a, double e) {
    return std::abs(a - e) <= tol * std::max(std::abs(e), 1e-3);
  };
  CHECK(close(loss, ex["loss"].get<double>()));
  const M out_ex = mat(ex["output"]);
  for (long i = 0; i < out_ex.size(); ++i) CHECK(close(c.out.data()[i], out_ex.data()[i]));
  for (size_t l = 0; l < L; ++l) {
    const M gW = mat(ex["grad_W"][l]);
    for (int r = 0; r < gW.rows(); ++r)
      for (int k = 0; k < gW.cols(); ++k)
        CHECK(close(grad[net.w_offset(int(l)) + long(k) * gW.rows() + r], gW(r, k)));
    for (int k = 0; k < shape.fan_out(int(l)); ++k)
      CHECK(close(grad[net.b_offset(int(l)) + k], ex["grad_b"][l][k].get<double>()));
  }
  const M gx = mat(ex["grad_x"]);
  for (long i = 0; i < gx.size(); ++i) CHECK(close(dX.data()[i], gx.data()[i]));
  // The input gradient alone (the SAC actor's pass through a critic) is the same dX, exactly.
  M dX_only;
  net.input_gradient(X, dout, c, dX_only);
  CHECK(dX_only == dX);
}
}  // namespace

TEST_CASE(
    "MLP loss and gradients match the numpy reference mlp_grad_case (bench README section 3)") {
  const std::filesystem::path dir = "/work/shared/bench";
  const auto case_file = dir / "mlp_grad_case.json",
             expected_file = dir / "mlp_grad_case.expected.json";
  if (!std::filesystem::exists(case_file) || !std::filesystem::exists(expected_file)) {
    MESSAGE("skipped: " << case_file << " or its .expected.json is not present");
    return;
  }
  const Json in = read_json_file(case_file.string()), ex = read_json_file(expected_file.string());
  // float64 agrees to round-off; float32 to 2e-4 relative (entries near 1e-3 of a sum of ~8
  // products of O(1) terms lose ~1e-7 absolute, i.e. ~1e-4 relative, to float rounding).
  compare_with_reference<double>(in, ex, 1e-9);
  compare_with_reference<float>(in, ex, 2e-4);
}

TEST_CASE("an MLP fits a 1-D sine to low error") {
  // Through the Ensemble (one deterministic member): obs x, a constant action, s' = x + sin(x),
  // so the predicted delta is sin(x).
  Dataset data(1, 1);
  const int n = 400;
  for (int i = 0; i < n; ++i) {
    const double x = -M_PI + 2 * M_PI * i / (n - 1);
    Transition t;
    t.obs = Vec::Constant(1, x);
    t.action = Vec::Zero(1);
    t.next_obs = Vec::Constant(1, x + std::sin(x));
    data.add(t);
  }
  ModelConfig cfg;
  cfg.prediction = "deterministic";
  cfg.hidden = {32, 32};
  cfg.activation = "tanh";
  cfg.ensemble_size = cfg.elite_members = 1;
  cfg.bootstrap = false;
  cfg.learning_rate = 3e-3;
  cfg.weight_decay = 0;
  cfg.batch_size = 32;
  cfg.epochs = 300;
  cfg.patience = 30;
  Ensemble model(cfg, 1, 1, 3);
  Rng rng(11);
  const EpochStats s = model.fit(data, rng);
  CHECK_FALSE(s.diverged);
  RowMatrixXf obs(50, 1), act = RowMatrixXf::Zero(50, 1);
  for (int i = 0; i < 50; ++i) obs(i, 0) = float(-3.0 + 6.0 * i / 49);
  EnsemblePrediction pred;
  model.predict(obs, act, pred);
  double mse = 0;
  for (int i = 0; i < 50; ++i) mse += std::pow(pred.mean[0](i, 0) - std::sin(obs(i, 0)), 2) / 50;
  MESSAGE("sine fit: " << s.epoch << " epochs, MSE " << mse);
  CHECK(mse < 2e-3);
}

TEST_CASE("MLP inference (the fused kernel on AVX-512) matches the training forward pass") {
  // predict() runs the planner's hot path (dense_kernel.h when the build has AVX-512, Eigen
  // otherwise); forward() in double is the reference. Odd widths and row counts exercise the
  // kernel's row masks and column tails.
  for (Activation act : {Activation::silu, Activation::relu, Activation::tanh}) {
    CAPTURE(activation_name(act));
    const MlpShape shape{5, 13, {64, 7, 200}, act};
    Mlp net(shape);
    Rng rng(3);
    net.init(rng);
    for (long i = 0; i < net.params().size(); ++i)
      net.params()[i] += 0.1f * float(rng.normal());  // non-zero biases
    MlpT<double> ref(shape);
    ref.params() = net.params().cast<double>();
    const long n = 1111;
    const Md Xd = random_matrix(rng, n, shape.in, 3.0);
    const Eigen::MatrixXf X = Xd.cast<float>();
    Eigen::MatrixXf out(n, shape.out);
    Mlp::Scratch scratch;
    net.predict(X, out, scratch);
    MlpT<double>::Cache c;
    ref.forward(X.cast<double>(), c);
    const double scale = c.out.cwiseAbs().maxCoeff();
    CHECK((out.cast<double>() - c.out).cwiseAbs().maxCoeff() < 1e-5 * scale);

    // A row's result does not depend on which other rows share the call (thread-count
    // independence of the planner): bit-identical.
    const long r0 = 37, m = 101;
    Eigen::MatrixXf part(m, shape.out);
    net.predict(X.middleRows(r0, m), part, scratch);
    CHECK((part.array() == out.middleRows(r0, m).array()).all());

    // NaN in, NaN out (the divergence guard relies on it).
    Eigen::MatrixXf bad = X.topRows(3);
    bad(1, 2) = std::numeric_limits<float>::quiet_NaN();
    Eigen::MatrixXf bad_out(3, shape.out);
    net.predict(bad, bad_out, scratch);
    CHECK(bad_out.row(1).array().isNaN().all());
    CHECK(bad_out.row(0).allFinite());
  }
}

TEST_CASE("SiLU in inference is accurate to float rounding over its whole range") {
  // Relative error; absolute (scaled by 1e-6) for outputs below 1e-6, i.e. z < -17, where the
  // kernel's exp argument carries float rounding of a large t = -z log2(e).
  // One hidden unit with weight 1 and bias 0, read out with weight 1: out = silu(x).
  Mlp net(MlpShape{1, 1, {16}, Activation::silu});
  net.params().setZero();
  net.params()[net.w_offset(0)] = 1.0f;
  net.params()[net.w_offset(1)] = 1.0f;
  const long n = 4001;
  Eigen::MatrixXf X(n, 1), out(n, 1);
  for (long i = 0; i < n; ++i) X(i, 0) = -100.0f + 200.0f * float(i) / float(n - 1);
  Mlp::Scratch scratch;
  net.predict(X, out, scratch);
  double worst = 0;
  for (long i = 0; i < n; ++i) {
    const double x = X(i, 0), exact = x / (1.0 + std::exp(-x));
    worst = std::max(worst, std::abs(out(i, 0) - exact) / std::max(std::abs(exact), 1e-6));
  }
  // 4e-6: the worst-case float rounding of a 64-term dot product (64 x 2^-24), i.e. of the
  // pre-activation the SiLU is applied to.
  CHECK(worst < 4e-6);
}

TEST_CASE("MLP inference: row counts around the padded slab stride give the reference results") {
  // 250 rows round up to 256, a multiple of 1 KiB of floats, so the slab stride is padded to
  // 272: the scratch must hold it (predict checks the bound: the kernel's masked stores are
  // invisible to ASan), and the results must not change.
  const MlpShape shape{3, 4, {64, 64}, Activation::silu};
  Mlp net(shape);
  Rng rng(9);
  net.init(rng);
  MlpT<double> ref(shape);
  ref.params() = net.params().cast<double>();
  for (long n : {1L, 15L, 250L, 256L, 512L, 1000L, 1030L}) {
    CAPTURE(n);
    const Md Xd = random_matrix(rng, n, shape.in);
    const Eigen::MatrixXf X = Xd.cast<float>();
    Eigen::MatrixXf out(n, shape.out);
    Mlp::Scratch scratch;  // fresh: sized for this n only
    net.predict(X, out, scratch);
    MlpT<double>::Cache c;
    ref.forward(Xd, c);
    CHECK((out.cast<double>() - c.out).cwiseAbs().maxCoeff() <
          1e-5 * std::max(1.0, c.out.cwiseAbs().maxCoeff()));
  }
}

}  // namespace test_mlp
