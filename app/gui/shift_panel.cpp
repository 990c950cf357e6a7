// The lab's distribution-shift views (lecture 000: p_pi_f(s_t) != p_pi_0(s_t); "the model is
// wrong where we have no data"): training vs visited states as 1-D histograms and a 2-D density,
// the k-NN KL divergence per episode, one-step model error vs distance to the data, and open-loop
// compounding error vs horizon. Numbers from core/analysis (visitation.h, divergence.h,
// error_vs_distance.h, compounding_error.h), computed on the lab's background worker.

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/heatmap.h"
#include "app/gui/lab_state.h"
#include "app/gui/plot_widget.h"

namespace dynalab {

namespace {
constexpr int kMaxScatter = 500;  // points drawn in the error scatter

// Series colours shared by the shift views: training data blue, visited orange (as the agent).
constexpr int kTrainColour = 0, kVisitedColour = 1;

// Step-shaped histograms of obs dim `d`, training vs visited: each bin a flat segment over its
// width, filled to zero; `ps` gets the two series' styles.
Figure histogram_figure(const VisitationHistograms& h, int d, const std::vector<std::string>& names,
                        int episode, PlotStyle& ps) {
  Figure f{"state_visitation_" + names[d],
           "States visited in episode " + std::to_string(episode + 1) + " vs training states",
           names[d],
           "fraction of states",
           {},
           false};
  for (int k = 0; k < 2; ++k) {
    Series s{k == 0 ? "training data (p_pi0)" : "visited (p_pi)", {}, {}};
    const auto& v = k == 0 ? h.train : h.visited;
    for (int b = 0; b < h.bins; ++b) {
      const double lo = h.lo[d] + (h.hi[d] - h.lo[d]) * b / h.bins,
                   hi = h.lo[d] + (h.hi[d] - h.lo[d]) * (b + 1) / h.bins;
      s.x.push_back(lo), s.y.push_back(v[size_t(d) * h.bins + b]);
      s.x.push_back(hi), s.y.push_back(v[size_t(d) * h.bins + b]);
    }
    f.series.push_back(std::move(s));
    ps.series.push_back({false, kFillToZero, k == 0 ? kTrainColour : kVisitedColour, true, 0.30f});
  }
  return f;
}

// The visited states' density (1-D when both dims are the same) with the training states as
// dots.
HeatmapData density_heatmap(const VisitationHistograms& h, const std::vector<std::string>& names,
                            const Eigen::MatrixXd& ts) {
  HeatmapData hm;
  hm.title = "visited states (density)";
  hm.log_colour = true;
  hm.x_label = names[h.dim_x];
  hm.y_label = names[h.dim_y];
  hm.value_label = "fraction of visited states";
  hm.nx = h.bins_2d, hm.ny = h.dim_y == h.dim_x ? 1 : h.bins_2d;
  hm.x_lo = h.lo[h.dim_x], hm.x_hi = h.hi[h.dim_x];
  hm.y_lo = h.lo[h.dim_y], hm.y_hi = h.hi[h.dim_y];
  if (hm.ny == 1) {
    hm.values.assign(h.visited.begin() + size_t(h.dim_x) * h.bins,
                     h.visited.begin() + size_t(h.dim_x + 1) * h.bins);
    hm.nx = h.bins;
  } else {
    hm.values = h.visited_2d;
  }
  for (Eigen::Index i = 0; i < ts.rows() && i < 600; ++i) {
    hm.px.push_back(ts(i, h.dim_x));
    hm.py.push_back(hm.ny == 1 ? 0.5 * (hm.y_lo + hm.y_hi) : ts(i, h.dim_y));
  }
  hm.points_label = "training states";
  return hm;
}

// KL per episode, from the snapshot (the experiment computes one estimate per episode).
Figure kl_figure(const ModelView& m) {
  Figure kl{"divergence",
            "KL(visited || training) per episode   (k-NN estimator, Wang et al. 2009)",
            "planned episode",
            "nats",
            {},
            false};
  auto& s = kl.series_named("k-NN KL estimate");
  for (size_t i = 0; i < m.divergence.size(); ++i)
    s.x.push_back(double(i + 1)), s.y.push_back(m.divergence[i]);
  kl.log_y = spans_orders_of_magnitude(kl);  // the first episodes' shift dwarfs the later ones'
  return kl;
}

// One-step error vs distance (a scatter of at most kMaxScatter points and the binned mean);
// `ps` gets the series' styles.
Figure error_vs_distance_figure(const ModelError& r, PlotStyle& ps) {
  Figure f{"error_vs_distance",
           "One-step error vs distance to data",
           "distance to training data (sd)",
           "||f(s,a) - s'||",
           {},
           false};
  {
    Series pts{"visited transitions", {}, {}};
    const size_t n = r.evd.distance.size();
    const size_t stride = std::max<size_t>(1, n / kMaxScatter);
    for (size_t i = 0; i < n; i += stride)
      pts.x.push_back(r.evd.distance[i]), pts.y.push_back(r.evd.error[i]);
    f.series.push_back(std::move(pts));
    ps.series.push_back({true, -1, kVisitedColour, true});
    f.series.push_back(Series{"binned mean", r.evd.bin_distance, r.evd.bin_error});
    ps.series.push_back({false, -1, 6, true});
  }
  if (r.evd.distance.empty()) f.title += " (no planned steps yet)";
  return f;
}

Figure compounding_figure(const ModelError& r) {
  Figure c{"compounding_error",
           "Open-loop error vs horizon",
           "steps ahead h",
           "||s_hat_h - s_h||",
           {},
           false};
  auto add = [&](const std::string& label, const CompoundingError& e) {
    auto& s = c.series_named(label);
    for (size_t i = 0; i < e.horizon.size(); ++i)
      s.x.push_back(e.horizon[i]), s.y.push_back(e.error[i]);
  };
  add("ensemble (mean of elites)", r.ensemble);
  add("one model (member " + std::to_string(r.single_member + 1) + ")", r.single);
  c.log_y = spans_orders_of_magnitude(c);  // compounding: the error grows geometrically with h
  return c;
}

}  // namespace

void LabPanel::State::draw_shift() {
  const ModelView& m = *snap->model;
  const auto& names = inputs.obs_names;
  lab_title(style, "Training data vs where the policy goes");
  job_note(shift_job.running(), shift_job.error);
  const float w = ImGui::GetFontSize() * 6;  // room for "velocity" and the arrow
  dim_combo("histogram / x", shift_x, names, w);
  if (m.obs_dim > 1) {
    same_line_if_fits(w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize("y").x);
    dim_combo("y", shift_y, names, w);
    if (shift_y == shift_x) shift_y = (shift_x + 1) % m.obs_dim;
  } else {
    shift_y = shift_x;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // Histogram and density side by side (stacked in a tall pane) over the KL plot.
  bool stacked = false;
  const float bottom_h = std::max(60.0f, (avail.y - gap) * 0.3f);
  const ImVec2 half = two_panes(avail, bottom_h + gap, stacked);

  const auto sample = m.visitation;
  if (!sample) {
    ImGui::TextWrapped(
        "Waiting for the first planned episode to finish: its visited states are compared with "
        "the states the model was trained on.");
    status = "state_visitation: waiting for the first planned episode";
  } else {
    const std::string key = std::to_string(reinterpret_cast<uintptr_t>(sample.get())) + "|" +
                            std::to_string(shift_x) + "," + std::to_string(shift_y);
    VisitationOptions o;
    o.bins = 30, o.dim_x = shift_x, o.dim_y = shift_y, o.bins_2d = 28;
    // The world's bounds where finite, so the cliff and the pit are on the map.
    const Space& os = inputs.obs_space;
    o.low.assign(os.low.data(), os.low.data() + os.low.size());
    o.high.assign(os.high.data(), os.high.data() + os.high.size());
    shift_job.want(worker, key, [sample, o] {
      return visitation_histograms(sample->dataset_states, sample->visited_states, o);
    });
    busy |= shift_job.stale(key);
    if (!shift_job.error.empty()) status = "state_visitation: error: " + shift_job.error;
    if (shift_job.last) {
      const VisitationHistograms& h = *shift_job.last;
      if (shift_job.error.empty())
        status = "state_visitation: " + std::to_string(h.train_count) + " training vs " +
                 std::to_string(h.visited_count) + " visited states, " +
                 std::to_string(m.divergence.size()) + " KL estimates";
      const int d = std::clamp(shift_x, 0, h.dims - 1);
      PlotStyle ps{style.line_scale, {}};
      plot("visit_hist", histogram_figure(h, d, names, sample->episode, ps), half, ps);
      pane_gap(stacked);
      draw_heatmap("visit_2d", density_heatmap(h, names, sample->dataset_states), half,
                   style.line_scale);
    } else {
      ImGui::Dummy(ImVec2(avail.x, avail.y - bottom_h - gap));
    }
  }
  plot("divergence", kl_figure(m), ImVec2(avail.x, bottom_h), {style.line_scale, {}});
}

void LabPanel::State::draw_error() {
  const ModelView& m = *snap->model;
  lab_title(style, "Where is the model wrong?");
  job_note(error_job.running(), error_job.error);
  const auto data = m.training_data;
  if (!data || data->empty()) {
    status = "model_error: waiting for training data";
    ImGui::TextDisabled("waiting for training data (the first fit)...");
    return;
  }
  // Visited transitions: the planned episodes seen so far (the last few), real steps.
  size_t steps = 0;
  std::string key = std::to_string(reinterpret_cast<uintptr_t>(m.model.get())) + "|" +
                    std::to_string(reinterpret_cast<uintptr_t>(data.get()));
  for (const auto& e : recent) {
    steps += e.traj.steps();
    key += "|" + std::to_string(e.run) + "." + std::to_string(e.episode) + ":" +
           std::to_string(e.traj.steps() / 10);  // every 10 steps
  }
  std::vector<Trajectory> trajs;
  for (const auto& e : recent)
    if (e.traj.steps() > 0) trajs.push_back(e.traj);
  auto model = m.model;
  const int planned = snap->plan ? snap->plan->trace.horizon : 0;
  const int horizon = std::max(5, std::min(30, planned > 0 ? planned : 20));
  error_job.want(
      worker, key,
      [model, data, trajs, horizon] { return model_error(*model, *data, trajs, horizon); },
      0.5);
  busy |= error_job.stale(key);
  if (!error_job.error.empty()) status = "model_error: error: " + error_job.error;
  if (!error_job.last) {
    ImGui::TextDisabled("computing...");
    return;
  }
  const ModelError& r = *error_job.last;
  if (error_job.error.empty())
    status = "model_error: " + std::to_string(r.evd.distance.size()) + " visited transitions, " +
             std::to_string(r.evd.bin_count.size()) + " bins, horizon " +
             std::to_string(r.ensemble.horizon.size());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float note_h = ImGui::GetTextLineHeightWithSpacing() * 2.2f;
  bool stacked = false;
  const ImVec2 half = two_panes(avail, note_h, stacked);
  (void)gap;
  PlotStyle ps{style.line_scale, {}};
  const Figure f = error_vs_distance_figure(r, ps);
  plot("err_dist", f, half, ps);
  pane_gap(stacked);
  plot("compounding", compounding_figure(r), half, {style.line_scale, {}});
  ImGui::TextWrapped(
      "%zu visited transitions of the last planned episodes vs %zu training transitions; "
      "open-loop rollouts along %s with the actions really executed.",
      r.visited, r.train, r.trajectories_from.c_str());
}

}  // namespace dynalab
