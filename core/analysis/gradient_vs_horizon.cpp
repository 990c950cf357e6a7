#include "core/analysis/gradient_vs_horizon.h"

#include <Eigen/SVD>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace dynalab {

GradientVsHorizon gradient_vs_horizon(const DifferentiableDynamics& f,
                                      const DifferentiableReward& r, const TanhPolicy& policy,
                                      const std::vector<std::vector<Vec>>& batches,
                                      const GradientVsHorizonOptions& options) {
  if (batches.size() < 2)
    throw std::invalid_argument("gradient_vs_horizon: at least two batches of start states");
  GradientVsHorizon out;
  for (int H : options.horizons) {
    PathwiseOptions o;
    o.horizon = H;
    o.gamma = options.gamma;
    o.clip_norm = options.clip_norm;
    o.truncation = options.truncation;
    o.state_jacobian = true;
    std::vector<PathwiseResult> results;
    for (const std::vector<Vec>& batch : batches) results.push_back(pathwise_gradient(f, r, policy, batch, o));
    GradientVsHorizonRow row;
    row.horizon = H;
    double log_sum = 0, cos_sum = 0, objective = 0, sigma_sum = 0;
    int pairs = 0, starts = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      const PathwiseResult& a = results[i];
      log_sum += std::log10(a.gradient_norm);
      objective += a.objective * double(batches[i].size());
      starts += int(batches[i].size());
      for (size_t j = i + 1; j < results.size(); ++j, ++pairs) {
        const double na = a.gradient.norm(), nb = results[j].gradient.norm();
        cos_sum += na > 0 && nb > 0 ? a.gradient.dot(results[j].gradient) / (na * nb) : 0.0;
      }
      for (const Eigen::MatrixXd& J : a.state_jacobian) {
        const double s = Eigen::JacobiSVD<Eigen::MatrixXd>(J).singularValues()[0];
        sigma_sum += s > 0 ? std::log10(s) : -std::numeric_limits<double>::infinity();
      }
    }
    row.log10_gradient_norm = log_sum / double(results.size());
    row.cosine = cos_sum / pairs;
    row.objective = objective / starts;
    row.log10_state_jacobian = sigma_sum / starts;
    out.rows.push_back(row);
  }
  out.growth_rate_per_step = growth_rate_per_step(out.rows);
  return out;
}

double growth_rate_per_step(const std::vector<GradientVsHorizonRow>& rows) {
  std::vector<double> hs, logs;
  for (const GradientVsHorizonRow& r : rows)
    if (std::isfinite(r.log10_state_jacobian)) {
      hs.push_back(r.horizon);
      logs.push_back(r.log10_state_jacobian * std::log(10.0));
    }
  if (hs.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double mh = 0, ml = 0;
  for (size_t i = 0; i < hs.size(); ++i) mh += hs[i] / hs.size(), ml += logs[i] / hs.size();
  double num = 0, den = 0;
  for (size_t i = 0; i < hs.size(); ++i)
    num += (hs[i] - mh) * (logs[i] - ml), den += (hs[i] - mh) * (hs[i] - mh);
  return den > 0 ? num / den : std::numeric_limits<double>::quiet_NaN();
}

void add_gradient_vs_horizon_figures(std::vector<Figure>& figures, const GradientVsHorizon& g,
                                     const std::optional<UnstableEquilibrium>& physics) {
  // The series are filled apart and moved in at the end: series_named's references do not
  // survive the next series_named.
  Series grad{"|dJ/dtheta|", {}, {}}, jac{"sigma_max(ds_H/ds_0)", {}, {}}, cos{"cosine", {}, {}};
  for (const GradientVsHorizonRow& r : g.rows) {
    grad.x.push_back(r.horizon);
    grad.y.push_back(r.log10_gradient_norm);
    cos.x.push_back(r.horizon);
    cos.y.push_back(r.cosine);
    if (!std::isfinite(r.log10_state_jacobian)) continue;
    jac.x.push_back(r.horizon);
    jac.y.push_back(r.log10_state_jacobian);
  }
  Figure norm;
  norm.id = "gradient_norm_vs_horizon";
  norm.title = "Gradient and Jacobian vs horizon (log10)";
  norm.x_label = "horizon H (steps)";
  norm.y_label = "log10 of the norm";
  if (physics && !jac.x.empty()) {
    Series p{"physics: " + physics->formula, {}, {}};
    const double slope = physics->rate * physics->control_dt / std::log(10.0);
    for (double h : {jac.x.front(), jac.x.back()}) {
      p.x.push_back(h);
      p.y.push_back(jac.y.front() + slope * (h - jac.x.front()));
    }
    norm.series = {std::move(grad), std::move(jac), std::move(p)};
  } else {
    norm.series = {std::move(grad), std::move(jac)};
  }
  Figure cosine;
  cosine.id = "gradient_cosine_vs_horizon";
  cosine.title = "Does the gradient's direction mean anything?";
  cosine.x_label = "horizon H (steps)";
  cosine.y_label = "cosine between batches' gradients";
  cosine.series = {std::move(cos)};
  figures.push_back(std::move(norm));
  figures.push_back(std::move(cosine));
}

}  // namespace dynalab
