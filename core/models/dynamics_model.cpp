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
  out.mean.setZero(n, D);
  out.epistemic.setZero(n, D);
  out.aleatoric.setZero(n, D);
  for (int m : members) {
    out.mean += pred.mean[size_t(m)].cast<double>() / k;
    out.aleatoric += pred.var[size_t(m)].cast<double>() / k;
  }
  for (int m : members)
    out.epistemic += (pred.mean[size_t(m)].cast<double>() - out.mean).array().square().matrix() / k;
}

}  // namespace dynalab
