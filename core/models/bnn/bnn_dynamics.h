#pragma once
// BnnDynamics: a Bayes-by-Backprop network as a LearnedModel (Blundell, Cornebise, Kavukcuoglu &
// Wierstra, "Weight Uncertainty in Neural Networks", ICML 2015). One MLP maps the normalised
// input [s, a] to the normalised target [s' - s, (r), (P(term))] (Ensemble's Normalizer and
// target layout); its parameters have a mean-field Gaussian posterior q(w) = N(mu, softplus(rho)^2)
// (mean_field_posterior.h) trained by minibatches of the per-datum -ELBO, one weight sample per
// minibatch. The output is the ensemble's Gaussian head (mean and soft-bounded log-variance,
// bounds learned as point estimates) or, with model.bnn.noise_std > 0, a known noise.
//
// Members: K = model.bnn.posterior_samples weight draws w_k = mu + sigma * eps_k. The noise eps_k
// comes from a seeded stream (Rng::derive(posterior_seed(), {k})): it is fixed between fits, so
// the members are K fixed networks for planning and the uncertainty views, and it is redrawn
// after each completed fit (from the construction seed and the fit count) or by
// draw_posterior_samples() (the GUI's "draw a new network"). During a fit the members follow the
// posterior epoch by epoch with their noise fixed, as ensemble members follow their weights.
//
// Early stopping watches the validation NLL of the MEAN weights (w = mu): deterministic and one
// forward pass per epoch, where the K draws' NLL would add sampling noise to the patience
// counter. The best (mu, rho, bounds) seen is restored when a fit stops. Training runs on one
// thread (model.threads is unused); numbers depend only on the seed and the data.

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <memory>
#include <limits>
#include <string>
#include <vector>

#include "core/models/adam.h"
#include "core/models/best_weights.h"
#include "core/models/bnn/mean_field_posterior.h"
#include "core/models/ensemble.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"
#include "core/models/training_rows.h"

namespace dynalab {

class Dataset;
class Rng;

class BnnDynamics : public LearnedModel {
 public:
  /// A network of `config` (type = bnn) for the dimensions; mu from the PETS init of
  /// Rng::derive(seed, {0}), rho = bnn.initial_rho. Throws InputError naming the key if the
  /// config is invalid.
  BnnDynamics(const ModelConfig& config, int obs_dim, int action_dim, uint64_t seed);

  int obs_dim() const override { return obs_dim_; }
  int action_dim() const override { return action_dim_; }
  int input_dim() const { return obs_dim_ + action_dim_; }
  /// K, the posterior draws.
  int members() const override { return cfg_.bnn.posterior_samples; }
  /// All K draws.
  const std::vector<int>& rollout_members() const override { return all_members_; }
  /// Always true: a learned Gaussian head or the known noise gives every draw a spread.
  bool probabilistic() const override { return true; }
  bool learns_reward() const override { return cfg_.learn_reward; }
  bool learns_termination() const override { return cfg_.learn_termination; }
  /// True if the output noise is known (bnn.noise_std > 0) rather than learned.
  bool known_noise() const { return cfg_.bnn.noise_std > 0; }

  const ModelConfig& config() const override { return cfg_; }
  std::shared_ptr<LearnedModel> clone() const override { return std::make_shared<BnnDynamics>(*this); }
  void set_training_config(const ModelConfig& c) override;
  /// Fresh posterior from `seed` (mu the PETS init, rho = initial_rho), identity normalisers,
  /// new draws; clears diverged and the training state.
  void reinitialize(uint64_t seed);

  /// Splits a validation set (val_fraction, drawn from rng), fits the normalisers on the
  /// training rows; the posterior is kept (warm start). Needs at least 2 transitions.
  void begin_training(const Dataset& data, Rng& rng) override;
  /// One pass over the shuffled training rows in minibatches: per minibatch one weight sample,
  /// one Bayes-by-Backprop gradient and one Adam step on (mu, rho) and the log-variance bounds.
  /// train_loss: the mean per-datum -ELBO (without 0.5 log 2 pi per column); train_mse: of the
  /// sampled weights; val_nll / val_mse: of the mean weights (val_nll in Ensemble's units, the
  /// mean over entries of (mu - y)^2 / var + log var); member_score: one entry, that val_nll.
  EpochStats train_epoch(Rng& rng) override;
  bool training_done() const override { return done_; }
  bool diverged() const override { return diverged_; }
  const EpochStats& last_stats() const { return last_; }

