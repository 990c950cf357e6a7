#include "core/planning/local_linear_fit.h"

#include <Eigen/QR>
#include <cmath>
#include <stdexcept>

namespace dynalab {

LocalLinearModel fit_local_linear(const std::vector<std::vector<Vec>>& X,
                                  const std::vector<std::vector<Vec>>& U, double ridge,
                                  const LocalLinearModel* prior) {
  if (X.empty() || X.size() != U.size())
    throw std::invalid_argument("fit_local_linear: expected as many action sequences as rollouts (at least one)");
  if (!(ridge >= 0)) throw std::invalid_argument("fit_local_linear: ridge must be >= 0");
  const int N = int(X.size()), H = int(U[0].size());
  if (H == 0) throw std::invalid_argument("fit_local_linear: the rollouts have no steps");
  const int n = int(X[0][0].size()), m = int(U[0][0].size()), p = n + m + 1;
  for (int i = 0; i < N; ++i) {
    if (int(U[i].size()) != H || int(X[i].size()) != H + 1)
      throw std::invalid_argument("fit_local_linear: every rollout needs H + 1 states and H actions");
    for (const Vec& x : X[i])
      if (x.size() != n) throw std::invalid_argument("fit_local_linear: states of different sizes");
    for (const Vec& u : U[i])
      if (u.size() != m) throw std::invalid_argument("fit_local_linear: actions of different sizes");
  }
  if (prior && (prior->horizon() != H || prior->A[0].rows() != n || prior->B[0].cols() != m))
    throw std::invalid_argument("fit_local_linear: the prior has another horizon or other sizes");

  LocalLinearModel out;
  const double s = std::sqrt(ridge);
  const int rows = N + (ridge > 0 ? p : 0);
  for (int t = 0; t < H; ++t) {
    // The ridge as extra rows: [Z'; s I] W' = [Y'; s W0'] is the normal equations' system.
    Eigen::MatrixXd Z(rows, p), Y(rows, n);
    for (int i = 0; i < N; ++i) {
      Z.row(i) << X[i][t].transpose(), U[i][t].transpose(), 1.0;
      Y.row(i) = X[i][t + 1].transpose();
    }
    if (ridge > 0) {
      Z.bottomRows(p) = s * Eigen::MatrixXd::Identity(p, p);
      Eigen::MatrixXd W0 = Eigen::MatrixXd::Zero(n, p);
      if (prior) W0 << prior->A[t], prior->B[t], prior->c[t];
      Y.bottomRows(p) = s * W0.transpose();
    }
    const Eigen::MatrixXd W = Z.colPivHouseholderQr().solve(Y).transpose();  // n x p
    out.A.push_back(W.leftCols(n));
    out.B.push_back(W.middleCols(n, m));
    out.c.push_back(W.col(n + m));
    const Eigen::MatrixXd R = Y.topRows(N) - Z.topRows(N) * W.transpose();  // N x n residuals
    out.noise_cov.push_back(R.transpose() * R / N);
  }
  return out;
}

}  // namespace dynalab
