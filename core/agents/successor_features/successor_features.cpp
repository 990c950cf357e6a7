#include "core/agents/successor_features/successor_features.h"

#include <Eigen/Cholesky>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace dynalab {

Eigen::VectorXd transition_features(const FeatureMdp& m, int s_next) {
  Eigen::VectorXd phi = Eigen::VectorXd::Zero(m.n_features);
  if (s_next >= 0 && s_next < m.n_states && m.feature_of[size_t(s_next)] >= 0) phi[m.feature_of[size_t(s_next)]] = 1;
  return phi;
}

SfTable exact_successor_features(const FeatureMdp& m, const Policy& pi, double gamma) {
  if (!(gamma >= 0 && gamma < 1)) throw std::invalid_argument("exact_successor_features: gamma in [0, 1)");
  // Number the live pairs, then (I - gamma P) Psi = Phi with one off-diagonal entry per row:
  // the pair (s', pi(s')) that (s, a) continues with.
  std::vector<int> index(m.next.size(), -1);
  int n = 0;
  for (int s = 0; s < m.n_states; ++s)
    if (m.live[size_t(s)])
      for (int a = 0; a < m.n_actions; ++a) index[size_t(m.pair(s, a))] = n++;
  std::vector<Eigen::Triplet<double>> entries;
  Eigen::MatrixXd phi = Eigen::MatrixXd::Zero(n, m.n_features);
  for (int s = 0; s < m.n_states; ++s) {
    if (!m.live[size_t(s)]) continue;
    for (int a = 0; a < m.n_actions; ++a) {
      const int p = m.pair(s, a), i = index[size_t(p)];
      entries.emplace_back(i, i, 1.0);
      const int s2 = m.next[size_t(p)];
      phi.row(i) = transition_features(m, s2).transpose();
      if (m.terminal[size_t(p)] || s2 < 0 || !m.live[size_t(s2)]) continue;
      if (pi[size_t(s2)] < 0) throw std::invalid_argument("exact_successor_features: the policy has no action at a live state");
      entries.emplace_back(i, index[size_t(m.pair(s2, pi[size_t(s2)]))], -gamma);
    }
  }
  Eigen::SparseMatrix<double> system(n, n);
  system.setFromTriplets(entries.begin(), entries.end());
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu(system);
  if (lu.info() != Eigen::Success) throw std::runtime_error("exact_successor_features: the solve failed");
  const Eigen::MatrixXd solved = lu.solve(phi);
  SfTable psi = SfTable::Zero(Eigen::Index(m.next.size()), m.n_features);
  for (size_t p = 0; p < index.size(); ++p)
    if (index[p] >= 0) psi.row(Eigen::Index(p)) = solved.row(index[p]);
  return psi;
}

Eigen::VectorXd sf_q_values(const SfTable& psi, const Eigen::VectorXd& w) { return psi * w; }

Policy optimal_policy(const FeatureMdp& m, const Eigen::VectorXd& w, double gamma, Eigen::VectorXd* v_out) {
  Eigen::VectorXd v = Eigen::VectorXd::Zero(m.n_states);
  Policy pi(size_t(m.n_states), -1);
  auto q = [&](int s, int a) {
    const int p = m.pair(s, a), s2 = m.next[size_t(p)];
    const double r = s2 >= 0 ? transition_features(m, s2).dot(w) : 0.0;
    return r + (m.terminal[size_t(p)] || s2 < 0 ? 0.0 : gamma * v[s2]);
  };
  for (int sweep = 0; sweep < 100000; ++sweep) {
    double change = 0;
    for (int s = 0; s < m.n_states; ++s) {
      if (!m.live[size_t(s)]) continue;
      double best = -std::numeric_limits<double>::infinity();
      for (int a = 0; a < m.n_actions; ++a) best = std::max(best, q(s, a));
      change = std::max(change, std::abs(best - v[s]));
      v[s] = best;
    }
    if (change < 1e-12) break;
  }
  for (int s = 0; s < m.n_states; ++s) {
    if (!m.live[size_t(s)]) continue;
    double best = -std::numeric_limits<double>::infinity();
    for (int a = 0; a < m.n_actions; ++a)
      if (const double x = q(s, a); x > best + 1e-12) best = x, pi[size_t(s)] = a;
  }
  if (v_out) *v_out = v;
  return pi;
}

std::vector<Policy> object_policies(const FeatureMdp& m, double gamma) {
  std::vector<Policy> out;
  for (int k = 0; k < m.n_features; ++k) out.push_back(optimal_policy(m, Eigen::VectorXd::Unit(m.n_features, k), gamma));
  return out;
}

