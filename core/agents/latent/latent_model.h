#pragma once
// A latent state-space model learned from pixels (lecture deck 000, "State space (latent space)
// models": latent space dynamics + image reconstruction + reward model; deck 003, "learning in
// latent space"). Four MLPs (core/models/mlp.h):
//   encoder   z = g(o)                  o: the stacked frames (obs_dim values in [0, 1]), or
//                                       their keypoints (keypoints.h) if `keypoints` > 0
//   dynamics  z' = z + h(z, a)          a residual step in latent space
//   reward    r^ = r(z, a)              (the agent scales rewards to unit spread)
//   decoder   f^ = d(z)                 f: the NEWEST frame of o (frame_dim values)
// trained on sequences o_0, a_0, r_0, ..., o_K: the latent is rolled K = train_horizon steps open
// loop from z_0 = g(o_0) (z^_0 = z_0, z^_k = z^_(k-1) + h(z^_(k-1), a_(k-1))) and the loss is
//   L = 1/(K+1) sum_k |d(z^_k) - f_k|^2                    reconstruction (k = 0) and prediction
//     + consistency_weight / K sum_k |z^_k - sg(g(o_k))|^2  latent consistency (sg: no gradient)
//     + reward_weight / K sum_k (r(z^_(k-1), a_(k-1)) - r_(k-1))^2
//     + latent_weight |z_0|^2
// each term a mean over the batch's rows (|.|^2 summed over a row's values). With K = 1 this is
// the deck's objective (DESIGN.md section 8); K > 1 trains the open-loop predictions the planner
// makes (PlaNet's "latent overshooting" in spirit, Hafner et al. 2019, without the KL).
// The last term anchors the latent's scale. Without it nothing does: the decoder undoes any
// scaling of z, and the consistency target sg(g(o_k)) moves with the encoder, so the latent
// drifted larger fit after fit (measured on the pixel pendulum: the consistency term grew from
// 0.2 to 9 over six fits) and the dynamics had ever larger steps to learn. It is the mean part
// of a VAE's KL(q(z|o) || N(0, I)) for a fixed posterior spread, the deck's VAE option reduced
// to a deterministic encoder.
// objective = "reconstruction" is the deck 003 caveat's ablation ("reconstruction objectives
// might not recover the right representation"): the encoder and decoder learn from the k = 0
// reconstruction only (an autoencoder, as World Models' VAE is trained before its dynamics), and
// the dynamics and reward heads learn on top of the latent without changing it.
// Sizes follow E2C's MLP-only design (Watter et al. 2015; ethanluoyc/e2c-pytorch configs.py),
// scaled down for two CPU cores.

#include <Eigen/Core>
#include <algorithm>
#include <string>
#include <vector>

#include "core/agents/latent/keypoints.h"
#include "core/config.h"
#include "core/models/adam.h"
#include "core/models/mlp.h"
#include "core/models/model_config.h"

namespace dynalab {

class Rng;

/// The latent model's shape and loss (section "model" of a latent experiment).
struct LatentModelConfig {
  int latent_dim = 16;                       ///< size of z
  /// 0: the encoder reads the pixels; K > 0: it reads K soft-argmax keypoints per frame
  /// (keypoints.h: translation-invariant positions of what is darker than the background)
  int keypoints = 0;
  std::vector<int> encoder_hidden = {256, 128};
  std::vector<int> decoder_hidden = {128, 256};
  std::vector<int> dynamics_hidden = {128, 128};
  std::vector<int> reward_hidden = {128, 128};
  std::string activation = "silu";
  std::string objective = "full";            ///< full | reconstruction (the deck's caveat)
  int train_horizon = 10;                    ///< K: latent steps unrolled open loop per sequence
  double consistency_weight = 1.0;           ///< lambda_z
  double reward_weight = 10.0;               ///< lambda_r (rewards are scaled to unit spread)
  double latent_weight = 0.01;               ///< weight of |z_0|^2 (anchors the latent's scale)
  double learning_rate = 1e-3;               ///< Adam step size
  static constexpr double kMaxLossWeight = 1e6;

