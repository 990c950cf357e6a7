#include "core/analysis/compounding_error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/dataset.h"
#include "core/models/dynamics_model.h"

namespace dynalab {

std::vector<Trajectory> split_trajectories(const Dataset& data) {
  std::vector<Trajectory> out;
  const size_t n = data.size();
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) {
    const Transition t = data.at(i);
    bool last = i + 1 == n || t.terminated;
    if (!last) {
      const Transition u = data.at(i + 1);
      last = u.episode != t.episode || u.obs != t.next_obs;
    }
    if (!last) continue;
    const int T = int(i + 1 - start);
    const Transition first = data.at(start);
    Trajectory tr(0, first.episode, first.obs, data.action_dim());
    for (int k = 0; k < T; ++k) {
      const Transition s = data.at(start + k);
      tr.push(s.action, s.reward, s.next_obs);
      tr.terminated = s.terminated;
    }
    out.push_back(std::move(tr));
    start = i + 1;
  }
  return out;
}

CompoundingError compounding_error(const DynamicsModel& model,
                                   const std::vector<Trajectory>& trajectories,
                                   const CompoundingErrorOptions& o) {
  if (o.horizon < 1) throw std::invalid_argument("compounding_error: horizon must be >= 1");
  if (o.member >= model.members()) throw std::invalid_argument("compounding_error: no such member");
  const int H = o.horizon, D = model.obs_dim(), A = model.action_dim();
  const std::vector<int> members =
      o.member >= 0 ? std::vector<int>{o.member} : model.member_set(o.elites_only);
  // Candidate starts (trajectory, t), every step of every trajectory; keep an even stride.
  std::vector<std::pair<int, int>> starts;
  for (size_t j = 0; j < trajectories.size(); ++j) {
    const auto& tr = trajectories[j];
    if (tr.obs_dim != D || tr.action_dim != A || tr.obs.size() != (size_t(tr.steps()) + 1) * size_t(D))
      throw std::invalid_argument("compounding_error: trajectory shape does not match the model");
    for (int t = 0; t < tr.steps(); ++t) starts.push_back({int(j), t});
  }
  if (o.max_starts > 0 && int(starts.size()) > o.max_starts) {
    std::vector<std::pair<int, int>> kept;
    for (int i = 0; i < o.max_starts; ++i)
      kept.push_back(starts[size_t(int64_t(i) * int64_t(starts.size()) / o.max_starts)]);
    starts = std::move(kept);
  }
  CompoundingError r;
  r.horizon.resize(H);
  std::iota(r.horizon.begin(), r.horizon.end(), 1);
  r.error.assign(H, 0.0);
  r.count.assign(H, 0);
  r.diverged.assign(H, 0);
  const Eigen::Index n = Eigen::Index(starts.size());
  RowMatrixXf s(n, D), a(n, A);
  for (Eigen::Index i = 0; i < n; ++i)
    s.row(i) = trajectories[starts[i].first].observation(starts[i].second).cast<float>().transpose();
  std::vector<bool> alive(size_t(n), true);  // the trajectory still has real steps ahead
  MemberPredictions pred;
  for (int h = 1; h <= H && n > 0; ++h) {
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto& tr = trajectories[starts[i].first];
      const int t = starts[i].second + h - 1;
      if (t >= tr.steps()) alive[i] = false;
      a.row(i) = tr.action(alive[i] ? t : 0).cast<float>().transpose();
    }
    model.predict(s, a, pred);
    RowMatrixXf delta = RowMatrixXf::Zero(n, D);
    for (int m : members) delta += pred.mean[m].leftCols(D);
    s += delta / float(members.size());
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!alive[i]) continue;
      const auto& tr = trajectories[starts[i].first];
      const double e = (s.row(i).cast<double>() - tr.observation(starts[i].second + h).transpose()).norm();
      if (!std::isfinite(e)) {
        ++r.diverged[h - 1];
        continue;
      }
      r.error[h - 1] += e;
      ++r.count[h - 1];
    }
  }
  for (int h = 0; h < H; ++h) r.error[h] = r.count[h] ? r.error[h] / r.count[h] : NAN;
  return r;
}

}  // namespace dynalab
