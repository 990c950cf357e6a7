#include "core/analysis/disagreement_map.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/models/dynamics_model.h"
#include "core/rng.h"

namespace dynalab {

namespace {

void check(const DynamicsModel& model, const Vec& base, const Vec& action, const SliceAxis& a,
           const char* what) {
  if (base.size() != model.obs_dim() || action.size() != model.action_dim())
    throw std::invalid_argument(std::string(what) + ": base state or action has the wrong size");
  if (a.dim < 0 || a.dim >= model.obs_dim() || a.n < 1)
    throw std::invalid_argument(std::string(what) + ": axis dim out of range or n < 1");
}

// The moments of every row of `obs` with `action`, all in one batch.
void predict_moments_rows(const DynamicsModel& model, const RowMatrixXf& obs, const Vec& action,
                          const std::vector<int>& members, PredictiveMoments& out) {
  RowMatrixXf act(obs.rows(), model.action_dim());
  act.rowwise() = action.cast<float>().transpose();
  model.predict_moments(obs, act, members, out);
}

// Predicts every row of `obs` with `action`, all in one batch.
void predict_rows(const DynamicsModel& model, const RowMatrixXf& obs, const Vec& action,
                  MemberPredictions& pred) {
  RowMatrixXf act(obs.rows(), model.action_dim());
  act.rowwise() = action.cast<float>().transpose();
  model.predict(obs, act, pred);
}

// Epistemic and aleatoric variance of output dim d (or summed over obs dims if d < 0) at row i.
void split_variance(const PredictiveMoments& m, int obs_dim, int d, Eigen::Index i,
                    double& epistemic, double& aleatoric) {
  const int lo = d < 0 ? 0 : d, n = d < 0 ? obs_dim : 1;
  epistemic = m.epistemic.row(i).segment(lo, n).sum();
  aleatoric = m.aleatoric.row(i).segment(lo, n).sum();
}

}  // namespace

DisagreementMap disagreement_map(const DynamicsModel& model, const Vec& base, const Vec& action,
                                 const SliceAxis& x, const SliceAxis& y,
                                 const DisagreementOptions& o) {
  check(model, base, action, x, "disagreement_map");
  check(model, base, action, y, "disagreement_map");
  if (o.output_dim >= model.obs_dim())
    throw std::invalid_argument("disagreement_map: output_dim out of range");
  DisagreementMap map;
  map.x = x;
  map.y = y;
  map.output_dim = o.output_dim < 0 ? -1 : o.output_dim;
  const auto members = model.member_set(o.elites_only);
  map.members = int(members.size());
  for (int k = 0; k < x.n; ++k) map.xs.push_back(x.at(k));
  for (int k = 0; k < y.n; ++k) map.ys.push_back(y.at(k));
  const Eigen::Index n = Eigen::Index(x.n) * y.n;
  RowMatrixXf obs(n, model.obs_dim());
  obs.rowwise() = base.cast<float>().transpose();
  for (int iy = 0; iy < y.n; ++iy)
    for (int ix = 0; ix < x.n; ++ix) {
      // x set after y: if both axes are the same dim, x wins (a 1-D env's degenerate map).
      obs(Eigen::Index(iy) * x.n + ix, y.dim) = float(map.ys[iy]);
      obs(Eigen::Index(iy) * x.n + ix, x.dim) = float(map.xs[ix]);
    }
  PredictiveMoments moments;
  predict_moments_rows(model, obs, action, members, moments);
  map.epistemic.resize(size_t(n));
  map.aleatoric.resize(size_t(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    split_variance(moments, model.obs_dim(), map.output_dim, i, map.epistemic[i], map.aleatoric[i]);
    map.max_epistemic = std::max(map.max_epistemic, map.epistemic[i]);
    map.max_aleatoric = std::max(map.max_aleatoric, map.aleatoric[i]);
  }
  return map;
}

DisagreementSlice disagreement_slice(const DynamicsModel& model, const Vec& base, const Vec& action,
                                     const SliceAxis& x, const DisagreementOptions& o) {
  check(model, base, action, x, "disagreement_slice");
  if (o.output_dim >= model.obs_dim())
    throw std::invalid_argument("disagreement_slice: output_dim out of range");
  DisagreementSlice s;
  s.x = x;
  s.output_dim = o.output_dim < 0 ? x.dim : o.output_dim;
  const auto members = model.member_set(o.elites_only);
  s.members = int(members.size());
  RowMatrixXf obs(x.n, model.obs_dim());
  obs.rowwise() = base.cast<float>().transpose();
  for (int k = 0; k < x.n; ++k) {
    s.xs.push_back(x.at(k));
    obs(k, x.dim) = float(s.xs[k]);
  }
  MemberPredictions pred;
  predict_rows(model, obs, action, pred);
  PredictiveMoments moments;
  predict_moments_rows(model, obs, action, members, moments);
  const int d = s.output_dim;
  s.member_means.resize(size_t(s.members) * x.n);
  s.member_vars.resize(size_t(s.members) * x.n);
  s.mean.assign(x.n, 0.0);
  s.epistemic.resize(x.n);
  s.aleatoric.resize(x.n);
  for (int k = 0; k < x.n; ++k) {
    for (int j = 0; j < s.members; ++j) {
      // s' = s + predicted delta (the members predict the change of the state).
      const double v = double(obs(k, d)) + pred.mean[members[j]](k, d);
      s.member_means[size_t(j) * x.n + k] = v;
      s.member_vars[size_t(j) * x.n + k] = pred.var[members[j]](k, d);
      s.mean[k] += v / s.members;
    }
    split_variance(moments, model.obs_dim(), d, k, s.epistemic[k], s.aleatoric[k]);
  }
  // A model whose members are not function draws (a GP) gives a few joint posterior draws.
  if (o.function_samples > 0) {
    RowMatrixXf act(obs.rows(), model.action_dim());
    act.rowwise() = action.cast<float>().transpose();
    Rng rng(o.sample_seed);
    Eigen::MatrixXd draws;
    if (model.sample_functions(obs, act, d, o.function_samples, rng, draws)) {
      s.function_samples = int(draws.rows());
      s.sample_means.resize(size_t(draws.rows()) * x.n);
      for (Eigen::Index j = 0; j < draws.rows(); ++j)
        for (int k = 0; k < x.n; ++k) s.sample_means[size_t(j) * x.n + k] = double(obs(k, d)) + draws(j, k);
    }
  }
  return s;
}

}  // namespace dynalab
