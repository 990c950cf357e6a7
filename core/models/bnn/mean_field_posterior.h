#pragma once
// The mean-field Gaussian posterior of Bayes by Backprop (Blundell, Cornebise, Kavukcuoglu &
// Wierstra, "Weight Uncertainty in Neural Networks", ICML 2015) over the flat parameter vector
// of an MlpT: q(w) = prod_i N(mu_i, sigma_i^2), sigma = softplus(rho), sampled by
// reparameterisation w = mu + sigma * eps, eps ~ N(0, I).
//
// The gradient of a loss f(w) + KL(q||p) comes from ONE ordinary backward pass at the sampled w
// (Blundell et al., section 3.2): g_mu = g_w + dKL/dmu, g_rho = g_w * eps * sigmoid(rho) +
// dKL/drho, sigmoid being softplus's derivative. The KL is in closed form for a Gaussian prior
// and a Monte Carlo estimate log q(w) - log p(w) at the same w for Blundell's scale mixture;
// both gradients are exact for the estimate they differentiate (tests/test_bnn.cpp checks them
// against finite differences at fixed eps).
//
// Templated on the scalar like MlpT: the models run in float, the gradient tests in double.

#include <Eigen/Core>
#include <string>

#include "core/models/losses.h"
#include "core/models/mlp.h"

namespace dynalab {

class Rng;
struct BnnConfig;

/// The prior p(w) of every parameter (weights and biases alike).
struct BnnPrior {
  enum class Kind { gaussian, scale_mixture };
  Kind kind = Kind::gaussian;
  double sigma = 1.0;                                   ///< gaussian: N(0, sigma^2)
  double pi = 0.5, sigma1 = 1.0, sigma2 = 0.0024787521766663585;  ///< scale mixture
  /// The prior a config's "model.bnn" section describes.
  static BnnPrior of(const BnnConfig& c);
  /// log p(w) of one parameter (with its constants); writes d log p / dw if `dlogp` is not null.
  /// The mixture is evaluated by log-sum-exp, so a narrow sigma2 does not underflow.
  double log_density(double w, double* dlogp) const;
};

template <class T>
class MeanFieldGaussianT {
 public:
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  Vec mu, rho;  ///< shaped like MlpT::params()

  MeanFieldGaussianT() = default;
  /// mu = `mean` (e.g. an initialised network's params()), every rho = rho0.
  MeanFieldGaussianT(const Vec& mean, T rho0) : mu(mean), rho(Vec::Constant(mean.size(), rho0)) {}
  long size() const { return long(mu.size()); }
  /// sigma = softplus(rho), per parameter.
  Vec sigma() const;

  /// eps ~ N(0, I) of size() values from rng (fill_normals: the same draws for float and double).
  void draw_eps(Rng& rng, Vec& eps) const;
  /// w = mu + softplus(rho) * eps.
  void sample(const Vec& eps, Vec& w) const;

  /// KL(q||p) for a gaussian prior in closed form (eps unused) or, for the scale mixture, the
  /// Monte Carlo estimate log q(w) - log p(w) at w = mu + sigma * eps. ADDS scale * dKL/dmu and
  /// scale * dKL/drho (the total derivatives through w for the estimate) to g_mu and g_rho
  /// when they are not null. Returns the (unscaled) KL in nats.
  double kl(const BnnPrior& prior, const Vec& eps, T scale, Vec* g_mu, Vec* g_rho) const;
  /// Closed-form KL(N(mu, sigma^2) || N(0, prior_sigma^2)) summed over parameters.
  double kl_closed_form(double prior_sigma, T scale, Vec* g_mu, Vec* g_rho) const;
  /// The Monte Carlo KL log q(w) - log p(w) at w = mu + sigma * eps.
  double kl_monte_carlo(const BnnPrior& prior, const Vec& eps, T scale, Vec* g_mu,
                        Vec* g_rho) const;

  /// The reparameterisation chain rule: ADDS g_w to g_mu and g_w * eps * sigmoid(rho) to g_rho.
  void add_weight_gradient(const Vec& g_w, const Vec& eps, Vec& g_mu, Vec& g_rho) const;
};

using MeanFieldGaussian = MeanFieldGaussianT<float>;

/// The likelihood of a Bayes-by-Backprop network's output, in normalised target units: with
/// noise_std > 0, y ~ N(out, noise_std^2) (out has D columns); otherwise the ensemble's Gaussian
/// head (out = [mean | raw log-variance], 2D columns) with `bounds` soft-bounding the
/// log-variance (losses.h).
template <class T>
struct BnnLikelihood {
  T noise_std = T(0);
  const LogVarBounds<T>* bounds = nullptr;  ///< learned head (noise_std = 0); may be null
};

/// What bbb_gradient computed for one minibatch.
struct BbbTerms {
  double loss = 0;  ///< nll + kl_scale * kl
  double nll = 0;   ///< mean over rows of -log p(y|x, w) without the 0.5 log(2 pi) per column
  double kl = 0;    ///< KL(q||p) (closed form or the Monte Carlo estimate)
  double mse = 0;   ///< mean over n*D entries of (mean - y)^2
};

/// One Bayes-by-Backprop gradient of the per-datum minibatch objective
///   loss = mean_i -log p(y_i | x_i, w) + kl_scale * KL(q||p),   w = mu + sigma * eps,
/// with kl_scale = M pi_b / N for minibatch b of M over N rows (uniform pi_b: the -ELBO / N of
/// Blundell's eq. 8). For the learned head, the NLL is D/2 times gauss_nll_loss (which includes
/// its bound penalty), and its bound gradients go to g_bounds (overwritten) if not null.
/// X (n x in), Y (n x D) normalised. `net` (shaped like q) receives w and runs forward and
/// backward with `cache`; g_mu and g_rho are overwritten. Needs eps of q.size() values.
template <class T>
BbbTerms bbb_gradient(const MeanFieldGaussianT<T>& q, const BnnPrior& prior, T kl_scale,
                      const BnnLikelihood<T>& lik,
                      const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& X,
                      const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& Y,
                      const typename MeanFieldGaussianT<T>::Vec& eps, MlpT<T>& net,
                      typename MlpT<T>::Cache& cache, typename MeanFieldGaussianT<T>::Vec& g_mu,
                      typename MeanFieldGaussianT<T>::Vec& g_rho, LogVarBounds<T>* g_bounds);

/// The likelihood part alone at the network's current weights: mean over rows of
/// -log p(y|x) (as bbb_gradient's nll) and the mean-squared error; writes dL/dout if not null.
template <class T>
double bnn_nll(const BnnLikelihood<T>& lik, const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& out,
               const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& Y, Eigen::Matrix<T, -1, -1>* dout,
               LogVarBounds<T>* g_bounds, double* mse);

}  // namespace dynalab
