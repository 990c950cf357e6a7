#include "core/analysis/uncertainty_slice_recipe.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/analysis/knn.h"
#include "core/io/table.h"
#include "core/models/learned_model.h"

namespace dynalab {

int partner_dim(int dim, int obs_dim) { return (dim + std::max(1, obs_dim / 2)) % obs_dim; }

UncertaintySliceView uncertainty_slice_view(const ModelInputs& in, const UncertaintySliceRecipe& r) {
  const int D = in.obs_dim();
  const int out = r.output < 0 ? partner_dim(r.dim, D) : r.output;
  if (r.dim < 0 || r.dim >= D || out >= D)
    throw std::invalid_argument("uncertainty slice: dims must be in [0, " + std::to_string(D - 1) + "]");
  UncertaintySliceView v;
  v.action = r.action.size() > 0 ? r.action : in.plan_action;
  SliceAxis ax{r.dim, 0, 1, r.points};
  axis_range(in, r.dim, r.widen, ax.lo, ax.hi);
  DisagreementOptions o;
  o.output_dim = out;
  o.function_samples = r.function_samples;
  o.sample_seed = r.sample_seed;
  v.slice = disagreement_slice(*in.model, in.state, v.action, ax, o);
  const int n = int(v.slice.xs.size());
  for (int k = 0; k < n; ++k) {
    const double s0 = out == r.dim ? v.slice.xs[k] : in.state[out];
    v.slice.mean[k] -= s0;
    for (int mb = 0; mb < v.slice.members; ++mb) v.slice.member_means[size_t(mb) * n + k] -= s0;
    for (int j = 0; j < v.slice.function_samples; ++j) v.slice.sample_means[size_t(j) * n + k] -= s0;
  }
  v.base = in.state[r.dim];
  v.deterministic_world = in.deterministic_world;
  v.near_sd = r.near_sd;
  if (!in.training_data) return v;
  // Training transitions near the slice, so the dots show what the members were fit to here.
  const Eigen::MatrixXd s = in.training_data->observations(), s1 = in.training_data->next_observations();
  const Eigen::RowVectorXd scale = column_scale(s);
  for (Eigen::Index i = 0; i < s.rows() && int(v.px.size()) < r.max_points; ++i) {
    bool near = true;
    for (Eigen::Index d = 0; d < s.cols() && near; ++d)
      if (d != r.dim) near = std::abs(s(i, d) - in.state[d]) <= r.near_sd * scale[d];
    if (near) v.px.push_back(s(i, r.dim)), v.py.push_back(s1(i, out) - s(i, out));
  }
  return v;
}

Figure uncertainty_slice_figure(const UncertaintySliceView& v, const std::vector<std::string>& names) {
  const DisagreementSlice& sl = v.slice;
  const int n = int(sl.xs.size());
  const std::string dy = "change of " + names.at(size_t(sl.output_dim));
  // A noiseless world has no aleatoric part to show: a band there would be the members' learned
  // guess at noise from the data's spread, read by the audience as noise in the world.
  const bool alea = !v.deterministic_world;
  Figure f{"uncertainty_slice",
           "Predicted " + dy + " in one step, along " + names.at(size_t(sl.x.dim)) +
               (alea ? "" : " (noiseless world)"),
           names.at(size_t(sl.x.dim)) + " (other dims and the action at the current state)",
           dy,
           {},
           false};
  // Bands as +-2 standard deviations around the members' mean: aleatoric (wide where the
  // members expect noise), epistemic (wide where they disagree).
  std::vector<double> alo(n), ahi(n), elo(n), ehi(n);
  for (int k = 0; k < n; ++k) {
    const double sa = 2 * std::sqrt(std::max(0.0, sl.aleatoric[k]));
    const double se = 2 * std::sqrt(std::max(0.0, sl.epistemic[k]));
    alo[k] = sl.mean[k] - sa, ahi[k] = sl.mean[k] + sa;
    elo[k] = sl.mean[k] - se, ehi[k] = sl.mean[k] + se;
  }
  if (alea) {
    f.series.push_back({"aleatoric lo", sl.xs, alo});
    f.series.push_back({"aleatoric +-2 sd", sl.xs, ahi});
  }
  f.series.push_back({"epistemic lo", sl.xs, elo});
  f.series.push_back({"epistemic +-2 sd", sl.xs, ehi});
  for (int mb = 0; mb < sl.members; ++mb)
    f.series.push_back({mb == 0 ? "members' means" : "member " + std::to_string(mb + 1), sl.xs,
                        std::vector<double>(sl.member_means.begin() + size_t(mb) * n,
                                            sl.member_means.begin() + size_t(mb + 1) * n)});
  // A GP has one member (its mean); its joint draws show what functions it still allows.
  for (int j = 0; j < sl.function_samples; ++j)
    f.series.push_back({j == 0 ? "function draws" : "function draw " + std::to_string(j + 1), sl.xs,
                        std::vector<double>(sl.sample_means.begin() + size_t(j) * n,
                                            sl.sample_means.begin() + size_t(j + 1) * n)});
  if (!v.px.empty()) f.series.push_back({"training data (near the slice)", v.px, v.py});
  return f;
}

std::string uncertainty_slice_csv(const UncertaintySliceView& v) {
  const DisagreementSlice& sl = v.slice;
  std::vector<std::string> columns{"x", "mean", "epistemic", "aleatoric"};
  for (int mb = 0; mb < sl.members; ++mb) columns.push_back("member_" + std::to_string(mb + 1));
  for (int j = 0; j < sl.function_samples; ++j) columns.push_back("sample_" + std::to_string(j + 1));
  Table t(std::move(columns));
  const size_t n = sl.xs.size();
  std::vector<double> row;
  for (size_t k = 0; k < n; ++k) {
    row = {sl.xs[k], sl.mean[k], sl.epistemic[k], sl.aleatoric[k]};
    for (int mb = 0; mb < sl.members; ++mb) row.push_back(sl.member_means[size_t(mb) * n + k]);
    for (int j = 0; j < sl.function_samples; ++j) row.push_back(sl.sample_means[size_t(j) * n + k]);
    t.add_row(row);
  }
  return t.to_csv();
}

}  // namespace dynalab