namespace {
ComposedPolicy compose(const FeatureMdp& m, const std::vector<SfTable>& psi, const Eigen::VectorXd& w,
                       int only_k) {
  ComposedPolicy c{Policy(size_t(m.n_states), -1), std::vector<int>(size_t(m.n_states), -1),
                   std::vector<double>(size_t(m.n_states), 0.0)};
  std::vector<Eigen::VectorXd> q;
  for (const auto& p : psi) q.push_back(p * w);
  for (int s = 0; s < m.n_states; ++s) {
    if (!m.live[size_t(s)]) continue;
    double best = -std::numeric_limits<double>::infinity();
    for (int a = 0; a < m.n_actions; ++a)
      for (int k = 0; k < int(psi.size()); ++k) {
        if (only_k >= 0 && k != only_k) continue;
        const double x = q[size_t(k)][m.pair(s, a)];
        // On a tie at the same action (every policy's psi agrees on a step into an object), the
        // source is the policy that expects its own object most from there: stepping into b is
        // pi_b's move, whichever k comes first.
        const bool tie_prefers = std::abs(x - best) <= 1e-12 && a == c.action[size_t(s)] &&
                                 psi[size_t(k)](m.pair(s, a), k) > psi[size_t(c.source[size_t(s)])](m.pair(s, a), c.source[size_t(s)]) + 1e-12;
        if (x > best + 1e-12 || tie_prefers) {
          best = std::max(best, x);
          c.action[size_t(s)] = a;
          c.source[size_t(s)] = k;
        }
      }
    c.value[size_t(s)] = best;
  }
  return c;
}
}  // namespace

ComposedPolicy gpi_policy(const FeatureMdp& m, const std::vector<SfTable>& psi, const Eigen::VectorXd& w) {
  return compose(m, psi, w, -1);
}

int best_single_policy(const FeatureMdp& m, const std::vector<SfTable>& psi, const Eigen::VectorXd& w) {
  int best_k = 0;
  double best = -std::numeric_limits<double>::infinity();
  for (int k = 0; k < int(psi.size()); ++k) {
    const Eigen::VectorXd q = psi[size_t(k)] * w;
    double sum = 0;
    for (int s = 0; s < m.n_states; ++s) {
      if (!m.live[size_t(s)]) continue;
      double v = -std::numeric_limits<double>::infinity();
      for (int a = 0; a < m.n_actions; ++a) v = std::max(v, q[m.pair(s, a)]);
      sum += v;
    }
    if (sum > best + 1e-12) best = sum, best_k = k;
  }
  return best_k;
}

ComposedPolicy idea1_policy(const FeatureMdp& m, const std::vector<SfTable>& psi, const Eigen::VectorXd& w) {
  return compose(m, psi, w, best_single_policy(m, psi, w));
}

SfTdLearner::SfTdLearner(const FeatureMdp& m, std::vector<Policy> policies, double gamma)
    : m_(&m), policies_(std::move(policies)), gamma_(gamma) {
  for (size_t k = 0; k < policies_.size(); ++k) psi_.push_back(SfTable::Zero(Eigen::Index(m.next.size()), m.n_features));
}

double SfTdLearner::update(int s, int a, int s_next, bool terminal, double alpha) {
  const FeatureMdp& m = *m_;
  const Eigen::VectorXd phi = transition_features(m, s_next);
  const Eigen::Index p = m.pair(s, a);
  double change = 0;
  for (size_t k = 0; k < psi_.size(); ++k) {
    Eigen::VectorXd target = phi;
    const int a2 = terminal || s_next < 0 ? -1 : policies_[k][size_t(s_next)];
    if (a2 >= 0) target += gamma_ * psi_[k].row(m.pair(s_next, a2)).transpose();
    const Eigen::VectorXd delta = alpha * (target - psi_[k].row(p).transpose());
    psi_[k].row(p) += delta.transpose();
    change = std::max(change, delta.cwiseAbs().maxCoeff());
  }
  ++updates_;
  return change;
}

RewardRegression::RewardRegression(int n_features)
    : a_(Eigen::MatrixXd::Zero(n_features, n_features)), b_(Eigen::VectorXd::Zero(n_features)) {}

void RewardRegression::add(const Eigen::VectorXd& phi, double r) {
  a_ += phi * phi.transpose();
  b_ += phi * r;
  ++samples_;
}

void RewardRegression::clear() {
  a_.setZero();
  b_.setZero();
  samples_ = 0;
}

Eigen::VectorXd RewardRegression::weights() const {
  const Eigen::MatrixXd ridge = a_ + 1e-9 * Eigen::MatrixXd::Identity(a_.rows(), a_.cols());
  return ridge.ldlt().solve(b_);
}

}  // namespace dynalab