  template <class V>
  void visit(V& v) {
    v.field("latent_dim", latent_dim, Range::closed(1, 256), Apply::on_reset, "size of the latent state z");
    v.field("keypoints", keypoints, Range::closed(0, 8), Apply::on_reset,
            "0: the encoder reads the pixels; K: K soft-argmax keypoints per frame (of the darker-than-background mass)");
    v.field("encoder_hidden", encoder_hidden, Range::closed(1, 4096), Apply::on_reset, "hidden widths of the encoder g(o)");
    v.field("decoder_hidden", decoder_hidden, Range::closed(1, 4096), Apply::on_reset, "hidden widths of the decoder d(z)");
    v.field("dynamics_hidden", dynamics_hidden, Range::closed(1, 4096), Apply::on_reset,
            "hidden widths of the latent dynamics h(z, a) (z' = z + h)");
    v.field("reward_hidden", reward_hidden, Range::closed(1, 4096), Apply::on_reset, "hidden widths of the reward head r(z, a)");
    v.choice("activation", activation, activation_names(), Apply::on_reset, "hidden activation of all four networks");
    v.choice("objective", objective, {"full", "reconstruction"}, Apply::on_reset,
             "full: the encoder learns from all terms; reconstruction: from reconstruction only");
    v.field("train_horizon", train_horizon, Range::closed(1, 50), Apply::on_reset,
            "latent steps unrolled open loop per training sequence (K)");
    // The weights scale float gradients: at most kMaxLossWeight, so that a typo (1e39) cannot
    // overflow them to inf.
    v.field("consistency_weight", consistency_weight, Range::closed(0, kMaxLossWeight), Apply::live,
            "weight of |z^_k - sg(g(o_k))|^2");
    v.field("reward_weight", reward_weight, Range::closed(0, kMaxLossWeight), Apply::live, "weight of the reward error");
    v.field("latent_weight", latent_weight, Range::closed(0, kMaxLossWeight), Apply::live,
            "weight of |z_0|^2, which anchors the latent's scale (a VAE's KL with a fixed spread)");
    v.field("learning_rate", learning_rate, Range{0, 1, true, false}, Apply::live, "Adam step size");
    // Limits the config alone decides, as the MPC family's model has (core/models/model_config.h):
    // a typo of 2000 layers or 4096-wide layers everywhere is an error naming the key, not an OOM.
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      for (const auto& [key, hidden] : hidden_lists())
        if (hidden->size() > kMaxHiddenLayers)
          v.fail(key, "at most " + std::to_string(kMaxHiddenLayers) + " hidden layers, got " + std::to_string(hidden->size()));
      const std::vector<long> weights = network_weights();
      const long total = weights[0] + weights[1] + weights[2] + weights[3];
      if (total > kMaxModelWeights)  // named by the largest network
        v.fail(hidden_lists()[size_t(std::max_element(weights.begin(), weights.end()) - weights.begin())].first,
               "at most " + std::to_string(kMaxModelWeights) +
                   " weights in the four networks' hidden layers (the products of consecutive widths), got " +
                   std::to_string(total));
    }
  }
  /// The four networks' hidden widths by key.
  std::vector<std::pair<std::string, const std::vector<int>*>> hidden_lists() const {
    return {{"encoder_hidden", &encoder_hidden}, {"decoder_hidden", &decoder_hidden},
            {"dynamics_hidden", &dynamics_hidden}, {"reward_hidden", &reward_hidden}};
  }
  /// The latent step (dynamics and reward head) for one action dimension: what a planner pays per
  /// candidate and planned step.
  MlpShape dynamics_shape() const { return MlpShape::of(latent_dim + 1, latent_dim, dynamics_hidden, activation); }
  MlpShape reward_shape() const { return MlpShape::of(latent_dim + 1, 1, reward_hidden, activation); }
  /// Per network (in hidden_lists() order), the weights the config alone decides: all but the
  /// frame-side layers (obs_dim x the first encoder width, the last decoder width x frame_dim),
  /// counted here for one value each.
  std::vector<long> network_weights() const {
    return {MlpShape::of(1, latent_dim, encoder_hidden, activation).param_count(),
            MlpShape::of(latent_dim, 1, decoder_hidden, activation).param_count(), dynamics_shape().param_count(),
            reward_shape().param_count()};
  }
};

template <class T>
class LatentModelT {
 public:
  using Net = MlpT<T>;
  using Mat = typename Net::Mat;
  using Vec = typename Net::Vec;

  /// K + 1 observation matrices (n x obs_dim), K action matrices (n x action_dim, scaled to
  /// [-1, 1]) and K reward columns (n x 1, scaled): n sequences of one batch.
  struct Batch {
    std::vector<Mat> obs, actions, rewards;
    int horizon() const { return int(actions.size()); }
  };
  /// The loss terms of one batch (before the weights), and the weighted total.
  struct Losses {
    double total = 0;
    double reconstruction = 0;  ///< mean squared error per pixel of d(z_0) (k = 0)
    double prediction = 0;      ///< mean squared error per pixel of d(z^_K), K steps open loop
    double consistency = 0;     ///< mean over k, rows of |z^_k - g(o_k)|^2
    double reward = 0;          ///< mean over k, rows of the squared reward error
    double latent = 0;          ///< mean over rows of |z_0|^2
    bool diverged = false;      ///< train_step: the loss or a gradient was not finite, no step taken
  };
  /// One gradient per network, sized like its params().
  struct Gradients {
    Vec encoder, decoder, dynamics, reward;
  };

