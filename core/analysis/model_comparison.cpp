#include "core/analysis/model_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/config.h"
#include "core/io/table.h"
#include "core/models/bnn/bnn_dynamics.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"

namespace dynalab {

namespace {
// Rng::derive paths under the recipe's seed: per model k {k, kInit} and {k, kTrain}; the GP's
// function draws and the BNN's redraws have streams of their own, so neither moves the fits.
constexpr uint64_t kInit = 0, kTrain = 1, kFunctionDraws = 0xf5, kNetworkDraws = 0xd7;

// What the members are called in each model's legend.
const char* const kMembersLabel[] = {"members' means", "posterior mean", "weight draws"};
const char* const kMemberLabel[] = {"member", "member", "weight draw"};
}  // namespace

const std::array<std::string, kComparedModels>& compared_model_types() {
  static const std::array<std::string, kComparedModels> k = {"ensemble", "gp", "bnn"};
  return k;
}

const std::array<std::string, kComparedModels>& compared_model_titles() {
  static const std::array<std::string, kComparedModels> k = {"Ensemble", "Gaussian process",
                                                            "Bayesian NN"};
  return k;
}

Dataset two_clusters(const Dataset& data, int dim, double gap) {
  if (!(gap > 0 && gap < 1))
    throw InputError("model_comparison: gap: expected a fraction in (0, 1), got " + std::to_string(gap));
  if (dim < 0 || dim >= data.obs_dim())
    throw InputError("model_comparison: slice dim: expected an obs dim in [0, " +
                     std::to_string(data.obs_dim() - 1) + "], got " + std::to_string(dim));
  Dataset out(data.obs_dim(), data.action_dim());
  if (data.empty()) return out;
  const Eigen::VectorXd x = data.observations().col(dim);
  const double lo = x.minCoeff(), hi = x.maxCoeff(), side = (hi - lo) * (1 - gap) / 2;
  for (size_t i = 0; i < data.size(); ++i)
    if (x[Eigen::Index(i)] <= lo + side || x[Eigen::Index(i)] >= hi - side) out.add(data.at(i));
  return out;
}

ModelComparisonFit::ModelComparisonFit(const Dataset& data, const ModelConfig& model,
                                       const ModelComparisonRecipe& r)
    : dim_(r.slice.dim), two_clusters_(r.two_clusters), source_rows_(data.size()), seed_(r.seed) {
  if (r.slice.dim < 0 || r.slice.dim >= data.obs_dim())
    throw InputError("model_comparison: slice dim: expected an obs dim in [0, " +
                     std::to_string(data.obs_dim() - 1) + "], got " + std::to_string(r.slice.dim));
  data_ = std::make_shared<const Dataset>(r.two_clusters ? dynalab::two_clusters(data, r.slice.dim, r.gap) : data);
  if (data_->size() < 8)
    throw InputError("model_comparison: expected at least 8 transitions to fit, got " +
                     std::to_string(data_->size()) +
                     (r.two_clusters ? " in the two clusters of " + std::to_string(data.size()) : ""));
  for (int k = 0; k < kComparedModels; ++k) {
    ModelConfig c = model;
    c.type = compared_model_types()[size_t(k)];
    c.threads = 1;  // the lab's worker is one thread; results do not depend on it
    // What each kind requires of the shared fields: a BNN's likelihood is Gaussian, a GP
    // regressor predicts no probability of termination, and system_id has no networks at all.
    if (c.type == "bnn" || c.prediction == "system_id") c.prediction = "probabilistic";
    if (c.type == "gp") c.learn_termination = false;
    models_[size_t(k)] = make_learned_model(c, data.obs_dim(), data.action_dim(),
                                            Rng::derive(r.seed, {uint64_t(k), kInit}).next_u64());
    rngs_.push_back(Rng::derive(r.seed, {uint64_t(k), kTrain}));
    max_units_[size_t(k)] =
        c.type == "gp" ? (c.gp.optimizer_iterations + c.gp.iterations_per_epoch - 1) / c.gp.iterations_per_epoch
                       : c.epochs;
  }
}

bool ModelComparisonFit::step() {
  if (done()) return false;
  const size_t k = size_t(current_);
  LearnedModel& m = *models_[k];
  if (!begun_) m.begin_training(*data_, rngs_[k]), begun_ = true;
  m.train_epoch(rngs_[k]);
  ++units_[k];
  if (m.training_done()) ++current_, begun_ = false;
  return !done();
}

std::string ModelComparisonFit::stage() const {
  if (done()) return "fitted";
  static const char* const names[] = {"the ensemble", "the Gaussian process", "the Bayesian NN"};
  char b[128];
  std::snprintf(b, sizeof b, "fitting %s (%d of at most %d %s)", names[current_],
                units_[size_t(current_)], max_units_[size_t(current_)],
                current_ == 1 ? "L-BFGS units" : "epochs");
  return b;
}

double ModelComparisonFit::progress() const {
  if (done()) return 1;
  const double part = std::min(1.0, double(units_[size_t(current_)]) /
                                        std::max(1, max_units_[size_t(current_)]));
  return (current_ + part) / kComparedModels;
}

namespace {

// Mean epistemic SD along the slice in the middle gap_fraction of [lo, hi] (gap) and outside it
// (clusters); points outside [lo, hi] count for neither.
void gap_and_clusters(const DisagreementSlice& s, double lo, double hi, double gap_fraction,
                      double& gap, double& clusters) {
  const double t1 = lo + (hi - lo) * (1 - gap_fraction) / 2, t2 = hi - (hi - lo) * (1 - gap_fraction) / 2;
  double sg = 0, sc = 0;
  int ng = 0, nc = 0;
  for (size_t k = 0; k < s.xs.size(); ++k) {
    const double x = s.xs[k], sd = std::sqrt(std::max(0.0, s.epistemic[k]));
    if (x < lo || x > hi) continue;
    if (x > t1 && x < t2)
      sg += sd, ++ng;
    else
      sc += sd, ++nc;
  }
  gap = ng ? sg / ng : std::nan("");
  clusters = nc ? sc / nc : std::nan("");
}

// The slices' shared y range: the means and the data with room for the bands, but no more than
// half their span on each side (a GP reverts to its prior sd away from the data and an ensemble
// may fan out by orders of magnitude there: such a band is cut at the frame rather than flatten
// the other two panels' bands to lines).
void shared_y_range(const std::array<ComparedModel, kComparedModels>& ms, double& y_lo, double& y_hi) {
  double lo = INFINITY, hi = -INFINITY, blo = INFINITY, bhi = -INFINITY;
  for (const ComparedModel& m : ms) {
    const DisagreementSlice& s = m.slice.slice;
    for (size_t k = 0; k < s.mean.size(); ++k) {
      const double sd = 2 * std::sqrt(std::max(0.0, s.total(int(k))));
      lo = std::min(lo, s.mean[k]), hi = std::max(hi, s.mean[k]);
      blo = std::min(blo, s.mean[k] - sd), bhi = std::max(bhi, s.mean[k] + sd);
    }
    for (double y : m.slice.py) lo = std::min(lo, y), hi = std::max(hi, y);
  }
  if (!(hi >= lo)) {
    y_lo = 0, y_hi = 1;
    return;
  }
  const double span = std::max(hi - lo, 1e-9);
  y_lo = std::max(blo, lo - 0.5 * span), y_hi = std::min(bhi, hi + 0.5 * span);
  const double pad = 0.05 * (y_hi - y_lo);
  y_lo -= pad, y_hi += pad;
}

}  // namespace

ModelComparisonView model_comparison_view(const ModelInputs& in, const ModelComparisonFit& fit,
                                          const ModelComparisonRecipe& r) {
  if (r.function_samples < 0)
    throw InputError("model_comparison: function_samples: expected a count >= 0, got " +
                     std::to_string(r.function_samples));
  if (r.network_draw < 0)
    throw InputError("model_comparison: network_draw: expected a count >= 0, got " +
                     std::to_string(r.network_draw));
  ModelComparisonView v;
  v.rows = fit.data()->size(), v.source_rows = fit.source_rows();
  v.two_clusters = fit.two_clusters(), v.network_draw = r.network_draw;
  // The fit data as the views' training data (the dots show the gap), on the axes of the
  // experiment's data (the same axes with and without the gap).
  ModelInputs base = in;
  base.training_data = fit.data();
  auto summary = std::make_shared<TrainingSummary>(*training_summary(*fit.data()));
  if (in.summary && in.summary->lo.size() == summary->lo.size())
    summary->lo = summary->lo.cwiseMin(in.summary->lo), summary->hi = summary->hi.cwiseMax(in.summary->hi);
  base.summary = summary;
  UncertaintySliceRecipe sr = r.slice;
  sr.function_samples = r.function_samples;
  sr.sample_seed = Rng::derive(fit.seed(), {kFunctionDraws}).next_u64();
  for (int k = 0; k < kComparedModels; ++k) {
    ComparedModel& m = v.models[size_t(k)];
    m.type = compared_model_types()[size_t(k)], m.title = compared_model_titles()[size_t(k)];
    std::shared_ptr<const LearnedModel> model = fit.model(k);
    if (m.type == "bnn" && r.network_draw > 0) {
      // A new set of weight draws from the same posterior: nothing is refit.
      auto copy = model->clone();
      dynamic_cast<BnnDynamics&>(*copy).draw_posterior_samples(
          Rng::derive(fit.seed(), {kNetworkDraws, uint64_t(r.network_draw)}).next_u64());
      model = copy;
    }
    base.model = model;
    m.slice = uncertainty_slice_view(base, sr);
    m.map = disagreement_map_view(base, r.map);
    m.shape = model->describe_shape() + (model->diverged() ? " (diverged)" : "");
    m.units = fit.units(k);
  }
  const Eigen::VectorXd x = fit.data()->observations().col(r.slice.dim);
  const double lo = x.minCoeff(), hi = x.maxCoeff();
  v.gap_lo = lo + (hi - lo) * (1 - r.gap) / 2, v.gap_hi = hi - (hi - lo) * (1 - r.gap) / 2;
  for (ComparedModel& m : v.models)
    gap_and_clusters(m.slice.slice, lo, hi, r.gap, m.gap_sd, m.cluster_sd);
  shared_y_range(v.models, v.y_lo, v.y_hi);
  return v;
}

ModelComparisonView fit_model_comparison(const ModelInputs& in, const ModelComparisonRecipe& recipe) {
  ModelComparisonFit fit(*in.training_data, in.model->config(), recipe);
  fit.run();
  return model_comparison_view(in, fit, recipe);
}

std::vector<Figure> model_comparison_figures(const ModelComparisonView& v,
                                             const std::vector<std::string>& names) {
  std::vector<Figure> out;
  for (int k = 0; k < kComparedModels; ++k) {
    const ComparedModel& m = v.models[size_t(k)];
    Figure f = uncertainty_slice_figure(m.slice, names);
    f.id = "model_comparison_" + m.type;
    f.title = m.title;
    f.x_label = names.at(size_t(m.slice.slice.x.dim));  // three narrow plots: the dim's name only
    f.y_lo = v.y_lo, f.y_hi = v.y_hi;
    for (Series& s : f.series) {
      if (s.label == "members' means") s.label = kMembersLabel[k];
      else if (s.label.rfind("member ", 0) == 0) s.label = kMemberLabel[k] + s.label.substr(6);
      else if (s.label == "training data (near the slice)") s.label = "fit data (near the slice)";
    }
    if (v.two_clusters) {  // where the data were removed: the point of the view
      Series& g = f.series_named(kGapEdgesLabel);
      const double nan = std::numeric_limits<double>::quiet_NaN();
      g.x = {v.gap_lo, v.gap_lo, nan, v.gap_hi, v.gap_hi};
      g.y = {v.y_lo, v.y_hi, nan, v.y_lo, v.y_hi};
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Heatmap> model_comparison_heatmaps(const ModelComparisonView& v,
                                               const std::vector<std::string>& names) {
  std::vector<Heatmap> out;
  double lo = INFINITY, hi = 0;
  for (const ComparedModel& m : v.models) {
    Heatmap h = disagreement_map_heatmaps(m.map, names, true).front();
    h.title = m.title + ": epistemic sd";
    h.value_label = "sd of s'";  // the root of the map's variance, summed over the obs dims
    for (double& x : h.values) {
      x = std::sqrt(std::max(0.0, x));
      if (x > 0) lo = std::min(lo, x), hi = std::max(hi, x);
    }
    h.points_label = "";  // three narrow maps: no legend box over the data
    out.push_back(std::move(h));
  }
  // One colour scale for the three, so a colour means the same SD in each; at most four
  // decades (a GP's latent SD at its own points is nearly 0 and would take the whole scale).
  if (hi > 0)
    for (Heatmap& h : out) h.v_hi = hi, h.v_lo = std::max(lo, hi * 1e-4);
  return out;
}

std::string model_comparison_summary_csv(const ModelComparisonView& v) {
  Table t({"model", "title", "rows", "source_rows", "two_clusters", "network_draw", "gap_lo",
           "gap_hi", "gap_sd", "cluster_sd", "gap_ratio"});
  for (const ComparedModel& m : v.models)
    t.add_row({m.type, m.title, v.rows, v.source_rows, v.two_clusters ? 1 : 0, v.network_draw,
               v.gap_lo, v.gap_hi, m.gap_sd, m.cluster_sd, m.gap_ratio()});
  return t.to_csv();
}

std::string gap_ratios_text(const ModelComparisonView& v) {
  std::string s;
  for (const ComparedModel& m : v.models) {
    char b[64];
    std::snprintf(b, sizeof b, "%s%s %.2fx", s.empty() ? "" : ", ", m.type.c_str(), m.gap_ratio());
    s += b;
  }
  return s;
}

}  // namespace dynalab
