#include "core/planning/model_stepper.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace dynalab {

ModelStepper::ModelStepper(std::shared_ptr<const DynamicsModel> model, const ModelEnvConfig& config,
                           BatchRewardFn reward, BatchTerminationFn termination)
    : model_(std::move(model)), reward_(std::move(reward)), termination_(std::move(termination)) {
  if (!model_) throw std::invalid_argument("ModelStepper: model is null");
  if (!reward_ && !model_->learns_reward())
    throw InputError(
        "model: expected learn_reward = true, or a planning reward from the env (none given)");
  set_config(config);
}

void ModelStepper::set_config(const ModelEnvConfig& c) {
  const auto& names = ModelEnvConfig::propagations();
  const auto it = std::find(names.begin(), names.end(), c.propagation);
  if (it == names.end())
    throw InputError(
        "planner.propagation: expected one of mean, ts1, tsinf, pessimistic, optimistic, got \"" +
        c.propagation + "\"");
  if (c.particles < 1) throw InputError("planner.particles: expected an integer >= 1");
  const auto& ends = ModelEnvConfig::terminations();
  const auto e = std::find(ends.begin(), ends.end(), c.termination);
  if (e == ends.end())
    throw InputError("rollout.termination: expected one of env, learned, none, got \"" +
                     c.termination + "\"");
  const auto& scores = ModelEnvConfig::scores();
  if (std::find(scores.begin(), scores.end(), c.score) == scores.end())
    throw InputError("rollout.score: expected one of mean, quantile, mean_std, got \"" + c.score + "\"");
  if (!(c.score_quantile >= 0 && c.score_quantile <= 1))
    throw InputError("rollout.score_quantile: expected a number in [0, 1]");
  if (!std::isfinite(c.score_std) || !std::isfinite(c.disagreement_weight))
    throw InputError("rollout.score_std / disagreement_weight: expected finite numbers");
  Ends ends_now = static_cast<Ends>(e - ends.begin());
  if (ends_now == Ends::env && !termination_) ends_now = Ends::learned;  // the env cannot say
  if (ends_now == Ends::learned && !model_->learns_termination())
    throw InputError(c.termination == "env"
                         ? "rollout.termination: the env cannot say when an episode ends; "
                           "expected model.learn_termination = true (or termination = none)"
                         : "rollout.termination: \"learned\" expects model.learn_termination = "
                           "true");
  ends_ = ends_now;
  mode_ = static_cast<Mode>(it - names.begin());
  cfg_ = c;
  cfg_.threads = std::max(1, cfg_.threads);
}

void ModelStepper::add_disagreement(Batch& b) const {
  const DynamicsModel& M = *model_;
  const std::vector<int>& el = M.rollout_members();
  const int ne = int(el.size()), O = M.obs_dim();
  const long n = b.rows();
  if (ne < 2) return;  // one member cannot disagree with itself
  b.dsum_.setZero(n, O);
  b.dsq_.setZero(n, O);
  for (int s = 0; s < ne; ++s) {
    const auto Out = M.predict_member(el[s], b.states, b.actions, nullptr, n, false, *b.ws_);
    b.dsum_ += Out.leftCols(O);
    b.dsq_.array() += Out.leftCols(O).array().square();
  }
  // Var_e = E[mu^2] - E[mu]^2 per dim (clamped at 0 against rounding), summed, square root.
  const float inv = 1.0f / float(ne), w = float(cfg_.disagreement_weight);
  for (long i = 0; i < n; ++i) {
    float var = 0;
    for (int d = 0; d < O; ++d) {
      const float m = b.dsum_(i, d) * inv;
      var += std::max(0.0f, b.dsq_(i, d) * inv - m * m);
    }
    b.reward[i] += w * std::sqrt(var);
  }
}

void ModelStepper::begin(Batch& b, int first_group, int last_group, uint64_t seed) const {
  const DynamicsModel& M = *model_;
  const int O = M.obs_dim(), A = M.action_dim(), D = M.target_dim();
  const long K = rows_per_group();
  const long n = long(last_group - first_group) * K;
  const int ne = int(M.rollout_members().size());
  const bool learned_end = ends_ == Ends::learned;
  b.states.resize(n, O);
  b.next_.resize(n, O);
  b.actions.resize(n, A);
  b.noise_.resize(n, D);
  b.reward.resize(n);
  b.reward.setZero();
  b.done.setZero(n);
  b.alive.setOnes(n);
  b.was_alive.setOnes(n);
  b.rngs_.clear();
  for (int g = first_group; g < last_group; ++g) b.rngs_.push_back(Rng::derive(seed, {uint64_t(g)}));
  if (!b.ws_) b.ws_ = M.make_workspace();
  b.member_of_.resize(n);
  b.order_.resize(n);
  b.start_.resize(ne + 1);
  for (long i = 0; i < n; ++i) b.member_of_[i] = int((i % K) % ne);  // tsinf assignment
  if (mode_ == Mode::pessimistic || mode_ == Mode::optimistic) {
    b.sn_.resize(ne);
    b.re_.resize(ne);
    b.de_.resize(learned_end ? ne : 0);
    for (int s = 0; s < ne; ++s) {
      b.sn_[s].resize(n, O);
      b.re_[s].resize(n);
      if (learned_end) b.de_[s].resize(n);
    }
  }
}