  LatentModelT() = default;
  /// A model for observations of obs_dim values whose last frame_dim values are the newest
  /// frame, and actions of action_dim; weights drawn from `rng`. Throws std::invalid_argument if
  /// frame_dim > obs_dim or a size is not positive.
  LatentModelT(const LatentModelConfig& cfg, int obs_dim, int frame_dim, int action_dim, Rng& rng);

  int latent_dim() const { return cfg_.latent_dim; }
  int obs_dim() const { return obs_dim_; }
  int frame_dim() const { return frame_dim_; }
  int action_dim() const { return action_dim_; }
  const LatentModelConfig& config() const { return cfg_; }
  /// A live edit of the loss weights and the step size (the shapes must not change).
  void set_weights(double consistency_weight, double reward_weight, double latent_weight, double learning_rate);

  /// The loss of `batch` and, if `grad` is not null, its gradient in every network's parameters.
  /// `targets` (K matrices n x latent_dim): the consistency targets g(o_1..o_K) to hold fixed
  /// (null: encoded now); the gradient never flows into them (stop-gradient), so a finite-
  /// difference check must pass them to hold them still.
  Losses loss(const Batch& batch, Gradients* grad, const std::vector<Mat>* targets = nullptr) const;
  /// The consistency targets g(o_k), k = 1..K, of `batch`.
  std::vector<Mat> targets(const Batch& batch) const;
  /// One Adam step on `batch`; returns its losses before the step. A loss or gradient that is not
  /// finite (a diverging model) takes no step: the weights go back to the last good ones (those
  /// of the last step whose loss was finite, restore_last_good()) and Losses::diverged says so.
  Losses train_step(const Batch& batch);
  /// Back to the weights of the last step whose loss was finite (a step's result can overflow
  /// only on the next batch), with fresh Adam moments; nothing before the first step.
  void restore_last_good();

  /// z = g(o) for rows O (n x obs_dim): n x latent_dim.
  Mat encode(const Mat& O) const;
  /// What the encoder MLP reads for rows O: the keypoints of O (config keypoints > 0) or O.
  Mat encoder_input(const Mat& O) const;
  /// The keypoints' background, the mean of the replay's newest frames (frame_dim values); the
  /// agent sets it before every fit. Throws std::invalid_argument without keypoints or on
  /// another length.
  void set_background(const typename KeypointsT<T>::Row& background);
  const KeypointsT<T>& keypoints() const { return keypoints_; }
  /// One latent step of rows Z (n x latent_dim) under actions A (n x action_dim): Z' and the
  /// predicted (scaled) rewards r (n x 1).
  void step(const Mat& Z, const Mat& A, Mat& Z_next, Mat& r) const;
  /// The decoded newest frame d(z) for rows Z: n x frame_dim.
  Mat decode(const Mat& Z) const;

  Net& encoder() { return encoder_; }
  Net& decoder() { return decoder_; }
  Net& dynamics() { return dynamics_; }
  Net& reward_head() { return reward_; }
  const Net& encoder() const { return encoder_; }
  const Net& decoder() const { return decoder_; }
  const Net& dynamics() const { return dynamics_; }
  const Net& reward_head() const { return reward_; }
  /// The optimiser state per network (encoder, decoder, dynamics, reward), for sessions.
  AdamT<T>& adam(int k) { return adams_[k]; }

 private:
  Mat joined(const Mat& Z, const Mat& A) const;

  LatentModelConfig cfg_;
  int obs_dim_ = 0, frame_dim_ = 0, action_dim_ = 0;
  KeypointsT<T> keypoints_;  // used if cfg_.keypoints > 0
  Net encoder_, decoder_, dynamics_, reward_;
  AdamT<T> adams_[4];
  Vec good_[4];  // per network: the weights before the last step whose loss was finite
};

using LatentModel = LatentModelT<float>;

/// The map of a box action space [low, high] onto the [-1, 1] the latent model is trained and
/// plans on (one place for the replay, the planner and the probes).
struct UnitActions {
  Eigen::RowVectorXf mid, half;
  UnitActions() = default;
  /// low < high in every dimension (a bounded box; the latent family checks it).
  UnitActions(const Eigen::VectorXd& low, const Eigen::VectorXd& high)
      : mid(((low + high) / 2).cast<float>().transpose()), half(((high - low) / 2).cast<float>().transpose()) {}
  /// Rows of actions in [low, high] (n x A) mapped to [-1, 1].
  LatentModel::Mat operator()(const Eigen::Ref<const LatentModel::Mat>& actions) const {
    return ((actions.rowwise() - mid).array().rowwise() / half.array()).matrix();
  }
};

}  // namespace dynalab