  /// New members: eps_k from Rng::derive(seed, {k}), w_k = mu + sigma * eps_k.
  void draw_posterior_samples(uint64_t seed);
  /// The seed of the current draws.
  uint64_t posterior_seed() const { return draws_seed_; }
  /// Completed fits since reinitialize (each redraws the members).
  int fits() const { return fits_; }
  /// Adam steps on the posterior since reinitialize.
  long long updates() const { return updates_; }

  void predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
               MemberPredictions& out) const override;
  std::unique_ptr<Workspace> make_workspace() const override;
  Eigen::Map<const Eigen::MatrixXf> predict_member(int member, const RowMatrixXf& obs,
                                                   const RowMatrixXf& actions, const int* rows,
                                                   long n, bool with_std,
                                                   Workspace& ws) const override;
  bool input_jacobian(int member, const Eigen::VectorXf& obs, const Eigen::VectorXf& action,
                      Eigen::MatrixXf& jacobian) const override;
  bool input_jacobians(int member, const RowMatrixXf& obs, const RowMatrixXf& actions,
                       std::vector<Eigen::MatrixXf>& jacobians) const override;

  /// The posterior over the network's parameters (normalised units).
  const MeanFieldGaussian& posterior() const { return q_; }
  /// Draw k's network (input and output normalised).
  const Mlp& member_net(int k) const { return draws_[size_t(k)]; }
  /// Learned log-variance bounds (noise_std = 0; normalised units).
  const LogVarBounds<float>& bounds() const { return bounds_; }
  const Normalizer& input_normalizer() const { return in_norm_; }
  const Normalizer& target_normalizer() const { return out_norm_; }

  /// "Bayes by Backprop, 5 posterior draws, gaussian prior, 4+1 -> 200x200 silu -> 4".
  std::string describe_shape() const override;
  /// One session file, model/bnn.bin (state_bytes, format in bnn_state.cpp).
  void visit_state(StateVisitor& v, const Dataset& data) override;
  /// The whole state: posterior, bounds, Adam moments, normalisers, seeds, counters and a fit
  /// in progress; after load_state_bytes training continues bit-identically.
  std::string state_bytes() const;
  /// Reads state_bytes(); `data` is the dataset the fit began on (its rows are rebuilt from
  /// it). InputError naming `source` on truncated or wrong-shape content.
  void load_state_bytes(const std::string& bytes, const std::string& source, const Dataset& data);
  /// The model file is the session file (state_bytes): mu and rho are the model, and the draws
  /// are rebuilt from their seed. load_bytes reads one without a fit in progress.
  std::string to_bytes() const override { return state_bytes(); }
  std::string file_name() const override { return "bnn.bin"; }
  void load_bytes(const std::string& bytes, const std::string& source) override;

 private:
  MlpShape net_shape() const;
  /// draws_ = mu + sigma * eps_k with eps_k from draws_seed_ (the invariant kept after every
  /// change of mu, rho or the seed).
  void materialise_draws();
  /// [mu; rho], the posterior's parameters as BestWeights keeps them.
  Eigen::VectorXf posterior_params() const;
  /// Validation NLL (Ensemble's units) and MSE of the mean weights.
  void validate_mean(double& nll, double& mse);
  /// The per-datum free energy with its likelihood part on the validation rows:
  /// mean over the K draws' fixed eps_k of -log p(y_val | x_val, w_k) (per row, as bbb_gradient's
  /// nll) + KL(q||p) / N_train. The early-stopping score.
  double validation_free_energy();

  ModelConfig cfg_;
  BnnPrior prior_;
  int obs_dim_, action_dim_;
  uint64_t seed_ = 0, draws_seed_ = 0;
  int fits_ = 0;
  long long updates_ = 0;  // Adam steps since reinitialize (bnn.min_updates)
  MeanFieldGaussian q_;
  LogVarBounds<float> bounds_;
  Adam adam_mu_, adam_rho_, adam_bounds_;
  Mlp net_;  // the sampled weights during training; the mean weights for validation
  Mlp::Cache cache_;
  std::vector<Mlp> draws_;
  std::vector<int> all_members_;
  Normalizer in_norm_, out_norm_;
  // Training state.
  TrainingRows rows_;
  BestWeights best_;  // params: [mu; rho]
  int epoch_ = 0, since_improved_ = 0;
  bool done_ = true, diverged_ = false;
  EpochStats last_;
};

}  // namespace dynalab
