#include "core/analysis/error_vs_distance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/analysis/knn.h"
#include "core/dataset.h"
#include "core/models/dynamics_model.h"
#include "core/rng.h"

namespace dynalab {

namespace {
Eigen::MatrixXd inputs_of(const Dataset& d) {
  Eigen::MatrixXd x(Eigen::Index(d.size()), d.obs_dim() + d.action_dim());
  if (d.size() > 0) x << d.observations(), d.actions();
  return x;
}
}  // namespace

ErrorVsDistance error_vs_distance(const Eigen::MatrixXd& train_inputs,
                                  const Eigen::MatrixXd& query_inputs,
                                  const Eigen::VectorXd& errors, const ErrorVsDistanceOptions& o) {
  if (query_inputs.rows() != errors.size())
    throw std::invalid_argument("error_vs_distance: one error per query row expected");
  if (train_inputs.cols() != query_inputs.cols())
    throw std::invalid_argument("error_vs_distance: input dimensions differ");
  ErrorVsDistance r;
  if (train_inputs.rows() < o.k || query_inputs.rows() == 0) return r;
  Rng rng = Rng::derive(o.seed, {0});
  const Eigen::MatrixXd ref = subsample_rows(train_inputs, o.max_reference, rng);
  // The training inputs' std defines the unit of distance (computed on all of them).
  const Eigen::VectorXd dist = knn_distance(query_inputs, ref, o.k, column_scale(train_inputs));
  return bin_error_vs_distance(std::vector<double>(dist.data(), dist.data() + dist.size()),
                               std::vector<double>(errors.data(), errors.data() + errors.size()),
                               o.bins);
}

ErrorVsDistance bin_error_vs_distance(std::vector<double> distance, std::vector<double> error,
                                      int bins_wanted) {
  if (distance.size() != error.size())
    throw std::invalid_argument("bin_error_vs_distance: one error per distance expected");
  ErrorVsDistance r;
  r.distance = std::move(distance);
  r.error = std::move(error);
  const auto& dist = r.distance;
  const auto& errors = r.error;
  // Equal-count bins over the points sorted by distance (ties broken by index: deterministic).
  const int n = int(dist.size());
  if (n == 0) return r;
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return dist[a] < dist[b]; });
  const int bins = std::max(1, std::min(bins_wanted, n));
  for (int b = 0; b < bins; ++b) {
    const int lo = int(int64_t(n) * b / bins), hi = int(int64_t(n) * (b + 1) / bins);
    double sd = 0, se = 0;
    int count = 0;
    for (int i = lo; i < hi; ++i) {
      if (!std::isfinite(errors[order[i]])) continue;
      sd += dist[order[i]];
      se += errors[order[i]];
      ++count;
    }
    r.bin_lo.push_back(dist[order[lo]]);
    r.bin_hi.push_back(dist[order[hi - 1]]);
    r.bin_distance.push_back(count ? sd / count : NAN);
    r.bin_error.push_back(count ? se / count : NAN);
    r.bin_count.push_back(count);
  }
  return r;
}

Eigen::MatrixXd predict_next_mean(const DynamicsModel& model, const Eigen::MatrixXd& obs,
                                  const Eigen::MatrixXd& actions, bool elites_only) {
  const std::vector<int> members = model.member_set(elites_only);
  MemberPredictions pred;
  model.predict(obs.cast<float>(), actions.cast<float>(), pred);
  Eigen::MatrixXd next = obs;
  const int D = model.obs_dim();
  for (int m : members) next += pred.mean[m].leftCols(D).cast<double>() / double(members.size());
  return next;
}

ErrorVsDistance error_vs_distance(const DynamicsModel& model, const Dataset& train,
                                  const Dataset& visited, const ErrorVsDistanceOptions& o) {
  if (visited.obs_dim() != model.obs_dim() || train.obs_dim() != model.obs_dim() ||
      visited.action_dim() != model.action_dim() || train.action_dim() != model.action_dim())
    throw std::invalid_argument("error_vs_distance: dataset and model dimensions differ");
  Eigen::MatrixXd q = inputs_of(visited);
  Eigen::MatrixXd next = visited.next_observations();
  if (q.rows() > o.max_queries) {  // subsample queries and their targets together
    Rng rng = Rng::derive(o.seed, {1});
    Eigen::MatrixXd both(q.rows(), q.cols() + next.cols());
    both << q, next;
    both = subsample_rows(both, o.max_queries, rng);
    q = both.leftCols(q.cols());
    next = both.rightCols(next.cols());
  }
  if (q.rows() == 0) return {};
  const Eigen::MatrixXd pred = predict_next_mean(model, q.leftCols(model.obs_dim()),
                                                 q.rightCols(model.action_dim()), o.elites_only);
  const Eigen::VectorXd err = (pred - next).rowwise().norm();
  return error_vs_distance(inputs_of(train), q, err, o);
}

}  // namespace dynalab
