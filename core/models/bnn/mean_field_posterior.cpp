#include "core/models/bnn/mean_field_posterior.h"

#include <cmath>
#include <limits>
#include <vector>

#include "core/models/bnn/bnn_config.h"
#include "core/models/bulk_normal.h"
#include "core/rng.h"

namespace dynalab {

namespace {

constexpr double kHalfLog2Pi = 0.91893853320467274178;  // 0.5 log(2 pi)

template <class ArrayT>
auto softplus_of(const ArrayT& x) {
  return x.max(0) + (1 + (-x.abs()).exp()).log();
}
template <class ArrayT>
auto sigmoid_of(const ArrayT& x) {
  return 1 / (1 + (-x).exp());
}

}  // namespace

BnnPrior BnnPrior::of(const BnnConfig& c) {
  BnnPrior p;
  p.kind = c.prior == "scale_mixture" ? Kind::scale_mixture : Kind::gaussian;
  p.sigma = c.prior_sigma;
  p.pi = c.mixture_pi;
  p.sigma1 = c.mixture_sigma1;
  p.sigma2 = c.mixture_sigma2;
  return p;
}

double BnnPrior::log_density(double w, double* dlogp) const {
  if (kind == Kind::gaussian) {
    if (dlogp) *dlogp = -w / (sigma * sigma);
    return -kHalfLog2Pi - std::log(sigma) - 0.5 * w * w / (sigma * sigma);
  }
  // log(pi N(w; 0, s1^2) + (1 - pi) N(w; 0, s2^2)) by log-sum-exp: with s2 = e^-8 the narrow
  // component's density underflows for |w| > 0.01 in double otherwise.
  const double a = std::log(pi) - kHalfLog2Pi - std::log(sigma1) - 0.5 * w * w / (sigma1 * sigma1);
  const double b =
      std::log1p(-pi) - kHalfLog2Pi - std::log(sigma2) - 0.5 * w * w / (sigma2 * sigma2);
  const double m = std::max(a, b);
  const double ea = std::exp(a - m), eb = std::exp(b - m);
  const double lse = m + std::log(ea + eb);
  if (dlogp) {
    const double r1 = ea / (ea + eb), r2 = eb / (ea + eb);  // the components' responsibilities
    *dlogp = -w * (r1 / (sigma1 * sigma1) + r2 / (sigma2 * sigma2));
  }
  return lse;
}

template <class T>
typename MeanFieldGaussianT<T>::Vec MeanFieldGaussianT<T>::sigma() const {
  return softplus_of(rho.array()).matrix();
}

template <class T>
void MeanFieldGaussianT<T>::draw_eps(Rng& rng, Vec& eps) const {
  if constexpr (std::is_same_v<T, float>) {
    eps.resize(size());
    fill_normals(rng, eps.data(), size());
  } else {
    Eigen::VectorXf e(size());
    fill_normals(rng, e.data(), size());
    eps = e.cast<T>();
  }
}

template <class T>
void MeanFieldGaussianT<T>::sample(const Vec& eps, Vec& w) const {
  w.resize(size());
  w.array() = mu.array() + softplus_of(rho.array()) * eps.array();
}

template <class T>
double MeanFieldGaussianT<T>::kl(const BnnPrior& prior, const Vec& eps, T scale, Vec* g_mu,
                                 Vec* g_rho) const {
  return prior.kind == BnnPrior::Kind::gaussian ? kl_closed_form(prior.sigma, scale, g_mu, g_rho)
                                                : kl_monte_carlo(prior, eps, scale, g_mu, g_rho);
}

template <class T>
double MeanFieldGaussianT<T>::kl_closed_form(double prior_sigma, T scale, Vec* g_mu,
                                             Vec* g_rho) const {
  // KL(N(mu, s^2) || N(0, sp^2)) = log(sp / s) + (s^2 + mu^2) / (2 sp^2) - 1/2.
  const T sp = T(prior_sigma), inv_sp2 = T(1) / (sp * sp);
  const auto s = softplus_of(rho.array()).eval();
  const double kl = ((std::log(sp) - s.log()) + (s.square() + mu.array().square()) * (0.5f * inv_sp2) - 0.5f)
                        .template cast<double>()
                        .sum();
  if (g_mu) g_mu->array() += scale * inv_sp2 * mu.array();
  if (g_rho)  // dKL/ds = -1/s + s / sp^2; ds/drho = sigmoid(rho)
    g_rho->array() += scale * (s * inv_sp2 - s.inverse()) * sigmoid_of(rho.array());
  return kl;
}

template <class T>
double MeanFieldGaussianT<T>::kl_monte_carlo(const BnnPrior& prior, const Vec& eps, T scale,
                                             Vec* g_mu, Vec* g_rho) const {
  // f = log q(w) - log p(w), w = mu + s eps. Through w, log q's total derivatives are 0 in mu
  // and -1/s in s (its explicit and path terms in mu cancel); log p's are dlogp/dw and
  // dlogp/dw * eps.
  double kl = 0;
  for (long i = 0; i < size(); ++i) {
    const double r = double(rho[i]);
    const double s = r > 0 ? r + std::log1p(std::exp(-r)) : std::log1p(std::exp(r));
    const double e = double(eps[i]), w = double(mu[i]) + s * e;
    double dlogp = 0;
    kl += (-kHalfLog2Pi - std::log(s) - 0.5 * e * e) - prior.log_density(w, &dlogp);
    if (g_mu) (*g_mu)[i] += scale * T(-dlogp);
    if (g_rho) (*g_rho)[i] += scale * T((-1.0 / s - dlogp * e) / (1.0 + std::exp(-r)));
  }
  return kl;
}

template <class T>
void MeanFieldGaussianT<T>::add_weight_gradient(const Vec& g_w, const Vec& eps, Vec& g_mu,
                                                Vec& g_rho) const {
  g_mu += g_w;
  g_rho.array() += g_w.array() * eps.array() * sigmoid_of(rho.array());
}

template <class T>
double bnn_nll(const BnnLikelihood<T>& lik, const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& out,
               const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& Y, Eigen::Matrix<T, -1, -1>* dout,
               LogVarBounds<T>* g_bounds, double* mse) {
  const long D = Y.cols();
  if (lik.noise_std > 0) {
    // -log N(y; out, s^2) per row, summed over columns: D mse / (2 s^2) + D log s.
    const double s = double(lik.noise_std);
    const double m = double(mse_loss<T>(out, Y, dout));
    if (dout) *dout *= T(double(D) / (2 * s * s));
    if (mse) *mse = m;
    return double(D) * (m / (2 * s * s) + std::log(s));
  }
  // The ensemble's Gaussian NLL is the mean over n*D entries of twice the NLL: D/2 times it is
  // the mean over rows.
  const T half_d = T(0.5 * double(D));
  const double l = double(gauss_nll_loss<T>(out, Y, lik.bounds, dout, g_bounds));
  if (dout) *dout *= half_d;
  if (g_bounds && lik.bounds) {
    g_bounds->max_lv *= half_d;
    g_bounds->min_lv *= half_d;
  }
  if (mse) *mse = double(mse_loss<T>(out.leftCols(D), Y, nullptr));
  return double(half_d) * l;
}

template <class T>
BbbTerms bbb_gradient(const MeanFieldGaussianT<T>& q, const BnnPrior& prior, T kl_scale,
                      const BnnLikelihood<T>& lik,
                      const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& X,
                      const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& Y,
                      const typename MeanFieldGaussianT<T>::Vec& eps, MlpT<T>& net,
                      typename MlpT<T>::Cache& cache, typename MeanFieldGaussianT<T>::Vec& g_mu,
                      typename MeanFieldGaussianT<T>::Vec& g_rho, LogVarBounds<T>* g_bounds) {
  BbbTerms t;
  q.sample(eps, net.params());
  net.forward(X, cache);
  Eigen::Matrix<T, -1, -1> dout;
  t.nll = bnn_nll<T>(lik, cache.out, Y, &dout, g_bounds, &t.mse);
  // One backward pass gives g_w (into g_mu); then g_rho = g_w * eps * sigmoid(rho).
  g_mu.setZero(q.size());
  net.backward(X, dout, cache, g_mu, nullptr);
  g_rho.resize(q.size());
  g_rho.array() = g_mu.array() * eps.array() * sigmoid_of(q.rho.array());
  t.kl = q.kl(prior, eps, kl_scale, &g_mu, &g_rho);
  t.loss = t.nll + double(kl_scale) * t.kl;
  return t;
}

template class MeanFieldGaussianT<float>;
template class MeanFieldGaussianT<double>;

#define DYNALAB_BNN_INSTANTIATE(T)                                                              \
  template double bnn_nll<T>(const BnnLikelihood<T>&,                                          \
                             const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>&,                \
                             const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>&,                \
                             Eigen::Matrix<T, -1, -1>*, LogVarBounds<T>*, double*);            \
  template BbbTerms bbb_gradient<T>(                                                           \
      const MeanFieldGaussianT<T>&, const BnnPrior&, T, const BnnLikelihood<T>&,               \
      const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>&,                                       \
      const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>&, const MeanFieldGaussianT<T>::Vec&,    \
      MlpT<T>&, MlpT<T>::Cache&, MeanFieldGaussianT<T>::Vec&, MeanFieldGaussianT<T>::Vec&,     \
      LogVarBounds<T>*);
DYNALAB_BNN_INSTANTIATE(float)
DYNALAB_BNN_INSTANTIATE(double)
#undef DYNALAB_BNN_INSTANTIATE

}  // namespace dynalab
