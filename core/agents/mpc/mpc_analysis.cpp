// The distribution-shift side of MpcAgent: the model's training data per fit, one KL estimate
// per planned episode, and the analysis/ files of write_outputs (see the header).

#include <algorithm>
#include <cmath>

#include "core/analysis/compounding_error.h"
#include "core/analysis/disagreement_map_recipe.h"
#include "core/analysis/divergence.h"
#include "core/analysis/error_vs_distance.h"
#include "core/analysis/knn.h"
#include "core/analysis/visitation.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/rng.h"

namespace dynalab {

namespace {

// The rows of `d` with a planned (non-negative) episode id: what the planner's policy visited.
Dataset planned_rows(const Dataset& d) {
  Dataset out(d.obs_dim(), d.action_dim());
  for (size_t i = 0; i < d.size(); ++i) {
    Transition t = d.at(i);
    if (t.episode >= 0) out.add(t);
  }
  return out;
}

// Observations visited by the planned episodes of `d`: every s, plus the final s' of each
// episode (so a one-step episode still shows where it ended).
Eigen::MatrixXd visited_states(const Dataset& planned) {
  std::vector<Vec> rows;
  for (size_t i = 0; i < planned.size(); ++i) {
    const Transition t = planned.at(i);
    rows.push_back(t.obs);
    const bool last = i + 1 == planned.size() || planned.at(i + 1).episode != t.episode;
    if (last) rows.push_back(t.next_obs);
  }
  Eigen::MatrixXd m(Eigen::Index(rows.size()), planned.obs_dim());
  for (size_t i = 0; i < rows.size(); ++i) m.row(Eigen::Index(i)) = rows[i].transpose();
  return m;
}
}  // namespace

void MpcAgent::capture_training_data() {
  // Called before each training epoch: the first epoch of a fit copies the data it trains on.
  if (captured_fit_ == agent_.fits() && fit_data_) return;
  fit_data_ = std::make_shared<const Dataset>(agent_.dataset());
  captured_fit_ = agent_.fits();
}

void MpcAgent::record_divergence(const Trajectory& episode) {
  const int D = world_->observation_space().dim();
  const int run = seed_.run, episode_index = episode.episode;
  // The oracle has no training data; its reference is the dataset collected so far.
  const Dataset& ref = agent_.model() && fit_data_ ? *fit_data_ : agent_.dataset();
  Rng rng = seed_.stream(3, uint64_t(episode_index));
  auto sample = std::make_shared<VisitationSample>();
  sample->run = run;
  sample->episode = episode_index;
  sample->dataset_states = subsample_rows(ref.observations(), kMaxVisitationRows, rng);
  const Eigen::Index T = Eigen::Index(episode.obs.size()) / D;
  const Eigen::MatrixXd visited =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          episode.obs.data(), T, D);
  sample->visited_states = subsample_rows(visited, kMaxVisitationRows, rng);
  KnnKlOptions o;
  o.max_points = kMaxVisitationRows;  // already subsampled: no further draws
  const KnnKlResult kl = knn_kl_divergence(sample->visited_states, sample->dataset_states, o);
  sample->kl = kl.kl;
  divergence_->push_back({run, episode_index, kl.kl, kl.raw, kl.n, kl.m, kl.d});
  visitation_ = std::move(sample);

  // Error vs distance of this episode's transitions under the model that planned them.
  const auto model = agent_.model();
  const int A = world_->action_space().dim();
  if (!model || !fit_data_ || T < 2 || fit_data_->size() == 0) return;
  Eigen::MatrixXd train_inputs(Eigen::Index(fit_data_->size()), D + A);
  train_inputs << fit_data_->observations(), fit_data_->actions();
  const Eigen::MatrixXd acts =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          episode.actions.data(), T - 1, A);
  Eigen::MatrixXd inputs(T - 1, D + A);
  inputs << visited.topRows(T - 1), acts;
  const Eigen::VectorXd err =
      (predict_next_mean(*model, visited.topRows(T - 1), acts) - visited.bottomRows(T - 1))
          .rowwise()
          .norm();
  ErrorVsDistanceOptions eo;
  eo.seed = seed_.stream(5, uint64_t(episode_index)).next_u64();
  const ErrorVsDistance e = error_vs_distance(train_inputs, inputs, err, eo);
  evd_distance_.insert(evd_distance_.end(), e.distance.begin(), e.distance.end());
  evd_error_.insert(evd_error_.end(), e.error.begin(), e.error.end());
  evd_episode_.insert(evd_episode_.end(), e.distance.size(), episode_index);
}

