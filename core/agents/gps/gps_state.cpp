#include "core/agents/gps/gps_state.h"

#include "core/state_visitor.h"

namespace dynalab {

void visit_gps_vec(StateVisitor& v, const std::string& key, Vec& x) {
  std::vector<double> d(x.data(), x.data() + x.size());
  v.field(key, d);
  if (v.loading()) x = Eigen::Map<const Vec>(d.data(), Eigen::Index(d.size()));
}

void visit_gps_matrix(StateVisitor& v, const std::string& key, Eigen::MatrixXd& m) {
  v.section(key, [&](StateVisitor& mv) {
    int rows = int(m.rows()), cols = int(m.cols());
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = m;
    std::vector<double> data(row_major.data(), row_major.data() + row_major.size());
    mv.bounded("rows", rows, 0, 100000);
    mv.bounded("cols", cols, 0, 100000);
    mv.field("data", data);
    if (!mv.loading()) return;
    if (data.size() != size_t(rows) * size_t(cols))
      mv.fail("data", std::to_string(size_t(rows) * size_t(cols)) + " values (rows x cols)");
    m = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(data.data(), rows, cols);
  });
}

void visit_gps_vectors(StateVisitor& v, const std::string& key, std::vector<Vec>& xs) {
  v.records(
      key, xs.size(), [&](size_t n) { xs.assign(n, Vec()); },
      [&](size_t i, StateVisitor& r) { visit_gps_vec(r, "x", xs[i]); });
}

void visit_gps_matrices(StateVisitor& v, const std::string& key, std::vector<Eigen::MatrixXd>& ms) {
  v.records(
      key, ms.size(), [&](size_t n) { ms.assign(n, Eigen::MatrixXd()); },
      [&](size_t i, StateVisitor& r) { visit_gps_matrix(r, "m", ms[i]); });
}

void visit_gps_rollouts(StateVisitor& v, const std::string& key, std::vector<std::vector<Vec>>& rollouts) {
  v.records(
      key, rollouts.size(), [&](size_t n) { rollouts.assign(n, {}); },
      [&](size_t i, StateVisitor& r) { visit_gps_vectors(r, "steps", rollouts[i]); });
}

void visit_gps_controller(StateVisitor& v, const std::string& key, LinearGaussianController& c) {
  v.section(key, [&](StateVisitor& cv) {
    visit_gps_matrices(cv, "K", c.K);
    visit_gps_vectors(cv, "k", c.k);
    visit_gps_matrices(cv, "cov", c.cov);
    visit_gps_matrices(cv, "chol", c.chol);
    visit_gps_matrices(cv, "precision", c.precision);
    if (cv.loading() && (c.k.size() != c.K.size() || c.cov.size() != c.K.size() || c.chol.size() != c.K.size() ||
                         c.precision.size() != c.K.size()))
      cv.fail("K", "as many gains, offsets and covariances");
  });
}

void visit_gps_dynamics(StateVisitor& v, const std::string& key, LocalLinearModel& m) {
  v.section(key, [&](StateVisitor& dv) {
    visit_gps_matrices(dv, "A", m.A);
    visit_gps_matrices(dv, "B", m.B);
    visit_gps_vectors(dv, "c", m.c);
    visit_gps_matrices(dv, "noise_cov", m.noise_cov);
    if (dv.loading() && (m.B.size() != m.A.size() || m.c.size() != m.A.size() || m.noise_cov.size() != m.A.size()))
      dv.fail("A", "as many A, B, c and noise covariances");
  });
}

}  // namespace dynalab
