#include "core/analysis/gradient_vs_horizon.h"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/gradients/likelihood_ratio_gradient.h"
#include "core/rng.h"

namespace dynalab {

namespace {

// log10 of the trace of the sample covariance of `estimates` (one per batch).
double log10_variance(const std::vector<Eigen::VectorXd>& estimates) {
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(estimates.front().size());
  for (const Eigen::VectorXd& g : estimates) mean += g / double(estimates.size());
  double sum = 0;
  for (const Eigen::VectorXd& g : estimates) sum += (g - mean).squaredNorm();
  return std::log10(sum / double(estimates.size() - 1));
}

}  // namespace

GradientVsHorizon gradient_vs_horizon(const DifferentiableDynamics& f,
                                      const DifferentiableReward& r, const SquashedPolicy& policy,
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
    const bool noisy = options.action_noise_std > 0;
    std::vector<PathwiseResult> results;
    std::vector<Eigen::VectorXd> pathwise, likelihood_ratio;
    for (size_t b = 0; b < batches.size(); ++b) {
      ActionNoise noise;
      if (noisy) {
        Rng rng = Rng::derive(options.noise_seed, {uint64_t(H), uint64_t(b)});
        noise = ActionNoise::draw(int(batches[b].size()), H, f.action_dim(), options.action_noise_std, rng);
        o.action_noise = &noise;
      }
      results.push_back(pathwise_gradient(f, r, policy, batches[b], o));
      if (!noisy) continue;
      const PathwiseResult& p = results.back();  // unclipped, as the norm
      pathwise.push_back(p.clipped ? Eigen::VectorXd(p.gradient * (p.gradient_norm / o.clip_norm)) : p.gradient);
      LikelihoodRatioOptions lo;
      lo.horizon = H;
      lo.gamma = options.gamma;
      likelihood_ratio.push_back(likelihood_ratio_gradient(f, r, policy, batches[b], noise, lo).gradient);
    }
    o.action_noise = nullptr;
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
    if (noisy) {
      row.log10_pathwise_variance = log10_variance(pathwise);
      row.log10_likelihood_ratio_variance = log10_variance(likelihood_ratio);
    }
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

double equilibrium_growth_rate(const DifferentiableDynamics& f, const Vec& obs, const Vec& action) {
  Eigen::MatrixXd A, B;
  f.jacobians(obs, action, A, B);
  return std::log(Eigen::EigenSolver<Eigen::MatrixXd>(A, false).eigenvalues().cwiseAbs().maxCoeff());
}

void add_gradient_vs_horizon_figures(std::vector<Figure>& figures, const GradientVsHorizon& g,
                                     const std::optional<UnstableEquilibrium>& physics,
                                     bool with_variance) {
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
  // A rate per step as a line of its slope (in log10) from sigma's first point.
  auto slope_line = [&](const std::string& name, double rate_per_step) {
    Series p{name, {}, {}};
    for (double h : {jac.x.front(), jac.x.back()}) {
      p.x.push_back(h);
      p.y.push_back(jac.y.front() + rate_per_step / std::log(10.0) * (h - jac.x.front()));
    }
    return p;
  };
  std::vector<Series> lines;
  if (physics && !jac.x.empty())
    lines.push_back(slope_line("physics' rate", physics->rate * physics->control_dt));
  if (std::isfinite(g.equilibrium_rate_per_step) && !jac.x.empty())
    lines.push_back(slope_line("model's rate", g.equilibrium_rate_per_step));
  norm.series = {std::move(grad), std::move(jac)};
  for (Series& l : lines) norm.series.push_back(std::move(l));
  Figure cosine;
  cosine.id = "gradient_cosine_vs_horizon";
  cosine.title = "Does the gradient's direction mean anything?";
  cosine.x_label = "horizon H (steps)";
  cosine.y_label = "cosine between batches' gradients";
  cosine.series = {std::move(cos)};
  figures.push_back(std::move(norm));
  figures.push_back(std::move(cosine));
  Series rp{"pathwise (RP)", {}, {}}, lr{"likelihood ratio (LR)", {}, {}};
  for (const GradientVsHorizonRow& r : g.rows) {
    if (!std::isfinite(r.log10_pathwise_variance)) continue;
    rp.x.push_back(r.horizon);
    rp.y.push_back(r.log10_pathwise_variance);
    lr.x.push_back(r.horizon);
    lr.y.push_back(r.log10_likelihood_ratio_variance);
  }
  if (!with_variance) return;
  Figure variance;
  variance.id = "gradient_variance_vs_horizon";
  variance.title = "Gradient variance: pathwise vs likelihood ratio";
  variance.x_label = "horizon H (steps)";
  variance.y_label = "log10 variance of the batch gradient";
  variance.series = {std::move(rp), std::move(lr)};
  figures.push_back(std::move(variance));
}

}  // namespace dynalab
