#include "core/models/ensemble.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <thread>

#include "core/dataset.h"
#include "core/models/normalised_inference.h"
#include "core/rng.h"

namespace dynalab {

void ModelConfig::validate(const std::string& where) const {
  if (hidden.empty())
    throw InputError(where + ".hidden: expected at least one hidden layer width, got []");
  if (elite_members > ensemble_size)
    throw InputError(where + ".elite_members: expected at most ensemble_size (" +
                     std::to_string(ensemble_size) + "), got " + std::to_string(elite_members));
  if (!(learning_rate > 0) || !std::isfinite(learning_rate))
    throw InputError(where + ".learning_rate: expected a number > 0");
  if (ensemble_size < 1 || ensemble_size > kMaxEnsembleSize)
    throw InputError(where + ".ensemble_size: expected an integer in [1, " +
                     std::to_string(kMaxEnsembleSize) + "], got " + std::to_string(ensemble_size));
  for (int w : hidden)
    if (w < 1 || w > 4096)
      throw InputError(where + ".hidden: expected widths in [1, 4096], got " + std::to_string(w));
  if (hidden.size() > 64)
    throw InputError(where + ".hidden: expected at most 64 hidden layers, got " +
                     std::to_string(hidden.size()));
  if (weight_count() > kMaxModelWeights)
    throw InputError(where + ".hidden: expected at most " + std::to_string(kMaxModelWeights) +
                     " hidden weights over all members, got " + std::to_string(weight_count()));
  parse_activation(activation, where + ".activation");
  if (prediction != "deterministic" && prediction != "probabilistic")
    throw InputError(where + ".prediction: expected one of deterministic, probabilistic, got \"" +
                     prediction + "\"");
}

Ensemble::Ensemble(const ModelConfig& config, int obs_dim, int action_dim, uint64_t seed)
    : cfg_(config), obs_dim_(obs_dim), action_dim_(action_dim) {
  cfg_.validate("model");
  probabilistic_ = cfg_.prediction == "probabilistic";
  members_.resize(cfg_.ensemble_size);
  reinitialize(seed);
}

MlpShape Ensemble::net_shape() const {
  MlpShape s;
  s.in = input_dim();
  s.hidden = cfg_.hidden;
  s.out = target_dim() * (probabilistic_ ? 2 : 1);
  s.activation = parse_activation(cfg_.activation);
  return s;
}

void Ensemble::set_training_config(const ModelConfig& c) {
  c.validate("model");
  if (c.prediction != cfg_.prediction || c.hidden != cfg_.hidden ||
      c.activation != cfg_.activation || c.ensemble_size != cfg_.ensemble_size ||
      c.learn_reward != cfg_.learn_reward || c.learn_termination != cfg_.learn_termination)
    throw InputError(
        "model: prediction, hidden, activation, ensemble_size, learn_reward and learn_termination "
        "change the network; expected them unchanged (reset to apply)");
  const bool elites_changed = c.elite_members != cfg_.elite_members;
  cfg_ = c;
  if (elites_changed) {
    std::vector<double> scores;
    for (const auto& mb : members_) scores.push_back(mb.best.score);
    choose_elites(scores);
  }
}

void Ensemble::reinitialize(uint64_t seed) {
  const MlpShape shape = net_shape();
  for (int m = 0; m < size(); ++m) {
    Member& mb = members_[m];
    mb.net = Mlp(shape);
    Rng r = Rng::derive(seed, {uint64_t(m)});
    mb.net.init(r);
    mb.bounds = LogVarBounds<float>::initial(target_dim());
    mb.adam.reset(mb.net.params().size());
    mb.adam_bounds.reset(2 * target_dim());
    mb.decay_mask = mb.net.weight_mask();
    mb.best.score = std::numeric_limits<double>::infinity();
  }
  in_norm_.reset(input_dim());
  out_norm_.reset(target_dim());
  elites_.resize(std::min(cfg_.elite_members, size()));
  std::iota(elites_.begin(), elites_.end(), 0);
  diverged_ = false;
  done_ = true;
  epoch_ = since_improved_ = 0;
  last_ = EpochStats{};
}

void Ensemble::begin_training(const Dataset& data, Rng& rng) {
  rows_.begin(*this, data, cfg_.val_fraction, rng, in_norm_, out_norm_);
  const long nt = long(rows_.train.size());
  for (Member& mb : members_) {
    mb.sample.resize(nt);
    for (long i = 0; i < nt; ++i)
      mb.sample[i] = cfg_.bootstrap ? rows_.train[rng.below(uint64_t(nt))] : rows_.train[i];
    mb.best.reset(mb.net.params(), mb.bounds);
  }
  epoch_ = since_improved_ = 0;
  done_ = diverged_;  // a diverged model stays stopped until reinitialize()
  last_ = EpochStats{};
  last_.diverged = diverged_;
  last_.done = done_;
}

Ensemble::MemberEpoch Ensemble::train_member(int m, uint64_t epoch_seed) {
  Member& mb = members_[m];
  MemberEpoch r;
  mb.good = mb.net.params();
  mb.good_bounds = mb.bounds;
  Rng rng = Rng::derive(epoch_seed, {uint64_t(m)});
  std::vector<int> order = mb.sample;
  for (long i = long(order.size()) - 1; i > 0; --i)
    std::swap(order[i], order[rng.below(uint64_t(i + 1))]);
  const int D = target_dim(), bs = cfg_.batch_size;
  const long N = long(order.size());
  Eigen::MatrixXf X, Y, dout;
  Eigen::VectorXf grad(mb.net.params().size()), bvec(2 * D), bgrad(2 * D);
  LogVarBounds<float> dbounds;
  double loss_sum = 0, mse_sum = 0;
  for (long start = 0; start < N; start += bs) {
    const long nb = std::min<long>(bs, N - start);
    X.resize(nb, input_dim());
    Y.resize(nb, D);
    for (long i = 0; i < nb; ++i) {
      X.row(i) = rows_.x.row(order[start + i]);
      Y.row(i) = rows_.y.row(order[start + i]);
    }
    mb.net.forward(X, mb.cache);
    const float loss = probabilistic_
                           ? gauss_nll_loss<float>(mb.cache.out, Y, &mb.bounds, &dout, &dbounds)
                           : mse_loss<float>(mb.cache.out, Y, &dout);
    grad.setZero();
    mb.net.backward(X, dout, mb.cache, grad, nullptr);
    if (!std::isfinite(loss) || !grad.allFinite() ||
        (probabilistic_ && !(dbounds.max_lv.allFinite() && dbounds.min_lv.allFinite()))) {
      r.diverged = true;
      return r;
    }
    loss_sum += double(loss) * nb;
    mse_sum += double(mse_loss<float>(mb.cache.out.leftCols(D), Y, nullptr)) * nb;
    mb.adam.step(mb.net.params(), grad, cfg_.learning_rate, cfg_.weight_decay, &mb.decay_mask);
    if (probabilistic_) {
      bvec << mb.bounds.max_lv, mb.bounds.min_lv;
      bgrad << dbounds.max_lv, dbounds.min_lv;
      mb.adam_bounds.step(bvec, bgrad, cfg_.learning_rate, 0.0, nullptr);
      mb.bounds.max_lv = bvec.head(D);
      mb.bounds.min_lv = bvec.tail(D);
    }
  }
  if (!mb.net.params().allFinite() || !mb.bounds.max_lv.allFinite() ||
      !mb.bounds.min_lv.allFinite()) {
    r.diverged = true;
    return r;
  }
  r.loss = loss_sum / double(N);
  r.mse = mse_sum / double(N);
  r.score = probabilistic_ ? r.loss : r.mse;
  if (rows_.x_val.rows() > 0) {
    mb.net.forward(rows_.x_val, mb.cache);
    r.val_mse = mse_loss<float>(mb.cache.out.leftCols(D), rows_.y_val, nullptr);
    if (probabilistic_)
      r.val_nll = gauss_nll_loss<float>(mb.cache.out, rows_.y_val, &mb.bounds, nullptr, nullptr) -
                  0.01 * (mb.bounds.max_lv.sum() - mb.bounds.min_lv.sum());
    // Probabilistic members are judged by NLL: it also rewards a calibrated variance, which
    // MSE alone would stop training before.
    r.score = probabilistic_ ? r.val_nll : r.val_mse;
    if (!std::isfinite(r.score)) r.diverged = true;
  }
  return r;
}

EpochStats Ensemble::train_epoch(Rng& rng) {
  if (done_) return last_;
  const uint64_t epoch_seed = rng.next_u64();
  const int E = size();
  std::vector<MemberEpoch> res(E);
  const int T = std::max(1, std::min(cfg_.threads, E));
  auto work = [&](int t) {
    for (int m = t; m < E; m += T) res[m] = train_member(m, epoch_seed);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < T; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();

  EpochStats s;
  s.epoch = ++epoch_;
  bool any_diverged = false;
  for (const auto& r : res) any_diverged = any_diverged || r.diverged;
  if (any_diverged) {
    for (Member& mb : members_) {
      mb.net.params() = mb.good;
      mb.bounds = mb.good_bounds;
      mb.adam.reset(mb.net.params().size());
      mb.adam_bounds.reset(2 * target_dim());
    }
    diverged_ = done_ = true;
    s.diverged = s.done = true;
    last_ = s;
    return s;
  }
  s.train_loss = s.train_mse = 0;
  const bool has_val = rows_.x_val.rows() > 0;
  if (has_val) s.val_mse = s.val_nll = 0;
  for (int m = 0; m < E; ++m) {
    Member& mb = members_[m];
    const MemberEpoch& r = res[m];
    s.train_loss += r.loss / E;
    s.train_mse += r.mse / E;
    if (has_val) {
      s.val_mse += r.val_mse / E;
      s.val_nll += r.val_nll / E;
    }
    s.member_score.push_back(r.score);
    if (mb.best.improves(r.score)) {
      mb.best.keep(mb.net.params(), mb.bounds, r.score);
      s.improved = true;
    }
  }
  if (!probabilistic_) s.val_nll = std::numeric_limits<double>::quiet_NaN();
  since_improved_ = s.improved ? 0 : since_improved_ + 1;
  if (epoch_ >= cfg_.epochs || since_improved_ >= cfg_.patience) {
    for (Member& mb : members_) {
      mb.net.params() = mb.best.params;
      mb.bounds.max_lv = mb.best.bounds.max_lv;
      mb.bounds.min_lv = mb.best.bounds.min_lv;
    }
    done_ = s.done = true;
  }
  std::vector<double> scores;
  for (const auto& mb : members_) scores.push_back(mb.best.score);
  choose_elites(scores);
  last_ = s;
  return s;
}

void Ensemble::choose_elites(const std::vector<double>& scores) {
  std::vector<int> idx(size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return scores[a] < scores[b]; });
  idx.resize(std::min(cfg_.elite_members, size()));
  elites_ = idx;
}

void Ensemble::predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
                       EnsemblePrediction& out) const {
  const long n = obs.rows();
  const int D = target_dim();
  const Eigen::MatrixXf X = normalised_inputs(obs, actions, in_norm_);
  Eigen::MatrixXf O(n, net_shape().out);
  Mlp::Scratch scratch;
  out.mean.resize(size());
  out.var.resize(size());
  for (int m = 0; m < size(); ++m) {
    const Member& mb = members_[m];
    mb.net.predict(X, O, scratch);
    out.mean[m] = denormalised_mean(O, out_norm_);
    out.var[m] = RowMatrixXf::Zero(n, D);
    if (probabilistic_)
      for (long i = 0; i < n; ++i)
        for (int j = 0; j < D; ++j)
          out.var[m](i, j) =
              std::exp(bound_logvar(O(i, D + j), mb.bounds.max_lv[j], mb.bounds.min_lv[j])) *
              out_norm_.std[j] * out_norm_.std[j];
  }
}

std::string Ensemble::describe_shape() const {
  std::ostringstream os;
  os << size() << " " << cfg_.prediction << " member" << (size() == 1 ? "" : "s") << ", "
     << obs_dim_ << "+" << action_dim_ << " -> ";
  for (size_t i = 0; i < cfg_.hidden.size(); ++i) os << (i ? "x" : "") << cfg_.hidden[i];
  os << " " << cfg_.activation << " -> " << target_dim()
     << (cfg_.learn_reward ? " (reward learned)" : "")
     << (cfg_.learn_termination ? " (termination learned)" : "");
  return os.str();
}

}  // namespace dynalab
