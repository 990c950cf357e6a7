#include "core/models/system_id_model.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/dataset.h"

namespace dynalab {

namespace {
struct SysIdWorkspace : DynamicsModel::Workspace {
  std::vector<float> out;           // n x 2D, column-major (mean, then the std columns: 0)
  std::vector<double> s, a, f0, F;  // one row's inputs and regressors
};
}  // namespace

SystemIdModel::SystemIdModel(ParametricDynamics form) : form_(std::move(form)) {
  if (form_.obs_dim < 1 || form_.action_dim < 1 || form_.coefficients < 1 || !form_.regressors)
    throw std::invalid_argument("SystemIdModel: incomplete parametric form");
  fit_.theta = Eigen::VectorXd::Zero(form_.coefficients);
  if (form_.physical) fit_.params = form_.physical(fit_.theta);
}

void SystemIdModel::set_theta(const Eigen::VectorXd& theta) {
  if (theta.size() != form_.coefficients)
    throw std::invalid_argument("SystemIdModel::set_theta: wrong size");
  fit_.theta = theta;
  fit_.params = form_.physical ? form_.physical(theta) : std::vector<double>();
}

const SystemIdFit& SystemIdModel::fit(const Dataset& data) {
  const int O = form_.obs_dim, A = form_.action_dim, p = form_.coefficients;
  if (data.obs_dim() != O || data.action_dim() != A)
    throw std::invalid_argument("SystemIdModel::fit: dataset dimensions do not match");
  const Eigen::MatrixXd S = data.observations(), U = data.actions(), S2 = data.next_observations();
  const long N = S.rows();
  Eigen::MatrixXd X(N * O, p);
  Eigen::VectorXd y(N * O);
  std::vector<double> s(O), a(A), s2(O), f0(O), F(size_t(O) * p);
  long rows = 0;
  size_t used = 0, outside = 0;
  for (long i = 0; i < N; ++i) {
    if (!S.row(i).allFinite() || !U.row(i).allFinite() || !S2.row(i).allFinite()) continue;
    for (int d = 0; d < O; ++d) s[d] = S(i, d), s2[d] = S2(i, d);
    for (int d = 0; d < A; ++d) a[d] = U(i, d);
    if (form_.describes && !form_.describes(s.data(), a.data(), s2.data())) {
      ++outside;
      continue;
    }
    form_.regressors(s.data(), a.data(), f0.data(), F.data());
    for (int d = 0; d < O; ++d, ++rows) {
      y[rows] = S2(i, d) - S(i, d) - f0[d];
      for (int j = 0; j < p; ++j) X(rows, j) = F[size_t(d) * p + j];
    }
    ++used;
  }
  fit_.outside = outside;
  fit_.transitions = used;
  ++fits_;
  if (used == 0) return fit_;  // nothing to fit: the coefficients stay
  X.conservativeResize(rows, p);
  y.conservativeResize(rows);
  // A complete orthogonal decomposition: least squares with the minimum-norm answer when the
  // data leave a direction of theta free (e.g. no data on a slope: gravity is not seen).
  Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> cod(X);
  fit_.theta = cod.solve(y);
  fit_.rank = int(cod.rank());
  fit_.residual_mse = (X * fit_.theta - y).squaredNorm() / double(rows);
  fit_.params = form_.physical ? form_.physical(fit_.theta) : std::vector<double>();
  return fit_;
}

void SystemIdModel::predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
                            MemberPredictions& out) const {
  auto ws = make_workspace();
  const auto m = predict_member(0, obs, actions, nullptr, obs.rows(), false, *ws);
  out.mean.assign(1, RowMatrixXf(m.leftCols(form_.obs_dim)));
  out.var.assign(1, RowMatrixXf::Zero(obs.rows(), form_.obs_dim));
}

std::unique_ptr<DynamicsModel::Workspace> SystemIdModel::make_workspace() const {
  auto ws = std::make_unique<SysIdWorkspace>();
  ws->s.resize(form_.obs_dim);
  ws->a.resize(form_.action_dim);
  ws->f0.resize(form_.obs_dim);
  ws->F.resize(size_t(form_.obs_dim) * form_.coefficients);
  return ws;
}

Eigen::Map<const Eigen::MatrixXf> SystemIdModel::predict_member(int, const RowMatrixXf& obs,
                                                                const RowMatrixXf& actions,
                                                                const int* rows, long n, bool,
                                                                Workspace& base) const {
  auto& ws = static_cast<SysIdWorkspace&>(base);
  const int O = form_.obs_dim, A = form_.action_dim, p = form_.coefficients;
  // Grows only; the view is n x 2D column-major over its front (the std columns stay 0).
  if (ws.out.size() < size_t(n) * 2 * O) ws.out.assign(size_t(n) * 2 * O, 0.0f);
  std::fill(ws.out.begin() + long(n) * O, ws.out.begin() + long(n) * 2 * O, 0.0f);
  for (long j = 0; j < n; ++j) {
    const long i = rows ? rows[j] : j;
    for (int d = 0; d < O; ++d) ws.s[d] = obs(i, d);
    for (int d = 0; d < A; ++d) ws.a[d] = actions(i, d);
    form_.regressors(ws.s.data(), ws.a.data(), ws.f0.data(), ws.F.data());
    for (int d = 0; d < O; ++d) {
      double v = ws.f0[d];
      for (int k = 0; k < p; ++k) v += ws.F[size_t(d) * p + k] * fit_.theta[k];
      ws.out[size_t(d) * n + j] = float(v);
    }
  }
  return Eigen::Map<const Eigen::MatrixXf>(ws.out.data(), n, 2 * O);
}

}  // namespace dynalab
