#include "core/agents/gps/dynamics_prior_gmm.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "core/agents/gps/gps_state.h"
#include "core/rng.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

/// log sum exp of each row of `a` (rows x 1).
Vec gmm_row_logsumexp(const Eigen::MatrixXd& a) {
  Vec out(a.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    const double mx = a.row(i).maxCoeff();
    out[i] = std::isfinite(mx) ? mx + std::log((a.row(i).array() - mx).exp().sum()) : mx;
  }
  return out;
}

/// The rollouts' transitions as rows [x_t; u_t; x_{t+1}].
Eigen::MatrixXd gmm_transition_rows(const std::vector<std::vector<Vec>>& X, const std::vector<std::vector<Vec>>& U) {
  const int N = int(X.size()), T = int(U[0].size()), n = int(X[0][0].size()), m = int(U[0][0].size());
  Eigen::MatrixXd rows(N * T, 2 * n + m);
  for (int i = 0; i < N; ++i)
    for (int t = 0; t < T; ++t) rows.row(i * T + t) << X[i][t].transpose(), U[i][t].transpose(), X[i][t + 1].transpose();
  return rows;
}

}  // namespace

void DynamicsPriorGmm::update(const std::vector<std::vector<Vec>>& X, const std::vector<std::vector<Vec>>& U, Rng& rng) {
  if (X.empty() || X.size() != U.size() || U[0].empty())
    throw std::invalid_argument("DynamicsPriorGmm::update: expected as many action sequences as rollouts");
  const size_t T = U[0].size();
  for (size_t i = 0; i < X.size(); ++i)
    if (U[i].size() != T || X[i].size() != T + 1)
      throw std::invalid_argument("DynamicsPriorGmm::update: every rollout needs T + 1 states and T actions");
  if (!U_.empty() && U_[0].size() != T) throw std::invalid_argument("DynamicsPriorGmm::update: another horizon than before");
  X_.insert(X_.end(), X.begin(), X.end());
  U_.insert(U_.end(), U.begin(), U.end());
  const size_t keep = size_t(cfg_.max_samples);
  if (X_.size() > keep) {
    X_.erase(X_.begin(), X_.end() - long(keep));
    U_.erase(U_.begin(), U_.end() - long(keep));
  }
  const Eigen::MatrixXd data = gmm_transition_rows(X_, U_);
  const int K = int(std::max<long>(2, std::min<long>(cfg_.max_clusters, data.rows() / cfg_.min_samples_per_cluster)));
  em(data, K, rng);
}

Eigen::MatrixXd DynamicsPriorGmm::log_joint(const Eigen::MatrixXd& pts) const {
  const int N = int(pts.rows()), D = int(pts.cols()), K = int(mu_.size());
  Eigen::MatrixXd out(N, K);
  for (int k = 0; k < K; ++k) {
    Eigen::LLT<Eigen::MatrixXd> llt(sigma_[k]);
    const Eigen::MatrixXd L = llt.matrixL();
    const double half_logdet = L.diagonal().array().log().sum();
    const Eigen::MatrixXd diff = (pts.rowwise() - mu_[k].transpose()).transpose();  // D x N
    const Eigen::MatrixXd z = L.triangularView<Eigen::Lower>().solve(diff);
    out.col(k) = (-0.5 * z.colwise().squaredNorm()).transpose().array() - half_logdet -
                 0.5 * D * std::log(2 * std::numbers::pi) + logmass_[k];
  }
  return out;
}

void DynamicsPriorGmm::em(const Eigen::MatrixXd& data, int K, Rng& rng) {
  const int N = int(data.rows()), D = int(data.cols());
  const Eigen::MatrixXd eye = Eigen::MatrixXd::Identity(D, D);
  if (int(mu_.size()) != K || (mu_.size() && mu_[0].size() != D)) {
    // A fresh start: a random cluster per point (an empty cluster takes the whole data's moments).
    mu_.assign(size_t(K), Vec::Zero(D));
    sigma_.assign(size_t(K), eye);
    logmass_ = Vec::Constant(K, std::log(1.0 / K));
    init_points_ = N;
    std::vector<std::vector<int>> members(static_cast<size_t>(K));
    for (int i = 0; i < N; ++i) members[rng.below(uint64_t(K))].push_back(i);
    const Vec all_mean = data.colwise().mean().transpose();
    const Eigen::MatrixXd all_diff = data.rowwise() - all_mean.transpose();
    for (int k = 0; k < K; ++k) {
      if (members[k].empty()) {
        mu_[k] = all_mean;
        sigma_[k] = all_diff.transpose() * all_diff / N + 2e-6 * eye;
        continue;
      }
      Eigen::MatrixXd pts(members[k].size(), D);
      for (size_t j = 0; j < members[k].size(); ++j) pts.row(long(j)) = data.row(members[k][j]);
      mu_[k] = pts.colwise().mean().transpose();
      const Eigen::MatrixXd diff = pts.rowwise() - mu_[k].transpose();
      sigma_[k] = diff.transpose() * diff / K + 2e-6 * eye;  // gmm.py's scale (1/K)
    }
  }
  double prev_ll = -std::numeric_limits<double>::infinity();
  for (int it = 0; it < 100; ++it) {
    const Eigen::MatrixXd logobs = log_joint(data);  // N x K
    const Vec lse = gmm_row_logsumexp(logobs);
    const double ll = lse.sum();
    if (ll < prev_ll) break;
    if (std::abs(ll - prev_ll) < 1e-5 * std::abs(prev_ll)) break;
    prev_ll = ll;
    const Eigen::MatrixXd logw = logobs.colwise() - lse;  // posterior per point
    // Cluster masses, and weights normalised over the points of each cluster.
    const Vec col_lse = gmm_row_logsumexp(logw.transpose());  // K
    const double tot = gmm_row_logsumexp(col_lse.transpose())[0];
    logmass_ = col_lse.array() - tot;
    Eigen::MatrixXd w = (logw.rowwise() - col_lse.transpose()).array().exp();
    for (int k = 0; k < K; ++k)
      if (std::exp(logmass_[k]) < 1e-4 / K) w.col(k).setConstant(1.0 / N);  // reboot a dead cluster
    for (int k = 0; k < K; ++k) {
      mu_[k] = data.transpose() * w.col(k);
      const Eigen::MatrixXd wd = data.array().colwise() * w.col(k).array().sqrt();
      Eigen::MatrixXd s = wd.transpose() * wd - mu_[k] * mu_[k].transpose();
      sigma_[k] = 0.5 * (s + s.transpose()) + 1e-6 * eye;
    }
  }
}

