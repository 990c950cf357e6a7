#include "core/analysis/ensemble_size_study.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace dynalab {

namespace {
// Targets [s' - s, (r), (terminated)] of every transition, one row each (Ensemble's order).
Eigen::MatrixXd targets_of(const Dataset& d, const ModelConfig& c) {
  const int D = d.obs_dim();
  Eigen::MatrixXd y(Eigen::Index(d.size()),
                    D + (c.learn_reward ? 1 : 0) + (c.learn_termination ? 1 : 0));
  if (d.size() == 0) return y;
  y.leftCols(D) = d.next_observations() - d.observations();
  if (c.learn_reward) y.col(D) = d.rewards();
  if (c.learn_termination) y.col(y.cols() - 1) = d.terminations();
  return y;
}
}  // namespace

EnsembleSizeStudy::EnsembleSizeStudy(const Dataset& data, const ModelConfig& model,
                                     const EnsembleSizeStudyConfig& config)
    : cfg_(config),
      model_cfg_(model),
      train_(data.obs_dim(), data.action_dim()),
      val_(data.obs_dim(), data.action_dim()) {
  if (data.size() < 4)
    throw std::invalid_argument("ensemble size study: at least 4 transitions needed, got " +
                                std::to_string(data.size()));
  if (cfg_.sizes.empty()) throw std::invalid_argument("ensemble size study: no sizes");
  for (int e : cfg_.sizes)
    if (e < 1 || e > kMaxEnsembleSize)
      throw std::invalid_argument("ensemble size study: size " + std::to_string(e) +
                                  " outside [1, " + std::to_string(kMaxEnsembleSize) + "]");
  if (cfg_.epochs < 1) throw std::invalid_argument("ensemble size study: epochs must be >= 1");
  if (!(cfg_.val_fraction > 0 && cfg_.val_fraction < 1))
    throw std::invalid_argument("ensemble size study: val_fraction must be in (0, 1)");
  // One fixed split for every size, so the sizes are compared on the same data.
  const size_t n = data.size();
  std::vector<size_t> perm(n);
  std::iota(perm.begin(), perm.end(), size_t(0));
  Rng split = Rng::derive(cfg_.seed, {0});
  for (size_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[split.below(i + 1)]);
  const size_t n_val =
      std::clamp<size_t>(size_t(std::lround(double(n) * cfg_.val_fraction)), 1, n - 2);
  std::sort(perm.begin(), perm.begin() + n_val);
  std::sort(perm.begin() + n_val, perm.end());
  for (size_t i = 0; i < n; ++i) (i < n_val ? val_ : train_).add(data.at(perm[i]));
  const Eigen::MatrixXd y = targets_of(train_, model_cfg_);
  target_std_ = Eigen::RowVectorXd::Ones(y.cols());
  for (Eigen::Index c = 0; c < y.cols(); ++c) {
    const double sd = std::sqrt((y.col(c).array() - y.col(c).mean()).square().mean());
    if (sd > 1e-6) target_std_[c] = sd;
  }
  start_size();
}

EnsembleSizeStudy::~EnsembleSizeStudy() = default;
EnsembleSizeStudy::EnsembleSizeStudy(EnsembleSizeStudy&&) noexcept = default;
EnsembleSizeStudy& EnsembleSizeStudy::operator=(EnsembleSizeStudy&&) noexcept = default;

void EnsembleSizeStudy::start_size() {
  epoch_ = 0;
  current_.reset();
  if (index_ >= cfg_.sizes.size()) return;
  ModelConfig c = model_cfg_;
  c.ensemble_size = c.elite_members = cfg_.sizes[index_];
  c.epochs = cfg_.epochs;
  c.patience = cfg_.epochs + 1;  // no early stopping: exactly `epochs` epochs
  c.val_fraction = 0;            // the study's split is the validation set
  current_ = std::make_unique<Ensemble>(c, train_.obs_dim(), train_.action_dim(),
                                        Rng::derive(cfg_.seed, {1, index_}).next_u64());
  rng_ = Rng::derive(cfg_.seed, {2, index_});
  current_->begin_training(train_, rng_);
}

bool EnsembleSizeStudy::step() {
  if (done()) return false;
  if (epoch_ < cfg_.epochs && !current_->training_done()) {
    current_->train_epoch(rng_);
    ++epoch_;
    return true;
  }
  results_.push_back(score(*current_));
  ++index_;
  start_size();
  return !done();
}

const std::vector<EnsembleSizePoint>& EnsembleSizeStudy::run() {
  while (step()) {
  }
  return results_;
}

bool EnsembleSizeStudy::done() const { return index_ >= cfg_.sizes.size(); }

double EnsembleSizeStudy::progress() const {
  const double total = double(cfg_.sizes.size()) * (cfg_.epochs + 1);  // + 1: the scoring step
  return std::min(1.0, (double(index_) * (cfg_.epochs + 1) + (done() ? 0 : epoch_)) / total);
}

int EnsembleSizeStudy::current_size() const { return done() ? 0 : cfg_.sizes[index_]; }

EnsembleSizePoint EnsembleSizeStudy::score(const Ensemble& e) const {
  EnsembleSizePoint p;
  p.size = e.size();
  // Mixture MSE and NLL over a split, in normalised target units, mean over rows and dims.
  auto evaluate = [&](const Dataset& d, double& mse, double* nll) {
    const Eigen::MatrixXd y = targets_of(d, model_cfg_);
    EnsemblePrediction pred;
    e.predict(d.observations().cast<float>(), d.actions().cast<float>(), pred);
    const int E = e.size();
    double se = 0, nl = 0;
    for (Eigen::Index i = 0; i < y.rows(); ++i)
      for (Eigen::Index c = 0; c < y.cols(); ++c) {
        const double s = target_std_[c];
        double mean = 0, alea = 0;
        for (int m = 0; m < E; ++m)
          mean += pred.mean[m](i, c) / s, alea += pred.var[m](i, c) / (s * s);
        mean /= E;
        alea /= E;
        double epi = 0;
        for (int m = 0; m < E; ++m) epi += std::pow(pred.mean[m](i, c) / s - mean, 2);
        epi /= E;
        const double var = std::max(alea + epi, cfg_.var_floor);
        const double r2 = std::pow(y(i, c) / s - mean, 2);
        se += r2;
        nl += 0.5 * (std::log(2 * M_PI * var) + r2 / var);
      }
    const double count = double(y.rows() * y.cols());
    mse = se / count;
    if (nll) *nll = nl / count;
  };
  evaluate(val_, p.val_mse, &p.val_nll);
  evaluate(train_, p.train_mse, nullptr);
  return p;
}

std::vector<EnsembleSizePoint> ensemble_size_study(const Dataset& data, const ModelConfig& model,
                                                   const EnsembleSizeStudyConfig& config) {
  EnsembleSizeStudy study(data, model, config);
  return study.run();
}

}  // namespace dynalab
