#include "core/agents/latent/latent_evaluator.h"

#include <cmath>
#include <limits>

namespace dynalab {

LatentEvaluator::LatentEvaluator(const LatentModel* model, Vec low, Vec high) : model_(model), unit_(low, high) {}

void LatentEvaluator::evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t,
                               Eigen::VectorXf& returns, std::vector<float>* paths) {
  const int P = int(actions.rows()), A = action_dim(), Z = obs_dim();
  LatentModel::Mat z = start.cast<float>().transpose().replicate(P, 1), z_next, r;
  returns = Eigen::VectorXf::Zero(P);
  if (paths) paths->assign(size_t(P) * size_t(horizon + 1) * size_t(Z), 0.0f);
  auto record = [&](int t) {
    if (!paths) return;
    for (int p = 0; p < P; ++p)
      for (int d = 0; d < Z; ++d) (*paths)[(size_t(p) * size_t(horizon + 1) + size_t(t)) * size_t(Z) + size_t(d)] = z(p, d);
  };
  record(0);
  for (int t = 0; t < horizon; ++t) {
    const LatentModel::Mat a = unit_(actions.middleCols(t * A, A));
    model_->step(z, a, z_next, r);
    returns += (float(shift_) + float(scale_) * r.col(0).array()).matrix();
    if (novelty_weight_ > 0 && seen_.rows() > 0) {
      // squared distances: |z|^2 + |s|^2 - 2 z s^T
      // |z - s|^2 = |z|^2 + |s|^2 - 2 z.s for every candidate z and seen s: one product.
      Eigen::MatrixXf d2 = -2.0f * (z_next * seen_.transpose());
      d2.colwise() += Eigen::VectorXf(z_next.rowwise().squaredNorm());
      d2.rowwise() += Eigen::RowVectorXf(seen_.rowwise().squaredNorm().transpose());
      for (int p = 0; p < P; ++p) returns[p] += float(novelty_weight_) * std::sqrt(std::max(0.0f, d2.row(p).minCoeff()));
    }
    z.swap(z_next);
    record(t + 1);
  }
  for (int p = 0; p < P; ++p)
    if (!std::isfinite(returns[p])) returns[p] = -std::numeric_limits<float>::infinity();
}

}  // namespace dynalab
