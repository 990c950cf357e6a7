#include "core/agents/latent/latent_model.h"

#include <cmath>
#include <stdexcept>

#include "core/rng.h"

namespace dynalab {

template <class T>
LatentModelT<T>::LatentModelT(const LatentModelConfig& cfg, int obs_dim, int frame_dim, int action_dim, Rng& rng)
    : cfg_(cfg), obs_dim_(obs_dim), frame_dim_(frame_dim), action_dim_(action_dim) {
  if (obs_dim <= 0 || frame_dim <= 0 || action_dim <= 0 || frame_dim > obs_dim || cfg.latent_dim <= 0)
    throw std::invalid_argument("LatentModel: sizes must be positive and frame_dim <= obs_dim");
  const int Z = cfg.latent_dim;
  int encoder_in = obs_dim;
  if (cfg.keypoints > 0) {
    const int size = int(std::lround(std::sqrt(double(frame_dim))));
    if (size * size != frame_dim || obs_dim % frame_dim != 0)
      throw std::invalid_argument("LatentModel: keypoints need square frames stacked whole in the observation");
    keypoints_ = KeypointsT<T>(size, obs_dim / frame_dim, cfg.keypoints);
    encoder_in = keypoints_.feature_dim();
  }
  encoder_ = Net(MlpShape::of(encoder_in, Z, cfg.encoder_hidden, cfg.activation));
  decoder_ = Net(MlpShape::of(Z, frame_dim, cfg.decoder_hidden, cfg.activation));
  dynamics_ = Net(MlpShape::of(Z + action_dim, Z, cfg.dynamics_hidden, cfg.activation));
  reward_ = Net(MlpShape::of(Z + action_dim, 1, cfg.reward_hidden, cfg.activation));
  for (Net* n : {&encoder_, &decoder_, &dynamics_, &reward_}) n->init(rng);
}

template <class T>
void LatentModelT<T>::set_weights(double consistency_weight, double reward_weight, double latent_weight,
                                  double learning_rate) {
  cfg_.consistency_weight = consistency_weight;
  cfg_.reward_weight = reward_weight;
  cfg_.latent_weight = latent_weight;
  cfg_.learning_rate = learning_rate;
}

template <class T>
typename LatentModelT<T>::Mat LatentModelT<T>::joined(const Mat& Z, const Mat& A) const {
  Mat X(Z.rows(), Z.cols() + A.cols());
  X << Z, A;
  return X;
}

template <class T>
std::vector<typename LatentModelT<T>::Mat> LatentModelT<T>::targets(const Batch& b) const {
  std::vector<Mat> t;
  for (size_t k = 1; k < b.obs.size(); ++k) t.push_back(encode(b.obs[k]));
  return t;
}

template <class T>
typename LatentModelT<T>::Losses LatentModelT<T>::loss(const Batch& b, Gradients* grad,
                                                       const std::vector<Mat>* fixed_targets) const {
  const int K = b.horizon(), Z = latent_dim();
  if (K < 1 || int(b.obs.size()) != K + 1 || int(b.rewards.size()) != K)
    throw std::invalid_argument("LatentModel::loss: expected K + 1 observations, K actions and K rewards");
  const Eigen::Index n = b.obs[0].rows();
  const bool full = cfg_.objective == "full";
  if (grad) {
    grad->encoder = Vec::Zero(encoder_.params().size());
    grad->decoder = Vec::Zero(decoder_.params().size());
    grad->dynamics = Vec::Zero(dynamics_.params().size());
    grad->reward = Vec::Zero(reward_.params().size());
  }

  typename Net::Cache enc;
  const Mat encoded = encoder_input(b.obs[0]);
  encoder_.forward(encoded, enc);
  std::vector<Mat> z(K + 1), X(K);
  std::vector<typename Net::Cache> dyn(K), rew(K), dec(K + 1);
  z[0] = enc.out;
  for (int k = 0; k < K; ++k) {
    X[k] = joined(z[k], b.actions[k]);
    dynamics_.forward(X[k], dyn[k]);
    reward_.forward(X[k], rew[k]);
    z[k + 1] = z[k] + dyn[k].out;
  }
  // Decoded frames: every k in the full objective; only k = 0 trains the decoder otherwise, but
  // the K-step prediction is still measured.
  Losses L;
  std::vector<Mat> dz(size_t(K) + 1, Mat::Zero(n, Z));
  Mat dz_reconstruction;  // objective "reconstruction": what reaches the encoder
  const T inv_n = T(1) / T(n);
  double reconstruction_sum = 0;
  for (int k = 0; k <= K; ++k) {
    if (k != 0 && k != K && !full) continue;
    decoder_.forward(z[k], dec[k]);
    const Mat err = dec[k].out - b.obs[k].rightCols(frame_dim_);
    const double sq = double(err.squaredNorm()) / double(n);
    if (k == 0) L.reconstruction = sq / frame_dim_;
    if (k == K) L.prediction = sq / frame_dim_;
    if (!full && k != 0) continue;  // measured, not trained
    reconstruction_sum += sq;
    if (grad) {
      const T w = T(2) * inv_n / T(full ? K + 1 : 1);
      Mat dzk;
      decoder_.backward(z[k], w * err, dec[k], grad->decoder, &dzk);
      if (full)
        dz[k] += dzk;
      else
        dz_reconstruction = dzk;
    }
  }
  const double reconstruction_term = reconstruction_sum / (full ? K + 1 : 1);
  double consistency = 0, reward = 0;
  std::vector<Mat> dr(K);
  const std::vector<Mat> own_targets = fixed_targets ? std::vector<Mat>() : targets(b);
  const std::vector<Mat>& target = fixed_targets ? *fixed_targets : own_targets;
  if (int(target.size()) != K) throw std::invalid_argument("LatentModel::loss: expected K targets");
  for (int k = 0; k < K; ++k) {
    const Mat dc = z[k + 1] - target[k];  // stop-gradient: no gradient into the target
    consistency += double(dc.squaredNorm()) / double(n);
    const Mat er = rew[k].out - b.rewards[k];
    reward += double(er.squaredNorm()) / double(n);
    if (grad) {
      dz[k + 1] += T(2 * cfg_.consistency_weight / K) * inv_n * dc;
      dr[k] = T(2 * cfg_.reward_weight / K) * inv_n * er;
    }
  }
  L.consistency = consistency / K;
  L.reward = reward / K;
  L.latent = double(z[0].squaredNorm()) / double(n);
  L.total = reconstruction_term + cfg_.consistency_weight * L.consistency + cfg_.reward_weight * L.reward +
            cfg_.latent_weight * L.latent;
  if (!grad) return L;
  {
    const Mat dlatent = T(2 * cfg_.latent_weight) * inv_n * z[0];
    if (full)
      dz[0] += dlatent;
    else
      dz_reconstruction += dlatent;
  }

  Mat dX;
  for (int k = 0; k < K; ++k) {  // the reward heads' direct contributions to dz[k]
    reward_.backward(X[k], dr[k], rew[k], grad->reward, &dX);
    dz[k] += dX.leftCols(Z);
  }
  for (int k = K; k >= 1; --k) {  // back through z^_k = z^_(k-1) + h(z^_(k-1), a_(k-1))
    dynamics_.backward(X[k - 1], dz[k], dyn[k - 1], grad->dynamics, &dX);
    dz[k - 1] += dz[k] + dX.leftCols(Z);
  }
  encoder_.backward(encoded, full ? dz[0] : dz_reconstruction, enc, grad->encoder, nullptr);
  return L;
}

template <class T>
typename LatentModelT<T>::Losses LatentModelT<T>::train_step(const Batch& batch) {
  Gradients g;
  const Losses L = loss(batch, &g);
  Net* nets[4] = {&encoder_, &decoder_, &dynamics_, &reward_};
  const Vec* grads[4] = {&g.encoder, &g.decoder, &g.dynamics, &g.reward};
  bool finite = std::isfinite(L.total);
  for (const Vec* d : grads) finite = finite && d->allFinite();
  if (!finite) {
    restore_last_good();
    Losses bad = L;
    bad.diverged = true;
    return bad;
  }
  for (int k = 0; k < 4; ++k) good_[k] = nets[k]->params();
  for (int k = 0; k < 4; ++k) adams_[k].step(nets[k]->params(), *grads[k], cfg_.learning_rate, 0.0, nullptr);
  return L;
}

template <class T>
void LatentModelT<T>::restore_last_good() {
  Net* nets[4] = {&encoder_, &decoder_, &dynamics_, &reward_};
  for (int k = 0; k < 4; ++k)
    if (good_[k].size() == nets[k]->params().size()) {
      nets[k]->params() = good_[k];
      adams_[k].reset(good_[k].size());
    }
}

template <class T>
typename LatentModelT<T>::Mat LatentModelT<T>::encoder_input(const Mat& O) const {
  return cfg_.keypoints > 0 ? keypoints_.features(O) : O;
}

template <class T>
void LatentModelT<T>::set_background(const typename KeypointsT<T>::Row& background) {
  if (cfg_.keypoints == 0) throw std::invalid_argument("LatentModel::set_background: the model has no keypoints");
  keypoints_.set_background(background);
}

template <class T>
typename LatentModelT<T>::Mat LatentModelT<T>::encode(const Mat& O) const {
  typename Net::Cache c;
  encoder_.forward(encoder_input(O), c);
  return c.out;
}

template <class T>
void LatentModelT<T>::step(const Mat& Z, const Mat& A, Mat& Z_next, Mat& r) const {
  const Mat X = joined(Z, A);
  typename Net::Cache c;
  dynamics_.forward(X, c);
  Z_next = Z + c.out;
  reward_.forward(X, c);
  r = c.out;
}

template <class T>
typename LatentModelT<T>::Mat LatentModelT<T>::decode(const Mat& Z) const {
  typename Net::Cache c;
  decoder_.forward(Z, c);
  return c.out;
}

template class LatentModelT<float>;
template class LatentModelT<double>;

}  // namespace dynalab