void MpcAgent::write_analysis(const std::filesystem::path& root) const {
  const auto dir = root / "analysis";
  ensure_directory(dir);
  Table div({"run", "episode", "kl", "kl_raw", "n_visited", "n_train", "dims"});
  for (const auto& r : *divergence_) div.add_row({r.run, r.episode, r.kl, r.raw, r.n_visited, r.n_train, r.dims});
  div.write_csv(dir / "divergence.csv");

  const auto model = agent_.model();
  const Dataset& data = agent_.dataset();
  const Dataset& train = model && fit_data_ ? *fit_data_ : data;
  const Dataset planned = planned_rows(data);
  const int D = data.obs_dim();
  Rng rng = seed_.stream(4);
  const Eigen::MatrixXd train_states = subsample_rows(train.observations(), 20000, rng);

  VisitationOptions vo;
  vo.dim_y = D > 1 ? 1 : 0;
  const Space os = world_->observation_space();
  vo.low.assign(os.low.data(), os.low.data() + os.low.size());
  vo.high.assign(os.high.data(), os.high.data() + os.high.size());
  const VisitationHistograms h = visitation_histograms(train_states, visited_states(planned), vo);
  Table vis({"dim", "bin", "lo", "hi", "train", "visited"});
  for (int d = 0; d < h.dims; ++d)
    for (int b = 0; b < h.bins; ++b) {
      const double w = (h.hi[d] - h.lo[d]) / h.bins;
      vis.add_row({d, b, h.lo[d] + w * b, h.lo[d] + w * (b + 1), h.train[size_t(d) * h.bins + b],
                   h.visited[size_t(d) * h.bins + b]});
    }
  vis.write_csv(dir / "visitation.csv");
  Table vis2({"ix", "iy", "x", "y", "train", "visited"});
  for (int iy = 0; iy < h.bins_2d; ++iy)
    for (int ix = 0; ix < h.bins_2d; ++ix) {
      const double x = h.lo[h.dim_x] + (h.hi[h.dim_x] - h.lo[h.dim_x]) * (ix + 0.5) / h.bins_2d;
      const double y = h.lo[h.dim_y] + (h.hi[h.dim_y] - h.lo[h.dim_y]) * (iy + 0.5) / h.bins_2d;
      const size_t c = size_t(iy) * h.bins_2d + ix;
      vis2.add_row({ix, iy, x, y, h.train_2d[c], h.visited_2d[c]});
    }
  vis2.write_csv(dir / "visitation_2d.csv");

  // The model analyses need a learned model with data. The map is the one the GUI's lab shows
  // for the final snapshot (one recipe: disagreement_map_recipe.h).
  std::string dis = "x,y,epistemic,aleatoric\n";
  Snapshot snap;  // the final state as the GUI's lab would see it
  snap.obs = last_obs_;
  snap.world = world_->clone();
  publish(snap);
  if (has_model_inputs(snap) && train.size() > 0) {
    DisagreementMapRecipe r;
    r.dim_y = D > 1 ? 1 : 0;
    dis = disagreement_map_csv(disagreement_map_view(model_inputs(snap), r));
  }
  Table evd({"episode", "distance", "error"});
  Table evd_bins({"bin", "distance_lo", "distance_hi", "mean_distance", "mean_error", "count"});
  Table comp({"horizon", "ensemble_error", "single_model_error", "starts"});
  if (model && train.size() > 0) {
    const ErrorVsDistance e = bin_error_vs_distance(evd_distance_, evd_error_, 8);
    for (size_t i = 0; i < e.distance.size(); ++i) evd.add_row({evd_episode_[i], e.distance[i], e.error[i]});
    for (size_t b = 0; b < e.bin_count.size(); ++b)
      evd_bins.add_row({b, e.bin_lo[b], e.bin_hi[b], e.bin_distance[b], e.bin_error[b], e.bin_count[b]});

    const auto trajectories = split_trajectories(data);
    CompoundingErrorOptions co;
    co.horizon = cfg_.agent.planner.horizon;
    const CompoundingError ens = compounding_error(*model, trajectories, co);
    co.member = model->rollout_members().empty() ? 0 : model->rollout_members().front();
    const CompoundingError one = compounding_error(*model, trajectories, co);
    for (int k = 0; k < co.horizon; ++k) comp.add_row({k + 1, ens.error[k], one.error[k], ens.count[k]});
  }
  write_file_atomic(dir / "disagreement_map.csv", dis);
  evd.write_csv(dir / "error_vs_distance.csv");
  evd_bins.write_csv(dir / "error_vs_distance_binned.csv");
  comp.write_csv(dir / "compounding_error.csv");
}

}  // namespace dynalab
