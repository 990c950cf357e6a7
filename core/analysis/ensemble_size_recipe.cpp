#include "core/analysis/ensemble_size_recipe.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/io/table.h"

namespace dynalab {

namespace {
const char* const kKinds[] = {"probabilistic", "deterministic"};
const char* const kLabels[] = {"probabilistic (PE)", "deterministic (DE)"};
}  // namespace

EnsembleSizeComparison::EnsembleSizeComparison(const Dataset& data, const ModelConfig& model,
                                               const EnsembleSizeRecipe& r)
    : data_(data.obs_dim(), data.action_dim()), model_(model) {
  if (data.size() < 8)
    throw std::invalid_argument("ensemble size study: at least 8 transitions needed, got " +
                                std::to_string(data.size()));
  const size_t n = data.size();
  rows_ = std::min(n, r.max_rows);
  for (size_t i = n - rows_; i < n; ++i) data_.add(data.at(i));
  // Multiply-adds of one epoch of one member (forward + backward ~ 6 per weight per row) over the
  // 80 % train split, summed over the sizes (1 + 2 + 3 + 5 + 8 = 19) and both kinds.
  double params = 0;
  int prev = data_.obs_dim() + data_.action_dim();
  for (int h : model.hidden) params += double(prev) * h, prev = h;
  params += double(prev) * 2 * (data_.obs_dim() + 1);
  double members = 0;
  for (int e : r.sizes) members += e;
  const double per_epoch = 6 * params * 0.8 * double(rows_) * members * 2;
  epochs_ = int(std::clamp(r.work_flops / std::max(1.0, per_epoch), double(r.min_epochs),
                           double(r.max_epochs)));
  study_cfg_.sizes = r.sizes;
  study_cfg_.epochs = epochs_;
  study_cfg_.seed = r.seed;
  ModelConfig c = model_;
  c.prediction = kKinds[0];
  study_ = std::make_unique<EnsembleSizeStudy>(data_, c, study_cfg_);
}

bool EnsembleSizeComparison::step() {
  if (done()) return false;
  const bool more = study_->step();
  results_[kind_] = study_->results();
  if (more) return true;
  if (++kind_ >= 2) return false;
  ModelConfig c = model_;
  c.prediction = kKinds[kind_];
  study_ = std::make_unique<EnsembleSizeStudy>(data_, c, study_cfg_);
  return true;
}

double EnsembleSizeComparison::progress() const {
  return done() ? 1.0 : (kind_ + study_->progress()) / 2;
}

EnsembleSizeFigures ensemble_size_figures(const std::vector<EnsembleSizePoint>& probabilistic,
                                          const std::vector<EnsembleSizePoint>& deterministic) {
  EnsembleSizeFigures f{{"ensemble_size_mse", "Validation MSE vs ensemble size", "ensemble size E",
                         "MSE (normalised)", {}, false},
                        {"ensemble_size_nll", "Validation NLL vs ensemble size", "ensemble size E",
                         "NLL (nats per dim)", {}, false},
                        ""};
  for (int k = 0; k < 2; ++k) {
    auto& a = f.mse.series_named(kLabels[k]);
    auto& b = f.nll.series_named(kLabels[k]);
    for (const auto& p : k == 0 ? probabilistic : deterministic) {
      a.x.push_back(p.size), a.y.push_back(p.val_mse);
      b.x.push_back(p.size), b.y.push_back(p.val_nll);
    }
  }
  double top = -INFINITY, bottom = INFINITY;
  for (double y : f.nll.series[0].y) top = std::max(top, y), bottom = std::min(bottom, y);
  const double limit = std::isfinite(top) ? top + 3 * std::max(1.0, top - bottom) : INFINITY;
  Series& de = f.nll.series[1];
  for (size_t i = 0; i < de.y.size(); ++i)
    if (!(de.y[i] <= limit)) {
      char b[96];
      std::snprintf(b, sizeof b, "%sDE with E = %g: NLL %.3g", f.off_scale.empty() ? "" : "; ",
                    de.x[i], de.y[i]);
      f.off_scale += b;
      de.y[i] = NAN;
    }
  return f;
}

std::string ensemble_size_csv(const std::vector<EnsembleSizePoint>& probabilistic,
                              const std::vector<EnsembleSizePoint>& deterministic) {
  Table t({"kind", "size", "val_mse", "val_nll", "train_mse"});
  for (int k = 0; k < 2; ++k)
    for (const auto& p : k == 0 ? probabilistic : deterministic)
      t.add_row({kKinds[k], p.size, p.val_mse, p.val_nll, p.train_mse});
  return t.to_csv();
}

}  // namespace dynalab
