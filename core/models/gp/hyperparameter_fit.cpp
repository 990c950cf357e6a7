#include "core/models/gp/hyperparameter_fit.h"

#include <lbfgs.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace dynalab::gp {

namespace {

/// hypCurb.m's penalty power.
constexpr int kCurbPower = 30;

double gp_column_std(const Eigen::VectorXd& v) {
  if (v.size() < 2) return 1;
  const double s = std::sqrt((v.array() - v.mean()).square().sum() / double(v.size() - 1));
  return s > 0 && std::isfinite(s) ? s : 1;
}

/// State of one fit_hyperparameters call, seen by liblbfgs's callbacks.
struct FitProblem {
  GaussianProcess* gp = nullptr;
  const FitOptions* opt = nullptr;
  Eigen::VectorXd input_std;
  double best_f = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_theta;
  double last_progress_f = std::numeric_limits<double>::infinity();
  int evaluations = 0, iterations = 0;
  bool ftol_stop = false;

  /// theta from the optimiser's coordinates z (z_noise = 1/2 log(sn^2 - floor)).
  Eigen::VectorXd theta_of(const double* z) const {
    const int P = gp->kernel().num_params(), ni = gp->kernel().noise_index();
    Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(z, P);
    theta[ni] = 0.5 * std::log(opt->min_noise_variance + std::exp(2 * z[ni]));
    return theta;
  }

  double evaluate(const double* z, double* g) {
    ++evaluations;
    const int P = gp->kernel().num_params(), ni = gp->kernel().noise_index();
    const Eigen::VectorXd theta = theta_of(z);
    Eigen::VectorXd grad = Eigen::VectorXd::Zero(P);
    double f;
    try {
      gp->set_params(theta);
      f = -gp->log_marginal_likelihood();
      grad = -gp->log_marginal_likelihood_gradient();
      f += hyperparameter_penalty(theta, input_std, *opt, &grad);
    } catch (const std::runtime_error&) {
      f = std::numeric_limits<double>::infinity();
    }
    if (!std::isfinite(f) || !grad.allFinite()) {
      // A large finite value with a zero gradient: the line search shortens the step (an
      // infinity would turn its cubic interpolation into NaN).
      for (int j = 0; j < P; ++j) g[j] = 0;
      return 1e300;
    }
    if (f < best_f) {
      best_f = f;
      best_theta = theta;
    }
    // Chain rule through the noise transform: d theta_n / d z = e^{2z} / (floor + e^{2z}).
    const double e = std::exp(2 * z[ni]);
    grad[ni] *= e / (opt->min_noise_variance + e);
    for (int j = 0; j < P; ++j) g[j] = grad[j];
    return f;
  }
};

lbfgsfloatval_t gp_fit_evaluate(void* instance, const lbfgsfloatval_t* z, lbfgsfloatval_t* g, int,
                                const lbfgsfloatval_t) {
  return static_cast<FitProblem*>(instance)->evaluate(z, g);
}

int gp_fit_progress(void* instance, const lbfgsfloatval_t*, const lbfgsfloatval_t*,
                    const lbfgsfloatval_t fx, const lbfgsfloatval_t, const lbfgsfloatval_t,
                    const lbfgsfloatval_t, int, int k, int) {
  auto* p = static_cast<FitProblem*>(instance);
  p->iterations = k;
  const double prev = p->last_progress_f;
  p->last_progress_f = fx;
  if (std::isfinite(prev) &&
      prev - fx <= p->opt->ftol * std::max({std::abs(prev), std::abs(fx), 1.0})) {
    p->ftol_stop = true;
    return 1;  // stops lbfgs(), which returns this value
  }
  return 0;
}

}  // namespace

Eigen::VectorXd initial_hyperparameters(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  const int d = int(X.cols());
  Eigen::VectorXd theta(d + 2);
  for (int k = 0; k < d; ++k) theta[k] = std::log(gp_column_std(X.col(k)));
  const double sf = gp_column_std(y);
  theta[d] = std::log(sf);
  theta[d + 1] = std::log(sf / 10);
  return theta;
}

double hyperparameter_penalty(const Eigen::VectorXd& theta, const Eigen::VectorXd& input_std,
                              const FitOptions& opt, Eigen::VectorXd* grad) {
  const int d = int(theta.size()) - 2;
  const double p = kCurbPower;
  double f = 0;
  const double lr = std::log(opt.max_lengthscale_ratio);
  for (int k = 0; k < d; ++k) {
    const double u = (theta[k] - std::log(input_std[k])) / lr;
    f += std::pow(u, p);
    if (grad) (*grad)[k] += p * std::pow(u, p - 1) / lr;
  }
  const double ls = std::log(opt.max_signal_to_noise);
  const double u = (theta[d] - theta[d + 1]) / ls;
  f += std::pow(u, p);
  if (grad) {
    (*grad)[d] += p * std::pow(u, p - 1) / ls;
    (*grad)[d + 1] -= p * std::pow(u, p - 1) / ls;
  }
  return f;
}

FitResult fit_hyperparameters(GaussianProcess& gp, const FitOptions& opt) {
  if (gp.size() == 0) throw std::invalid_argument("fit_hyperparameters: the GP holds no data");
  const int P = gp.kernel().num_params(), ni = gp.kernel().noise_index();
  FitProblem prob;
  prob.gp = &gp;
  prob.opt = &opt;
  prob.input_std.resize(gp.input_dim());
  for (int k = 0; k < gp.input_dim(); ++k) prob.input_std[k] = gp_column_std(gp.inputs().col(k));

  Eigen::VectorXd theta0 = gp.params();
  std::vector<lbfgsfloatval_t> z(theta0.data(), theta0.data() + P);
  const double excess = gp.kernel().noise_variance() - opt.min_noise_variance;
  // At or below the floor: start at twice the floor (z = 1/2 log floor), where the transform's
  // slope is 1/2 rather than ~0.
  z[ni] = 0.5 * std::log(excess > opt.min_noise_variance * 1e-3 ? excess : opt.min_noise_variance);

  FitResult r;
  if (opt.max_iterations <= 0) {
    std::vector<double> g(P);
    r.objective = prob.evaluate(z.data(), g.data());
    r.log_likelihood = gp.log_marginal_likelihood();
    return r;
  }
  lbfgs_parameter_t param;
  lbfgs_parameter_init(&param);
  param.max_iterations = opt.max_iterations;
  double fx = 0;
  r.status = lbfgs(P, z.data(), &fx, gp_fit_evaluate, gp_fit_progress, &prob, &param);
  r.iterations = prob.iterations;
  r.evaluations = prob.evaluations;
  // Converged: the gradient test (LBFGS_SUCCESS), already at a minimum, the ftol test, or a
  // line search that can make no more progress (liblbfgs then reverts to the last good point).
  // Only the iteration limit leaves work to do.
  r.converged = r.status != LBFGSERR_MAXIMUMITERATION;
  if (prob.best_theta.size() == P) {
    gp.set_params(prob.best_theta);
  } else {
    gp.set_params(theta0);  // no finite evaluation: keep the start
  }
  r.log_likelihood = gp.log_marginal_likelihood();
  r.objective = -r.log_likelihood + hyperparameter_penalty(gp.params(), prob.input_std, opt, nullptr);
  return r;
}

}  // namespace dynalab::gp
