#include "core/models/dynamics_model.h"

#include <stdexcept>

namespace dynalab {

std::vector<int> DynamicsModel::member_set(bool rollout_only) const {
  if (rollout_only && !rollout_members().empty()) return rollout_members();
  std::vector<int> all(static_cast<size_t>(members()));
  for (size_t m = 0; m < all.size(); ++m) all[m] = int(m);
  return all;
}

void DynamicsModel::predict_moments(const RowMatrixXf& obs, const RowMatrixXf& actions,
                                    const std::vector<int>& members, PredictiveMoments& out) const {
  if (members.empty()) throw std::invalid_argument("predict_moments: no members given");
  MemberPredictions pred;
  predict(obs, actions, pred);
  const Eigen::Index n = obs.rows(), D = target_dim();
  const double k = double(members.size());
  out.mean.resize(n, D);
  out.epistemic.resize(n, D);
  out.aleatoric.resize(n, D);
  // Sum, then divide: the order the first wave's disagreement views used (same numbers).
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < D; ++c) {
      double mean = 0, var = 0;
      for (int m : members) mean += pred.mean[size_t(m)](i, c), var += pred.var[size_t(m)](i, c);
      mean /= k;
      double spread = 0;
      for (int m : members) {
        const double dev = pred.mean[size_t(m)](i, c) - mean;
        spread += dev * dev;
      }
      out.mean(i, c) = mean;
      out.epistemic(i, c) = spread / k;
      out.aleatoric(i, c) = var / k;
    }
}

}  // namespace dynalab
