#pragma once
// Successor features and generalised policy improvement (Barreto et al., "Successor Features
// for Transfer in Reinforcement Learning", NIPS 2017; deck 001, "Successor features" and "Using
// successor features") on a FeatureMdp (feature_mdp.h):
//   SF:   psi^pi(s, a) = phi(s, a, s') + gamma E[psi^pi(s', pi(s'))]   (zero after a terminal step)
//   Q:    Q^pi_w(s, a) = psi^pi(s, a)^T w   when r = phi^T w
//   GPI:  pi'(s) = argmax_a max_k psi^{pi_k}(s, a)^T w   ("finds the highest reward policy in
//         each state"), with Q^{pi'}(s, a) >= max_k Q^{pi_k}(s, a) for every (s, a) (the GPI
//         theorem, Barreto et al. Theorem 1).
//   Idea 1: one policy pi_k* picked once for all states, pi'(s) = argmax_a psi^{pi_k*}(s, a)^T w:
//         one step of policy iteration, "better than nothing, but not optimal".
// Tables are Eigen matrices with one row per (s, a) pair, row s * n_actions + a, and one column
// per feature.

#include <Eigen/Core>
#include <vector>

#include "core/agents/successor_features/feature_mdp.h"

namespace dynalab {

using SfTable = Eigen::MatrixXd;  ///< (n_states * n_actions) x n_features
using Policy = std::vector<int>;  ///< the action of each state (-1 where the agent never acts)

/// The features of a transition into `s_next`: e_k if it is object k, else 0 (length n_features).
Eigen::VectorXd transition_features(const FeatureMdp& m, int s_next);

/// The exact successor features of deterministic policy `pi` (gamma in [0, 1)), solved as one
/// sparse linear system (I - gamma P_pi) Psi = Phi over the live pairs; rows of other states are 0.
SfTable exact_successor_features(const FeatureMdp& m, const Policy& pi, double gamma);

/// Q(s, a) = psi(s, a)^T w for every pair (length n_states * n_actions).
Eigen::VectorXd sf_q_values(const SfTable& psi, const Eigen::VectorXd& w);

/// The optimal deterministic policy for reward r = phi^T w, by value iteration to 1e-12 (ties go
/// to the lowest action index). `v`, if given, receives V*(s) (0 where the agent never acts).
Policy optimal_policy(const FeatureMdp& m, const Eigen::VectorXd& w, double gamma, Eigen::VectorXd* v = nullptr);

/// The K base policies: pi_k optimal for "collect object k" (w = e_k).
std::vector<Policy> object_policies(const FeatureMdp& m, double gamma);

/// A policy built from several SFs, and which base policy k chose the action in each state.
struct ComposedPolicy {
  Policy action;
  std::vector<int> source;   ///< the k whose psi_k gave the max (-1 where the agent never acts)
  std::vector<double> value; ///< the value the choice promises, max_a psi_source(s, a)^T w
};

/// GPI: pi'(s) = argmax_a max_k psi_k(s, a)^T w (ties: lowest action; among the k that tie at
/// it, the one with the largest psi_k(s, a)_k, then the lowest k).
ComposedPolicy gpi_policy(const FeatureMdp& m, const std::vector<SfTable>& psi, const Eigen::VectorXd& w);

/// The base policy idea 1 keeps: the k with the highest mean over live states of
/// max_a psi_k(s, a)^T w (one pick for every state).
int best_single_policy(const FeatureMdp& m, const std::vector<SfTable>& psi, const Eigen::VectorXd& w);

/// Idea 1: one policy-improvement step on pi_k*, k* = best_single_policy.
ComposedPolicy idea1_policy(const FeatureMdp& m, const std::vector<SfTable>& psi, const Eigen::VectorXd& w);

/// TD(0) learning of the SFs of fixed policies from experience (off-policy: any behaviour's
/// transitions update every psi_k, the target acting with pi_k at s').
class SfTdLearner {
 public:
  SfTdLearner(const FeatureMdp& m, std::vector<Policy> policies, double gamma);
  /// psi_k(s, a) += alpha [phi(s') + gamma (1 - terminal) psi_k(s', pi_k(s')) - psi_k(s, a)] for
  /// every k. Returns the largest absolute change.
  double update(int s, int a, int s_next, bool terminal, double alpha);
  const std::vector<SfTable>& psi() const { return psi_; }
  std::vector<SfTable>& psi() { return psi_; }
  const std::vector<Policy>& policies() const { return policies_; }
  int64_t updates() const { return updates_; }
  void set_updates(int64_t n) { updates_ = n; }
  void set_gamma(double gamma) { gamma_ = gamma; }

 private:
  const FeatureMdp* m_;
  std::vector<Policy> policies_;
  double gamma_;
  std::vector<SfTable> psi_;
  int64_t updates_ = 0;
};

/// Least squares of rewards on features (deck 001: w = argmin_w sum_i ||phi(s_i)^T w - r_i||^2),
/// from the sufficient statistics A = sum phi phi^T and b = sum phi r. A feature never seen gets
/// weight 0 (a ridge of 1e-9 keeps the solve defined).
class RewardRegression {
 public:
  explicit RewardRegression(int n_features = 0);
  void add(const Eigen::VectorXd& phi, double r);
  void clear();
  Eigen::VectorXd weights() const;
  /// True once a sample has switched feature k on.
  bool known(int k) const { return a_(k, k) > 0; }
  int64_t samples() const { return samples_; }
  Eigen::MatrixXd& a() { return a_; }
  Eigen::VectorXd& b() { return b_; }
  int64_t& samples_ref() { return samples_; }

 private:
  Eigen::MatrixXd a_;
  Eigen::VectorXd b_;
  int64_t samples_ = 0;
};

}  // namespace dynalab