NiwPrior DynamicsPriorGmm::eval(const Eigen::MatrixXd& pts) const {
  if (!fitted()) throw std::logic_error("DynamicsPriorGmm::eval before update");
  const int N = int(pts.rows()), D = int(pts.cols()), K = int(mu_.size());
  if (mu_[0].size() != D) throw std::invalid_argument("DynamicsPriorGmm::eval: points of another dimension");
  // The points' average posterior over the clusters.
  const Eigen::MatrixXd logobs = log_joint(pts);
  const Eigen::MatrixXd logw = logobs.colwise() - gmm_row_logsumexp(logobs);
  Vec wts = (gmm_row_logsumexp(logw.transpose()).array() - std::log(double(N))).exp();
  NiwPrior p;
  p.mu0 = Vec::Zero(D);
  for (int k = 0; k < K; ++k) p.mu0 += wts[k] * mu_[k];
  p.Phi = Eigen::MatrixXd::Zero(D, D);
  for (int k = 0; k < K; ++k) {
    const Vec d = mu_[k] - p.mu0;
    p.Phi += wts[k] * (sigma_[k] + d * d.transpose());
  }
  const double n = std::max(1, init_points_);
  p.m = cfg_.strength;
  p.n0 = (n - 2 - D) / n * cfg_.strength;
  p.Phi *= p.m;
  return p;
}

void DynamicsPriorGmm::visit_state(StateVisitor& v) {
  visit_gps_rollouts(v, "X", X_);
  visit_gps_rollouts(v, "U", U_);
  visit_gps_vectors(v, "mu", mu_);
  visit_gps_matrices(v, "sigma", sigma_);
  visit_gps_vec(v, "logmass", logmass_);
  v.field("init_points", init_points_);
  if (v.loading() && (sigma_.size() != mu_.size() || size_t(logmass_.size()) != mu_.size() || X_.size() != U_.size()))
    v.fail("mu", "as many cluster means, covariances and masses, and rollouts of states and actions");
}

LocalLinearModel fit_dynamics_with_prior(const std::vector<std::vector<Vec>>& X, const std::vector<std::vector<Vec>>& U,
                                         const DynamicsPriorGmm& prior, double regularization) {
  if (X.size() < 2 || X.size() != U.size() || U[0].empty())
    throw std::invalid_argument("fit_dynamics_with_prior: needs at least 2 rollouts with actions");
  const int N = int(X.size()), T = int(U[0].size()), n = int(X[0][0].size()), m = int(U[0][0].size());
  const int D = 2 * n + m;
  Eigen::MatrixXd reg = Eigen::MatrixXd::Zero(D, D);
  reg.topLeftCorner(n + m, n + m).diagonal().setConstant(regularization);
  LocalLinearModel out;
  for (int t = 0; t < T; ++t) {
    Eigen::MatrixXd pts(N, D);
    for (int i = 0; i < N; ++i) {
      if (int(X[i].size()) != T + 1 || int(U[i].size()) != T)
        throw std::invalid_argument("fit_dynamics_with_prior: every rollout needs T + 1 states and T actions");
      pts.row(i) << X[i][t].transpose(), U[i][t].transpose(), X[i][t + 1].transpose();
    }
    const LinearGaussianFit fit = fit_linear_gaussian(pts, n + m, prior.eval(pts), reg);
    out.A.push_back(fit.F.leftCols(n));
    out.B.push_back(fit.F.rightCols(m));
    out.c.push_back(fit.f);
    out.noise_cov.push_back(fit.cov);
  }
  return out;
}

}  // namespace dynalab
