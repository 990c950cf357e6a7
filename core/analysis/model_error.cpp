#include "core/analysis/model_error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/dataset.h"
#include "core/models/dynamics_model.h"

namespace dynalab {

ModelError model_error(const DynamicsModel& model, const Dataset& data, const std::vector<Trajectory>& visited,
                       int horizon) {
  if (data.size() == 0) throw std::invalid_argument("model_error: no training data");
  ModelError r;
  Dataset steps(data.obs_dim(), data.action_dim());
  for (const auto& t : visited)
    for (int k = 0; k < t.steps(); ++k) {
      Transition tr;
      tr.obs = t.observation(k);
      tr.action = t.action(k);
      tr.next_obs = t.observation(k + 1);
      steps.add(tr);
    }
  r.visited = steps.size();
  r.train = data.size();
  if (steps.size() > 0) r.evd = error_vs_distance(model, data, steps);
  // Open loop along real trajectories: the visited episodes if long enough, else the training
  // data's own trajectories.
  std::vector<Trajectory> along;
  for (const auto& t : visited)
    if (t.steps() > horizon) along.push_back(t);
  r.trajectories_from = "recent planned episodes";
  if (along.empty()) {
    along = split_trajectories(data);
    r.trajectories_from = "the training data";
  }
  CompoundingErrorOptions o;
  o.horizon = horizon;
  r.ensemble = compounding_error(model, along, o);
  // "A deterministic model": the best elite alone, against the elites' mean.
  o.member = model.rollout_members().empty() ? 0 : model.rollout_members().front();
  r.single_member = o.member;
  r.single = compounding_error(model, along, o);
  return r;
}

double median_visited_distance(const ModelError& e) {
  std::vector<double> d = e.evd.distance;
  if (d.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = d.begin() + long(d.size() / 2);
  std::nth_element(d.begin(), mid, d.end());
  return *mid;
}

double horizon_error_ratio(const ModelError& e) {
  const auto& err = e.ensemble.error;
  if (err.size() < 2 || !std::isfinite(err.front()) || err.front() <= 0) return std::numeric_limits<double>::quiet_NaN();
  for (size_t h = err.size(); h-- > 1;)
    if (std::isfinite(err[h])) return err[h] / err.front();
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace dynalab
