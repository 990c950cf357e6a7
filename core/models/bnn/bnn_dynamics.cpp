#include "core/models/bnn/bnn_dynamics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "core/dataset.h"
#include "core/rng.h"

namespace dynalab {

namespace {
// Stream paths under the construction seed: the initial mean weights, the draws' seeds.
constexpr uint64_t kInitStream = 0, kDrawStream = 1;
// A bound on one fit while min_updates is not reached (a tiny batch_size would otherwise make it
// arbitrarily long in epochs).
constexpr int kMaxEpochsPerFit = 100000;

bool one_of(const std::string& x, const std::vector<std::string>& choices) {
  return std::find(choices.begin(), choices.end(), x) != choices.end();
}

/// The checks the config reader makes, for configs built in code (InputError naming the key).
void check_bnn_config(const BnnConfig& b) {
  auto fail = [](const std::string& key, const std::string& what) {
    throw InputError("model.bnn." + key + ": expected " + what);
  };
  if (!one_of(b.prior, BnnConfig::priors())) fail("prior", "gaussian or scale_mixture, got \"" + b.prior + "\"");
  if (!one_of(b.kl_weighting, BnnConfig::kl_weightings()))
    fail("kl_weighting", "uniform or blundell, got \"" + b.kl_weighting + "\"");
  if (b.posterior_samples < 1 || b.posterior_samples > kMaxPosteriorSamples)
    fail("posterior_samples", "an integer in [1, " + std::to_string(kMaxPosteriorSamples) +
                                  "], got " + std::to_string(b.posterior_samples));
  for (auto [key, x] : {std::pair{"prior_sigma", b.prior_sigma}, std::pair{"mixture_sigma1", b.mixture_sigma1},
                        std::pair{"mixture_sigma2", b.mixture_sigma2}})
    if (!(x > 0) || !std::isfinite(x)) fail(key, "a number > 0, got " + std::to_string(x));
  if (!(b.mixture_pi >= 0 && b.mixture_pi <= 1))
    fail("mixture_pi", "a number in [0, 1], got " + std::to_string(b.mixture_pi));
  if (!(b.mixture_sigma2 < b.mixture_sigma1))
    fail("mixture_sigma2", "a number below mixture_sigma1 (" + std::to_string(b.mixture_sigma1) +
                               "), got " + std::to_string(b.mixture_sigma2));
  if (!(b.noise_std >= 0) || !std::isfinite(b.noise_std))
    fail("noise_std", "a number >= 0, got " + std::to_string(b.noise_std));
  if (!std::isfinite(b.initial_rho)) fail("initial_rho", "a finite number");
  if (b.min_updates < 0 || b.min_updates > 1000000)
    fail("min_updates", "an integer in [0, 1000000], got " + std::to_string(b.min_updates));
}
}  // namespace

BnnDynamics::BnnDynamics(const ModelConfig& config, int obs_dim, int action_dim, uint64_t seed)
    : cfg_(config), obs_dim_(obs_dim), action_dim_(action_dim) {
  cfg_.validate("model");
  if (cfg_.prediction != "probabilistic")
    throw InputError("model.prediction: expected probabilistic with type = bnn, got \"" +
                     cfg_.prediction + "\"");
  check_bnn_config(cfg_.bnn);
  prior_ = BnnPrior::of(cfg_.bnn);
  reinitialize(seed);
}

MlpShape BnnDynamics::net_shape() const {
  return MlpShape::of(input_dim(), target_dim() * (known_noise() ? 1 : 2), cfg_.hidden,
                      cfg_.activation, "model.activation");
}

void BnnDynamics::set_training_config(const ModelConfig& c) {
  c.validate("model");
  check_bnn_config(c.bnn);
  if (c.type != cfg_.type || c.prediction != cfg_.prediction || c.hidden != cfg_.hidden ||
      c.activation != cfg_.activation || c.learn_reward != cfg_.learn_reward ||
      c.learn_termination != cfg_.learn_termination ||
      c.bnn.posterior_samples != cfg_.bnn.posterior_samples ||
      (c.bnn.noise_std > 0) != (cfg_.bnn.noise_std > 0))
    throw InputError(
        "model: type, prediction, hidden, activation, learn_reward, learn_termination, "
        "bnn.posterior_samples and whether bnn.noise_std is 0 change the network; expected them "
        "unchanged (reset to apply)");
  cfg_ = c;
  prior_ = BnnPrior::of(cfg_.bnn);
}

void BnnDynamics::reinitialize(uint64_t seed) {
  seed_ = seed;
  const MlpShape shape = net_shape();
  net_ = Mlp(shape);
  Rng r = Rng::derive(seed, {kInitStream});
  net_.init(r);
  q_ = MeanFieldGaussian(net_.params(), float(cfg_.bnn.initial_rho));
  bounds_ = LogVarBounds<float>::initial(target_dim());
  adam_mu_.reset(q_.size());
  adam_rho_.reset(q_.size());
  adam_bounds_.reset(2 * target_dim());
  in_norm_.reset(input_dim());
  out_norm_.reset(target_dim());
  fits_ = 0;
  updates_ = 0;
  draws_seed_ = Rng::derive(seed, {kDrawStream, 0}).next_u64();
  draws_.assign(size_t(members()), Mlp(shape));
  all_members_.resize(size_t(members()));
  std::iota(all_members_.begin(), all_members_.end(), 0);
  materialise_draws();
  best_.score = std::numeric_limits<double>::infinity();
  diverged_ = false;
  done_ = true;
  epoch_ = since_improved_ = 0;
  last_ = EpochStats{};
}

Eigen::VectorXf BnnDynamics::posterior_params() const {
  Eigen::VectorXf p(2 * q_.size());
  p << q_.mu, q_.rho;
  return p;
}

void BnnDynamics::draw_posterior_samples(uint64_t seed) {
  draws_seed_ = seed;
  materialise_draws();
}

void BnnDynamics::materialise_draws() {
  MeanFieldGaussian::Vec eps;
  for (int k = 0; k < members(); ++k) {
    Rng r = Rng::derive(draws_seed_, {uint64_t(k)});
    q_.draw_eps(r, eps);
    q_.sample(eps, draws_[size_t(k)].params());
  }
}

void BnnDynamics::begin_training(const Dataset& data, Rng& rng) {
  rows_.begin(*this, data, cfg_.val_fraction, rng, in_norm_, out_norm_);
  best_.reset(posterior_params(), bounds_);
  epoch_ = since_improved_ = 0;
  done_ = diverged_;  // a diverged model stays stopped until reinitialize()
  last_ = EpochStats{};
  last_.diverged = diverged_;
  last_.done = done_;
}

void BnnDynamics::validate_mean(double& nll, double& mse) {
  const int D = target_dim();
  net_.params() = q_.mu;
  net_.forward(rows_.x_val, cache_);
  mse = mse_loss<float>(cache_.out.leftCols(D), rows_.y_val, nullptr);
  if (known_noise()) {
    const double s = cfg_.bnn.noise_std;
    nll = mse / (s * s) + 2 * std::log(s);
  } else {
    nll = gauss_nll_loss<float>(cache_.out, rows_.y_val, &bounds_, nullptr, nullptr) -
          0.01 * (bounds_.max_lv.sum() - bounds_.min_lv.sum());
  }
}

double BnnDynamics::validation_free_energy() {
  // Common random numbers: the K draws' noise is fixed during a fit, so epochs are compared on
  // the same eps_k and the score is deterministic.
  BnnLikelihood<float> lik;
  lik.noise_std = float(cfg_.bnn.noise_std);
  lik.bounds = known_noise() ? nullptr : &bounds_;
  MeanFieldGaussian::Vec eps;
  double nll = 0, kl = 0;
  for (int k = 0; k < members(); ++k) {
    Rng r = Rng::derive(draws_seed_, {uint64_t(k)});
    q_.draw_eps(r, eps);
    q_.sample(eps, net_.params());
    net_.forward(rows_.x_val, cache_);
    nll += bnn_nll<float>(lik, cache_.out, rows_.y_val, nullptr, nullptr, nullptr) / members();
    kl += q_.kl(prior_, eps, 1.0f, nullptr, nullptr) / members();
  }
  return nll + kl / double(rows_.train.size());
}

EpochStats BnnDynamics::train_epoch(Rng& rng) {
  if (done_) return last_;
  Rng r(rng.next_u64());
  const Eigen::VectorXf good_mu = q_.mu, good_rho = q_.rho;
  const LogVarBounds<float> good_bounds = bounds_;
  std::vector<int> order = rows_.train;
  for (long i = long(order.size()) - 1; i > 0; --i)
    std::swap(order[i], order[r.below(uint64_t(i + 1))]);
  const int D = target_dim(), bs = cfg_.batch_size;
  const long N = long(order.size()), M = (N + bs - 1) / bs;
  const bool learned_head = !known_noise();
  BnnLikelihood<float> lik;
  lik.noise_std = float(cfg_.bnn.noise_std);
  lik.bounds = learned_head ? &bounds_ : nullptr;
  Eigen::MatrixXf X, Y;
  MeanFieldGaussian::Vec eps, g_mu, g_rho;
  Eigen::VectorXf bvec(2 * D), bgrad(2 * D);
  LogVarBounds<float> dbounds;
  double loss_sum = 0, mse_sum = 0;
  bool diverged = false;
  for (long b = 0; b < M && !diverged; ++b) {
    const long start = b * bs, nb = std::min<long>(bs, N - start);
    X.resize(nb, input_dim());
    Y.resize(nb, D);
    for (long i = 0; i < nb; ++i) {
      X.row(i) = rows_.x.row(order[start + i]);
      Y.row(i) = rows_.y.row(order[start + i]);
    }
    // pi_b of minibatch b + 1 of M: 1/M, or Blundell's 2^(M-b-1) / (2^M - 1) written as
    // 2^-(b+1) / (1 - 2^-M) so that it does not overflow for M > 1000.
    const double pi_b = cfg_.bnn.kl_weighting == "blundell"
                            ? std::ldexp(1.0, -int(std::min<long>(b + 1, 2000))) /
                                  (1.0 - std::ldexp(1.0, -int(std::min<long>(M, 2000))))
                            : 1.0 / double(M);
    const float kl_scale = float(double(M) * pi_b / double(N));
    q_.draw_eps(r, eps);
    const BbbTerms t = bbb_gradient<float>(q_, prior_, kl_scale, lik, X, Y, eps, net_, cache_,
                                           g_mu, g_rho, learned_head ? &dbounds : nullptr);
    if (!std::isfinite(t.loss) || !g_mu.allFinite() || !g_rho.allFinite() ||
        (learned_head && !(dbounds.max_lv.allFinite() && dbounds.min_lv.allFinite()))) {
      diverged = true;
      break;
    }
    ++updates_;
    loss_sum += t.loss * double(nb);
    mse_sum += t.mse * double(nb);
    adam_mu_.step(q_.mu, g_mu, cfg_.learning_rate, 0.0, nullptr);
    adam_rho_.step(q_.rho, g_rho, cfg_.learning_rate, 0.0, nullptr);
    if (learned_head) {
      bvec << bounds_.max_lv, bounds_.min_lv;
      bgrad << dbounds.max_lv, dbounds.min_lv;
      adam_bounds_.step(bvec, bgrad, cfg_.learning_rate, 0.0, nullptr);
      bounds_.max_lv = bvec.head(D);
      bounds_.min_lv = bvec.tail(D);
    }
  }
  EpochStats s;
  s.epoch = ++epoch_;
  diverged = diverged || !q_.mu.allFinite() || !q_.rho.allFinite() ||
             !bounds_.max_lv.allFinite() || !bounds_.min_lv.allFinite();
  double score = loss_sum / double(N);
  const bool has_val = rows_.x_val.rows() > 0;
  if (!diverged) {
    s.train_loss = loss_sum / double(N);
    s.train_mse = mse_sum / double(N);
    if (has_val) {
      validate_mean(s.val_nll, s.val_mse);
      score = validation_free_energy();
      if (!std::isfinite(score)) diverged = true;
    }
  }
  if (diverged) {
    q_.mu = good_mu;
    q_.rho = good_rho;
    bounds_ = good_bounds;
    adam_mu_.reset(q_.size());
    adam_rho_.reset(q_.size());
    adam_bounds_.reset(2 * D);
    materialise_draws();
    diverged_ = done_ = true;
    EpochStats d;
    d.epoch = s.epoch;
    d.diverged = d.done = true;
    last_ = d;
    return d;
  }
  s.member_score = {score};
  if (best_.improves(score)) {
    best_.keep(posterior_params(), bounds_, score);
    s.improved = true;
  }
  since_improved_ = s.improved ? 0 : since_improved_ + 1;
  // The widths start at initial_rho and move by about one learning rate per Adam step: until
  // the posterior has had min_updates steps since reinitialize, neither model.epochs nor the
  // patience ends a fit (the later, warm-started fits are bounded as usual).
  const bool young = updates_ < cfg_.bnn.min_updates;
  if ((epoch_ >= cfg_.epochs && !young) || (since_improved_ >= cfg_.patience && !young) ||
      epoch_ >= kMaxEpochsPerFit) {
    q_.mu = best_.params.head(q_.size());
    q_.rho = best_.params.tail(q_.size());
    bounds_.max_lv = best_.bounds.max_lv;
    bounds_.min_lv = best_.bounds.min_lv;
    ++fits_;
    draws_seed_ = Rng::derive(seed_, {kDrawStream, uint64_t(fits_)}).next_u64();
    done_ = s.done = true;
  }
  materialise_draws();
  last_ = s;
  return s;
}

std::string BnnDynamics::describe_shape() const {
  std::ostringstream os;
  os << "Bayes by Backprop, " << members() << " posterior draw" << (members() == 1 ? "" : "s")
     << ", " << cfg_.bnn.prior << " prior, " << obs_dim_ << "+" << action_dim_ << " -> ";
  for (size_t i = 0; i < cfg_.hidden.size(); ++i) os << (i ? "x" : "") << cfg_.hidden[i];
  os << " " << cfg_.activation << " -> " << target_dim()
     << (known_noise() ? " (known noise)" : "")
     << (cfg_.learn_reward ? " (reward learned)" : "")
     << (cfg_.learn_termination ? " (termination learned)" : "");
  return os.str();
}

}  // namespace dynalab
