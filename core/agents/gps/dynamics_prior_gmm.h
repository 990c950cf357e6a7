#pragma once
// The dynamics prior of cbfinn/gps (python/gps/algorithm/dynamics/dynamics_prior_gmm.py and
// utility/gmm.py; Levine, Finn, Darrell & Abbeel, "End-to-End Training of Deep Visuomotor
// Policies", JMLR 2016, appendix A.3): a Gaussian mixture over the points [x_t; u_t; x_{t+1}] of
// the last `max_samples` rollouts of a condition, all time steps together, fitted by EM with
// K = clamp(points / min_samples_per_cluster, 2, max_clusters) clusters (warm-started from the
// previous fit while K stays the same; a fresh fit starts from a random assignment drawn from
// the caller's Rng). For the N points of one time step, the clusters weighted by the points'
// average posterior give the normal-inverse-Wishart prior (mean, covariance with strength m = 1,
// n0 = (points - 2 - D) / points, times `strength`) of fit_linear_gaussian: a piecewise-linear
// global model whose local linearisation fills what 5 samples cannot determine.
//
// One deviation: EM stops when the log-likelihood changes by less than 1e-5 of its magnitude
// (cbfinn/gps compares with 1e-5 times the signed value, which never stops a negative one before
// its 100 iterations).

#include <Eigen/Core>
#include <vector>

#include "core/agents/gps/joint_gaussian_fit.h"
#include "core/config.h"
#include "core/planning/local_linear_fit.h"
#include "core/space.h"

namespace dynalab {

class Rng;
class StateVisitor;

/// cbfinn/gps's DynamicsPriorGMM settings (the values its Box2D examples use).
struct GmmPriorConfig {
  int max_clusters = 20;             ///< at most this many clusters
  int min_samples_per_cluster = 40;  ///< points per cluster when choosing K
  int max_samples = 20;              ///< rollouts kept (the newest)
  double strength = 1.0;             ///< multiplies the prior's m and n0

  template <class V>
  void visit(V& v) {
    v.field("max_clusters", max_clusters, Range::closed(2, 1000), Apply::on_reset, "clusters of the dynamics prior's GMM at most");
    v.field("min_samples_per_cluster", min_samples_per_cluster, Range::closed(1, 100000), Apply::on_reset,
            "points per cluster when choosing the number of clusters");
    v.field("max_samples", max_samples, Range::closed(1, 10000), Apply::on_reset, "newest rollouts the prior is fitted on");
    v.field("strength", strength, Range::positive(), Apply::on_reset, "multiplies the prior's strength");
  }
};

class DynamicsPriorGmm {
 public:
  explicit DynamicsPriorGmm(GmmPriorConfig cfg = {}) : cfg_(cfg) {}
  /// Adds rollouts X[i] (T + 1 states) and U[i] (T actions), keeps the newest max_samples and
  /// refits the mixture. Throws std::invalid_argument on ragged rollouts.
  void update(const std::vector<std::vector<Vec>>& X, const std::vector<std::vector<Vec>>& U, Rng& rng);
  /// The prior for the points `pts` (rows [x; u; x'], D columns). Needs a fitted mixture.
  NiwPrior eval(const Eigen::MatrixXd& pts) const;
  /// True once update() has fitted a mixture.
  bool fitted() const { return !mu_.empty(); }
  /// The mixture's number of clusters (0 before the first update).
  int clusters() const { return int(mu_.size()); }
  /// The stored rollouts and the mixture, for sessions.
  void visit_state(StateVisitor& v);

 private:
  /// log p(point i, cluster k) for every row of `pts` (rows x K).
  Eigen::MatrixXd log_joint(const Eigen::MatrixXd& pts) const;
  void em(const Eigen::MatrixXd& data, int K, Rng& rng);

  GmmPriorConfig cfg_;
  std::vector<std::vector<Vec>> X_, U_;  // the stored rollouts, oldest first
  std::vector<Vec> mu_;                  // K cluster means (D)
  std::vector<Eigen::MatrixXd> sigma_;   // K cluster covariances
  Vec logmass_;                          // K log mixing weights
  int init_points_ = 0;                  // points at the last fresh initialisation (gmm.py's N)
};

/// cbfinn/gps DynamicsLRPrior.fit: per step t < T, fit_linear_gaussian of the N points [x_t; u_t;
/// x_{t+1}] with the prior's eval at them and `regularization` added to the [x; u] block's
/// diagonal. noise_cov is the conditional covariance. N >= 2 rollouts.
LocalLinearModel fit_dynamics_with_prior(const std::vector<std::vector<Vec>>& X, const std::vector<std::vector<Vec>>& U,
                                         const DynamicsPriorGmm& prior, double regularization);

}  // namespace dynalab
