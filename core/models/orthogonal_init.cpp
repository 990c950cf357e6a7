#include "core/models/orthogonal_init.h"

#include <Eigen/QR>
#include <stdexcept>

#include "core/rng.h"

namespace dynalab {

void orthogonal_init(Mlp& net, const std::vector<double>& gains, Rng& rng) {
  const MlpShape& s = net.shape();
  if (int(gains.size()) != s.layers())
    throw std::invalid_argument("orthogonal_init: one gain per layer");
  net.params().setZero();
  for (int l = 0; l < s.layers(); ++l) {
    const int rows = s.fan_in(l), cols = s.fan_out(l);
    // QR of the taller orientation gives orthonormal columns; transpose back if needed.
    const bool tall = rows >= cols;
    Eigen::MatrixXd g(tall ? rows : cols, tall ? cols : rows);
    for (Eigen::Index r = 0; r < g.rows(); ++r)
      for (Eigen::Index c = 0; c < g.cols(); ++c) g(r, c) = rng.normal();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(g.rows(), g.cols());
    const Eigen::MatrixXd r = qr.matrixQR().topRows(g.cols()).triangularView<Eigen::Upper>();
    for (Eigen::Index c = 0; c < q.cols(); ++c)
      if (r(c, c) < 0) q.col(c) = -q.col(c);
    const Eigen::MatrixXd w = (tall ? q : Eigen::MatrixXd(q.transpose())) * gains[size_t(l)];
    Eigen::Map<Eigen::MatrixXf>(net.params().data() + net.w_offset(l), rows, cols) = w.cast<float>();
  }
}

}  // namespace dynalab
