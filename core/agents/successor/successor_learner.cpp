#include "core/agents/successor/successor_learner.h"

#include <cmath>

#include "core/state_visitor.h"

namespace dynalab {

const std::vector<std::string>& SrConfig::policies() {
  static const std::vector<std::string> k = {"uniform", "own"};
  return k;
}

SuccessorLearner::SuccessorLearner(int n_states, int n_actions, SrConfig cfg, Rng rng)
    : n_(n_states),
      A_(n_actions),
      cfg_(std::move(cfg)),
      rng_(rng),
      msa_(RowMatrix::Zero(Eigen::Index(n_states) * n_actions, n_states)),
      r_(Eigen::VectorXd::Zero(n_states)),
      model_(n_states, n_actions),
      q_(size_t(n_states) * n_actions, 0.0) {
  // Before any experience each row says "I stay where I am": e_s, which already sums to 1. A cell
  // the agent is never seen to leave (the goal: the episode ends there) keeps it: absorbing.
  for (int s = 0; s < n_; ++s)
    for (int a = 0; a < A_; ++a) msa_(Eigen::Index(s) * A_ + a, s) = 1;
}

void SuccessorLearner::set_config(const SrConfig& cfg) {
  const std::string policy = cfg_.sr_policy;
  cfg_ = cfg;
  cfg_.sr_policy = policy;
  stale_ = true;
}

void SuccessorLearner::policy_row(int s, double* out) const {
  if (cfg_.sr_policy == "uniform") {
    for (int a = 0; a < A_; ++a) out[a] = 1.0 / A_;
    return;
  }
  // The agent's own epsilon-greedy policy on the action values of the last refresh.
  const double* q = q_.data() + size_t(s) * A_;
  double best = q[0];
  for (int a = 1; a < A_; ++a) best = std::max(best, q[a]);
  int ties = 0;
  for (int a = 0; a < A_; ++a) ties += q[a] == best;
  for (int a = 0; a < A_; ++a) out[a] = cfg_.epsilon / A_ + (q[a] == best ? (1 - cfg_.epsilon) / ties : 0.0);
}

std::vector<double> SuccessorLearner::policy() const {
  std::vector<double> pi(size_t(n_) * A_);
  for (int s = 0; s < n_; ++s) policy_row(s, pi.data() + size_t(s) * A_);
  return pi;
}

Eigen::MatrixXd SuccessorLearner::state_sr() const {
  refresh();
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n_, n_);
  std::vector<double> pi(static_cast<size_t>(A_));
  for (int s = 0; s < n_; ++s) {
    policy_row(s, pi.data());
    for (int a = 0; a < A_; ++a) m.row(s) += pi[size_t(a)] * msa_.row(Eigen::Index(s) * A_ + a);
  }
  return m;
}

Eigen::VectorXd SuccessorLearner::values() const {
  refresh();
  const Eigen::VectorXd w = msa_ * r_;  // M(s, a, .)^T r per pair
  Eigen::VectorXd v = Eigen::VectorXd::Zero(n_);
  std::vector<double> pi(static_cast<size_t>(A_));
  for (int s = 0; s < n_; ++s) {
    policy_row(s, pi.data());
    for (int a = 0; a < A_; ++a) v[s] += pi[size_t(a)] * w[Eigen::Index(s) * A_ + a];
  }
  return v / (1 - cfg_.gamma);
}

void SuccessorLearner::refresh() const {
  if (!stale_) return;
  stale_ = false;
  // For "own", pi comes from the Q of the previous refresh (policy_row reads q_ before it is
  // overwritten below): one step of lag, as an on-policy learner that acts, then evaluates.
  const Eigen::VectorXd w = msa_ * r_;
  std::vector<double> v(static_cast<size_t>(n_), 0.0), pi(static_cast<size_t>(A_));
  for (int s = 0; s < n_; ++s) {
    policy_row(s, pi.data());
    for (int a = 0; a < A_; ++a) v[size_t(s)] += pi[size_t(a)] * w[Eigen::Index(s) * A_ + a];
    v[size_t(s)] /= 1 - cfg_.gamma;
  }
  for (int s = 0; s < n_; ++s)
    for (int a = 0; a < A_; ++a) {
      double& q = q_[size_t(s) * A_ + a];
      if (!model_.known(s, a)) {
        q = 0;
        continue;
      }
      // Terminal or not: M has no notion of the episode's end (see the header).
      q = v[size_t(model_.entry(s, a).next_state)];
    }
}

const std::vector<double>& SuccessorLearner::q() const {
  refresh();
  return q_;
}

int SuccessorLearner::greedy(int s) {
  const std::vector<double>& q = this->q();
  const double* row = q.data() + size_t(s) * A_;
  double best = row[0];
  for (int a = 1; a < A_; ++a) best = std::max(best, row[a]);
  ties_.clear();
  for (int a = 0; a < A_; ++a)
    if (row[a] == best) ties_.push_back(a);
  return ties_.size() == 1 ? ties_[0] : ties_[rng_.below(ties_.size())];
}

int SuccessorLearner::act(int s) {
  if (rng_.uniform() < cfg_.epsilon) return int(rng_.below(uint64_t(A_)));
  return greedy(s);
}

void SuccessorLearner::td_update(int s, int a, int s_next) {
  const double g = cfg_.gamma;
  std::vector<double> pi(static_cast<size_t>(A_));
  policy_row(s_next, pi.data());
  Eigen::RowVectorXd target = Eigen::RowVectorXd::Zero(n_);
  for (int b = 0; b < A_; ++b) target += g * pi[size_t(b)] * msa_.row(Eigen::Index(s_next) * A_ + b);
  target[s] += 1 - g;
  auto row = msa_.row(Eigen::Index(s) * A_ + a);
  row += cfg_.alpha * (target - row);
  ++td_updates_;
  stale_ = true;
}

void SuccessorLearner::learn(int s, int a, double reward, int s_next, bool terminal) {
  ++time_;
  refresh();  // "own": pi of the Q before this transition
  r_[s_next] += cfg_.reward_alpha * (reward - r_[s_next]);
  model_.observe(s, a, s_next, reward, terminal, time_);
  td_update(s, a, s_next);
}

void SuccessorLearner::visit_state(StateVisitor& v) {
  std::vector<double> m(msa_.data(), msa_.data() + msa_.size());
  v.sized("m", m, size_t(msa_.size()));
  std::vector<double> r(r_.data(), r_.data() + r_.size());
  v.sized("r", r, size_t(r_.size()));
  v.field("rng", rng_);
  v.field("time", time_);
  v.field("td_updates", td_updates_);
  v.sized("q", q_, q_.size());
  v.field("q_stale", stale_);
  v.section("model", [&](StateVisitor& mv) { model_.visit_state(mv); });
  if (!v.loading()) return;
  for (double x : m)
    if (!std::isfinite(x)) v.fail("m", "finite numbers");
  for (double x : r)
    if (!std::isfinite(x)) v.fail("r", "finite numbers");
  std::copy(m.begin(), m.end(), msa_.data());
  std::copy(r.begin(), r.end(), r_.data());
  stale_ = true;
}

}  // namespace dynalab