void ModelStepper::step(Batch& b) const {
  const DynamicsModel& M = *model_;
  const int O = M.obs_dim(), D = M.target_dim();
  const long K = rows_per_group();
  const int ng_groups = b.groups();
  const long n = b.rows();
  const std::vector<int>& el = M.rollout_members();
  const int ne = int(el.size());
  const bool sample = M.probabilistic() && mode_ != Mode::mean;
  const bool learned = !reward_;
  const bool learned_end = ends_ == Ends::learned;
  const int tcol = M.termination_column();  // P(terminated), in the learned case
  const bool quantile_mode = mode_ == Mode::pessimistic || mode_ == Mode::optimistic;
  RowMatrixXf &S = b.states, &Snext = b.next_, &noise = b.noise_;
  Eigen::VectorXf &r = b.reward, &done = b.done;
  auto eval_member = [&](int s, const int* rows, long count) {
    return M.predict_member(el[s], S, b.actions, rows, count, sample, *b.ws_);
  };

  if (sample) b.normals_.fill(b.rngs_.data(), ng_groups, K * D, noise.data());
  if (mode_ == Mode::ts1)
    for (int c = 0; c < ng_groups; ++c)
      for (long p = 0; p < K; ++p)
        b.member_of_[long(c) * K + p] = int(b.rngs_[c].below(uint64_t(ne)));

  if (mode_ == Mode::ts1 || mode_ == Mode::tsinf) {
    // Group rows by member (counting sort) so that each member runs one batched product.
    std::fill(b.start_.begin(), b.start_.end(), 0);
    for (long i = 0; i < n; ++i) ++b.start_[b.member_of_[i] + 1];
    for (int s = 0; s < ne; ++s) b.start_[s + 1] += b.start_[s];
    {
      std::vector<int>& pos = b.rank_;  // reuse as insertion cursors
      pos.assign(b.start_.begin(), b.start_.end() - 1);
      for (long i = 0; i < n; ++i) b.order_[pos[b.member_of_[i]]++] = int(i);
    }
    for (int s = 0; s < ne; ++s) {
      const long ng = b.start_[s + 1] - b.start_[s];
      if (ng == 0) continue;
      const int* rows = b.order_.data() + b.start_[s];
      const auto Out = eval_member(s, rows, ng);
      for (long j = 0; j < ng; ++j) {
        const int i = rows[j];
        for (int d = 0; d < O; ++d)
          Snext(i, d) = S(i, d) + Out(j, d) + (sample ? Out(j, D + d) * noise(i, d) : 0.0f);
        if (learned) r[i] = Out(j, O) + (sample ? Out(j, D + O) * noise(i, O) : 0.0f);
        if (learned_end) done[i] = Out(j, tcol);
      }
    }
  } else if (mode_ == Mode::mean) {
    Snext = S;
    r.setZero();
    if (learned_end) done.setZero();
    const float w = 1.0f / float(ne);
    for (int s = 0; s < ne; ++s) {
      const auto Out = eval_member(s, nullptr, n);
      for (int d = 0; d < O; ++d) Snext.col(d) += w * Out.col(d);
      if (learned) r += w * Out.col(O);
      if (learned_end) done += w * Out.col(tcol);
    }
  } else {  // pessimistic / optimistic
    for (int s = 0; s < ne; ++s) {
      const auto Out = eval_member(s, nullptr, n);
      for (int d = 0; d < O; ++d) {
        b.sn_[s].col(d) = S.col(d) + Out.col(d);
        if (sample) b.sn_[s].col(d).array() += Out.col(D + d).array() * noise.col(d).array();
      }
      if (learned) {
        b.re_[s] = Out.col(O);
        if (sample) b.re_[s].array() += Out.col(D + O).array() * noise.col(O).array();
      } else {
        reward_(S, b.actions, b.sn_[s], b.re_[s]);
      }
      if (learned_end) b.de_[s] = Out.col(tcol);
    }
    const double q = mode_ == Mode::pessimistic ? cfg_.quantile_low : cfg_.quantile_high;
    const int k = int(std::lround(q * (ne - 1)));
    b.rank_.resize(ne);
    for (long i = 0; i < n; ++i) {
      for (int s = 0; s < ne; ++s) b.rank_[s] = s;
      // NaN rewards sort first (worst), so a diverging member is never the optimistic pick.
      auto key = [&](int s) {
        const float v = b.re_[s][i];
        return std::isnan(v) ? -std::numeric_limits<float>::infinity() : v;
      };
      // Stable insertion sort: E_el is small, and std::stable_sort would allocate per row.
      for (int x = 1; x < ne; ++x) {
        const int v = b.rank_[x];
        const float kv = key(v);
        int y = x;
        for (; y > 0 && key(b.rank_[y - 1]) > kv; --y) b.rank_[y] = b.rank_[y - 1];
        b.rank_[y] = v;
      }
      const int s = b.rank_[k];
      Snext.row(i) = b.sn_[s].row(i);
      r[i] = b.re_[s][i];
      if (learned_end) done[i] = b.de_[s][i];
    }
  }
  if (!learned && !quantile_mode) reward_(S, b.actions, Snext, r);
  if (cfg_.disagreement_weight != 0) add_disagreement(b);
  if (ends_ == Ends::env) termination_(S, b.actions, Snext, done);
  if (learned_end) done = (done.array() > 0.5f).cast<float>();
  // A row that had ended earns nothing more and stays where it ended (a select, not a product:
  // the reward of a frozen row may be NaN, and 0 * NaN is NaN).
  r.array() = (b.alive.array() > 0.0f).select(r.array(), 0.0f);
  for (long i = 0; i < n; ++i)
    if (b.alive[i] == 0.0f) Snext.row(i) = S.row(i);
  S.swap(Snext);
  b.was_alive = b.alive;
  if (ends_ != Ends::none) b.alive.array() *= 1.0f - done.array();
}

}  // namespace dynalab
