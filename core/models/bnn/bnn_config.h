#pragma once
// BnnConfig: the "model.bnn" section (model.type = bnn): the prior, the KL weighting and the
// posterior draws of a Bayes-by-Backprop network (Blundell, Cornebise, Kavukcuoglu & Wierstra,
// "Weight Uncertainty in Neural Networks", ICML 2015). The network shape, activation, learning
// rate, batch size, epochs, patience, val_fraction, learn_reward and learn_termination are
// ModelConfig's shared fields.

#include <string>
#include <vector>

#include "core/config.h"

namespace dynalab {

/// Largest posterior_samples accepted (as kMaxEnsembleSize for ensemble members).
inline constexpr int kMaxPosteriorSamples = 64;

struct BnnConfig {
  /// p(w): "gaussian" N(0, prior_sigma^2) per weight, whose KL(q||p) is in closed form, or
  /// Blundell's "scale_mixture" pi N(0, sigma1^2) + (1 - pi) N(0, sigma2^2), whose KL is a
  /// Monte Carlo estimate log q(w) - log p(w) at the sampled weights.
  std::string prior = "gaussian";
  double prior_sigma = 1.0;
  /// Scale mixture defaults: a point of Blundell et al.'s grid (-log sigma1 in {0, 1, 2},
  /// -log sigma2 in {6, 7, 8}, pi in {1/4, 1/2, 3/4}): the middle pi, sigma1 = e^0, sigma2 = e^-6.
  double mixture_pi = 0.5;
  double mixture_sigma1 = 1.0;
  double mixture_sigma2 = 0.0024787521766663585;  // exp(-6)
  /// K: weight draws w_k = mu + sigma * eps_k, their noise eps_k fixed by a seeded stream and
  /// redrawn after each completed fit; they are the model's members for planning and the
  /// uncertainty views.
  int posterior_samples = 5;
  /// pi_b of minibatch b of M in the loss pi_b KL(q||p) - log p(D_b|w): "uniform" 1/M, or
  /// "blundell" 2^(M-b) / (2^M - 1) (most of the KL on the first minibatches of an epoch).
  std::string kl_weighting = "uniform";
  /// Initial rho of every weight: sigma = softplus(rho) (-5 gives sigma = 0.0067).
  double initial_rho = -5.0;
  /// Adam steps the posterior gets after reinitialize before model.epochs or the patience may
  /// end a fit. Blundell et al. minimise the free energy (their eq. 1-2) to its optimum; Adam
  /// moves each rho by about one learning rate per step, so from initial_rho = -5 to the widths
  /// the KL asks for (sigma near the prior's, about rho = 0.5, for weights the data do not pin)
  /// takes about 5.5 / learning_rate steps: a point network's 40-150 epochs on a few hundred
  /// transitions are a few hundred steps and leave q at its initial width (issue 19, measured in
  /// README "Which model"). Warm-started later fits are not affected once the count is reached.
  int min_updates = 2000;
  /// Output noise in normalised target units: 0 = a learned Gaussian head (mean and soft-bounded
  /// log-variance, as the probabilistic ensemble members); > 0 = known homoscedastic noise.
  double noise_std = 0.0;

  static const std::vector<std::string>& priors() {
    static const std::vector<std::string> k = {"gaussian", "scale_mixture"};
    return k;
  }
  static const std::vector<std::string>& kl_weightings() {
    static const std::vector<std::string> k = {"uniform", "blundell"};
    return k;
  }
  template <class V>
  void visit(V& v) {
    v.choice("prior", prior, priors(), Apply::live,
             "gaussian: N(0, prior_sigma^2), closed-form KL; scale_mixture: Blundell's mixture of "
             "two zero-mean Gaussians, Monte Carlo KL");
    v.field("prior_sigma", prior_sigma, Range{1e-6, 1e6, false, false}, Apply::live,
            "standard deviation of the gaussian prior");
    v.field("mixture_pi", mixture_pi, Range::probability(), Apply::live,
            "scale mixture: weight of the wide component N(0, mixture_sigma1^2)");
    v.field("mixture_sigma1", mixture_sigma1, Range{1e-6, 1e6, false, false}, Apply::live,
            "scale mixture: standard deviation of the wide component");
    v.field("mixture_sigma2", mixture_sigma2, Range{1e-8, 1e6, false, false}, Apply::live,
            "scale mixture: standard deviation of the narrow component (< mixture_sigma1)");
    v.field("posterior_samples", posterior_samples, Range::closed(1, kMaxPosteriorSamples),
            Apply::on_reset, "K frozen weight draws: the members for planning and the views");
    v.choice("kl_weighting", kl_weighting, kl_weightings(), Apply::live,
             "share of the KL per minibatch: uniform 1/M or blundell 2^(M-b)/(2^M-1)");
    v.field("initial_rho", initial_rho, Range::closed(-30, 10), Apply::on_reset,
            "initial rho of every weight, sigma = softplus(rho)");
    v.field("min_updates", min_updates, Range::closed(0, 1000000), Apply::live,
            "Adam steps since reset before epochs or patience may end a fit (the widths need them)");
    v.field("noise_std", noise_std, Range{0, 1e3, false, false}, Apply::on_reset,
            "output noise (normalised units): 0 learns a Gaussian head, > 0 is known noise");
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      if (!(mixture_sigma2 < mixture_sigma1))
        v.fail("mixture_sigma2", "a number below mixture_sigma1 (" +
                                     std::to_string(mixture_sigma1) + "), got " +
                                     std::to_string(mixture_sigma2));
    }
  }
};

}  // namespace dynalab
