// The lab's uncertainty views (lecture 000 "aleatoric or statistical uncertainty" vs "epistemic
// or model uncertainty", bootstrap ensembles; PETS): the disagreement map on a 2-D slice, the
// members' predictions on a 1-D slice, and validation MSE / NLL vs ensemble size. The numbers
// come from core/analysis (disagreement_map.h, ensemble_size_study.h) on background threads.

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/heatmap.h"
#include "app/gui/lab_state.h"
#include "app/gui/plot_widget.h"
#include "core/analysis/knn.h"
#include "core/rng.h"

namespace dynalab {

namespace {
constexpr int kMapCells = 48;        // per axis: 2304 inputs, one batched predict
constexpr int kSlicePoints = 161;    // along the 1-D slice
constexpr int kMaxDots = 600;        // training states drawn over a map
constexpr double kWiden = 0.5;       // the map shows half the data's span beyond it on each side
constexpr double kSliceWiden = 1.0;  // the slice a whole span: where the members fan out

std::string model_key(const MbrlSnapshot& m) {
  char b[64];
  std::snprintf(b, sizeof b, "%p", static_cast<const void*>(m.model.get()));
  return b;
}

void title(const LabStyle& st, const char* text) {
  if (st.big) ImGui::PushFont(st.big);
  ImGui::TextUnformatted(text);
  if (st.big) ImGui::PopFont();
}
}  // namespace

void LabPanel::State::draw_map() {
  const MbrlSnapshot& m = *snap;
  const auto names = obs_names(m);
  if (m.obs_dim < 1) return;
  title(style, "Where do the members disagree?");
  job_note(map_job.running(), map_job.error);
  const float w = ImGui::GetFontSize() * 7;
  dim_combo("x axis", map_x, names, w);
  ImGui::SameLine();
  if (m.obs_dim > 1) {
    dim_combo("y axis", map_y, names, w);
    if (map_y == map_x) map_y = (map_x + 1) % m.obs_dim;
    ImGui::SameLine();
  } else {
    map_y = map_x;
  }
  ImGui::Checkbox("log colour", &map_log);
  action_controls(m, map_plan_action, map_action);
  const Vec a = chosen_action(m, map_plan_action, map_action);
  const Vec base = m.obs.size() == m.obs_dim ? m.obs : Vec::Zero(m.obs_dim);

  SliceAxis ax{map_x, 0, 1, kMapCells}, ay{map_y, 0, 1, m.obs_dim > 1 ? kMapCells : 1};
  axis_range(m, map_x, kWiden, ax.lo, ax.hi);
  axis_range(m, map_y, kWiden, ay.lo, ay.hi);
  std::string key = model_key(m) + "|" + std::to_string(map_x) + "," + std::to_string(map_y) + "|" +
                    key_num(ax.lo) + "," + key_num(ax.hi) + "," + key_num(ay.lo) + "," +
                    key_num(ay.hi);
  for (int d = 0; d < a.size(); ++d) key += "|a" + key_num(a[d]);
  for (int d = 0; d < base.size(); ++d) key += "|s" + key_num(base[d]);
  auto model = m.model;
  auto snap_copy = snap;
  const int dx = map_x, dy = map_y;
  // Every state change moves the slice: recompute at most 4 times a second while running.
  map_job.want(
      key,
      [model, snap_copy, base, a, ax, ay, dx, dy] {
        MapResult r;
        r.map = disagreement_map(*model, base, a, ax, ay);
        const Eigen::MatrixXd s = training_states(*snap_copy, kMaxDots);
        for (Eigen::Index i = 0; i < s.rows(); ++i)
          r.px.push_back(s(i, dx)), r.py.push_back(s(i, dy));
        r.base_x = base[dx], r.base_y = base[dy];
        return r;
      },
      0.25);
  busy |= map_job.stale(key);
  if (!map_job.error.empty()) status = "disagreement_map: error: " + map_job.error;
  if (!map_job.last) {
    ImGui::TextDisabled("computing the first map...");
    return;
  }
  const MapResult& r = *map_job.last;
  if (map_job.error.empty())
    status = "disagreement_map: " + std::to_string(r.map.x.n) + " x " + std::to_string(r.map.y.n) +
             " cells, " + std::to_string(r.map.members) + " members, " +
             std::to_string(r.px.size()) + " training states";
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float note_h = ImGui::GetTextLineHeightWithSpacing() * 2.2f;
  bool stacked = false;
  const ImVec2 cell = two_panes(avail, note_h, stacked);
  (void)gap;
  auto make = [&](bool epistemic) {
    HeatmapData h;
    h.title = epistemic ? "epistemic: var of members' means" : "aleatoric: mean of members' vars";
    h.x_label = names[r.map.x.dim];
    h.y_label = names[r.map.y.dim];
    h.value_label = "variance of s', summed over dims";
    h.nx = r.map.x.n, h.ny = r.map.y.n;
    h.x_lo = r.map.x.lo, h.x_hi = r.map.x.hi, h.y_lo = r.map.y.lo, h.y_hi = r.map.y.hi;
    if (h.ny == 1) h.y_lo = r.map.x.lo, h.y_hi = r.map.x.hi;  // 1-D env: a band
    h.values = epistemic ? r.map.epistemic : r.map.aleatoric;
    h.log_colour = map_log;
    h.px = r.px;
    h.py = h.ny == 1 ? r.px : r.py;
    h.points_label = "training data";
    h.has_marker = true;
    h.marker_x = r.base_x, h.marker_y = h.ny == 1 ? r.base_x : r.base_y;
    return h;
  };
  draw_heatmap("epistemic", make(true), cell, style.line_scale);
  pane_gap(stacked);
  draw_heatmap("aleatoric", make(false), cell, style.line_scale);
  ImGui::TextWrapped(
      "%d members (%s). Other dims and the action held at the current state (cross). Epistemic "
      "grows away from the data; aleatoric is the noise each member believes in%s.",
      r.map.members, m.model->probabilistic() ? "probabilistic" : "deterministic",
      m.model->probabilistic() ? "" : " (zero: deterministic members)");
}

void LabPanel::State::draw_slice() {
  const MbrlSnapshot& m = *snap;
  const auto names = obs_names(m);
  if (m.obs_dim < 1) return;
  title(style, "One input dimension: members, bands and data");
  job_note(slice_job.running(), slice_job.error);
  const float w = ImGui::GetFontSize() * 7;
  dim_combo("input", slice_dim, names, w);
  ImGui::SameLine();
  // Default output: the partner dim (position -> velocity in [positions..., velocities...]).
  int out = slice_out < 0 ? (slice_dim + std::max(1, m.obs_dim / 2)) % m.obs_dim : slice_out;
  if (dim_combo("predicted change", out, names, w)) slice_out = out;
  action_controls(m, slice_plan_action, map_action);
  const Vec a = chosen_action(m, slice_plan_action, map_action);
  const Vec base = m.obs.size() == m.obs_dim ? m.obs : Vec::Zero(m.obs_dim);
  SliceAxis ax{slice_dim, 0, 1, kSlicePoints};
  axis_range(m, slice_dim, kSliceWiden, ax.lo, ax.hi);
  std::string key = model_key(m) + "|" + std::to_string(slice_dim) + ">" + std::to_string(out) +
                    "|" + key_num(ax.lo) + "," + key_num(ax.hi);
  for (int d = 0; d < a.size(); ++d) key += "|a" + key_num(a[d]);
  for (int d = 0; d < base.size(); ++d) key += "|s" + key_num(base[d]);
  auto model = m.model;
  auto data = m.training_data;
  const int dim = slice_dim;
  slice_job.want(
      key,
      [model, data, base, a, ax, out, dim] {
        SliceResult r;
        DisagreementOptions o;
        o.output_dim = out;
        r.slice = disagreement_slice(*model, base, a, ax, o);
        // Plot the predicted CHANGE s'[out] - s[out]: the identity part of s' would dwarf the
        // members' differences (variances are unchanged by the shift).
        const int n = int(r.slice.xs.size());
        for (int k = 0; k < n; ++k) {
          const double s0 = out == dim ? r.slice.xs[k] : base[out];
          r.slice.mean[k] -= s0;
          for (int mb = 0; mb < r.slice.members; ++mb)
            r.slice.member_means[size_t(mb) * n + k] -= s0;
        }
        r.base = base[dim];
        r.near_sd = 0.5;
        if (data && !data->empty()) {
          // Training transitions near the slice: every other dim within near_sd training std
          // of the base state, so the dots show what the members were fit to on this line.
          const Eigen::MatrixXd s = data->observations(), n = data->next_observations();
          const Eigen::RowVectorXd scale = column_scale(s);
          for (Eigen::Index i = 0; i < s.rows() && r.px.size() < 800; ++i) {
            bool near = true;
            for (Eigen::Index d = 0; d < s.cols() && near; ++d)
              if (d != dim) near = std::abs(s(i, d) - base[d]) <= r.near_sd * scale[d];
            if (near) r.px.push_back(s(i, dim)), r.py.push_back(n(i, out) - s(i, out));
          }
        }
        return r;
      },
      0.25);
  busy |= slice_job.stale(key);
  if (!slice_job.error.empty()) status = "uncertainty_slice: error: " + slice_job.error;
  if (!slice_job.last) {
    ImGui::TextDisabled("computing the first slice...");
    return;
  }
  const SliceResult& r = *slice_job.last;
  if (slice_job.error.empty())
    status = "uncertainty_slice: " + std::to_string(r.slice.xs.size()) + " points, " +
             std::to_string(r.slice.members) + " members, " + std::to_string(r.px.size()) +
             " data points near the slice";
  const DisagreementSlice& sl = r.slice;
  const int n = int(sl.xs.size());
  const std::string dy = "change of " + names[sl.output_dim];
  Figure f{"uncertainty_slice",
           "Predicted " + dy + " in one step, along " + names[sl.x.dim],
           names[sl.x.dim] + " (other dims and the action at the current state)",
           dy,
           {},
           false};
  PlotStyle ps{style.line_scale, {}};
  auto add = [&](const std::string& label, std::vector<double> y, SeriesStyle st) {
    f.series.push_back(Series{label, sl.xs, std::move(y)});
    ps.series.push_back(st);
    return int(f.series.size()) - 1;
  };
  // Bands as +-2 standard deviations around the members' mean: aleatoric (wide where the
  // members expect noise), epistemic (wide where they disagree).
  std::vector<double> alo(n), ahi(n), elo(n), ehi(n);
  for (int k = 0; k < n; ++k) {
    const double sa = 2 * std::sqrt(std::max(0.0, sl.aleatoric[k]));
    const double se = 2 * std::sqrt(std::max(0.0, sl.epistemic[k]));
    alo[k] = sl.mean[k] - sa, ahi[k] = sl.mean[k] + sa;
    elo[k] = sl.mean[k] - se, ehi[k] = sl.mean[k] + se;
  }
  const int al = add("aleatoric lo", alo, {false, -1, 0, false});
  add("aleatoric +-2 sd", ahi, {false, al, 0, true, 0.22f});
  const int el = add("epistemic lo", elo, {false, -1, 1, false});
  add("epistemic +-2 sd", ehi, {false, el, 1, true, 0.30f});
  for (int mb = 0; mb < sl.members; ++mb) {
    std::vector<double> y(sl.member_means.begin() + size_t(mb) * n,
                          sl.member_means.begin() + size_t(mb + 1) * n);
    add(mb == 0 ? "members' means" : "member " + std::to_string(mb + 1), std::move(y),
        {false, -1, 6, mb == 0});
  }
  if (!r.px.empty()) {
    f.series.push_back(Series{"training data (near the slice)", r.px, r.py});
    ps.series.push_back({true, -1, 4, true});
  }
  // Band edges drawn hairline: hide the "lo" series' own line by giving it the band colour.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float note_h = ImGui::GetTextLineHeightWithSpacing() * 2.2f;
  plot("slice", f, ImVec2(avail.x, std::max(80.0f, avail.y - note_h)), ps);
  ImGui::TextWrapped(
      "%d %s members. Dots: training transitions (any action) within %.1f sd of the current state "
      "in the "
      "other dims. Where the dots are, the members agree; away from them only the bootstrap "
      "and the initialisation decide.",
      sl.members, m.model->probabilistic() ? "probabilistic" : "deterministic", r.near_sd);
}

void LabPanel::State::draw_size() {
  const MbrlSnapshot& m = *snap;
  title(style, "Validation error vs ensemble size (PETS)");
  const bool running =
      study_fut.valid() && study_fut.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
  const bool have_data = m.training_data && m.training_data->size() >= 8;
  const bool fresh = study && study_model == m.model.get();
  if (running) {
    ImGui::SameLine();
    ImGui::TextDisabled("computing... %.0f%%", 100 * study->progress.load());
  }
  ImGui::BeginDisabled(!have_data || running);
  const bool go = ImGui::Button(study ? "Recompute on the current data" : "Compute");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("trains fresh ensembles of 1..8 members, both kinds");
  if (have_data && !running && (go || (study_auto && !study))) {
    cancel_study();
    study = std::make_shared<StudyProgress>();
    study_model = m.model.get();
    // At most 600 transitions (the most recent) and a bounded training budget: the figure's shape
    // needs little, and the lecture hall should not wait.
    auto data = m.training_data;
    ModelConfig cfg = m.model->config();
    auto st = study;
    study_fut = std::async(std::launch::async, [data, cfg, st] {
      try {
        const size_t n = data->size(), keep = std::min<size_t>(n, 600);
        Dataset d(data->obs_dim(), data->action_dim());
        for (size_t i = n - keep; i < n; ++i) d.add(data->at(i));
        st->rows = keep;
        EnsembleSizeStudyConfig sc;
        sc.sizes = {1, 2, 3, 5, 8};
        // Epochs from a work budget (~3e10 flops over both kinds and all sizes): small networks
        // train to convergence, big ones get at least 10 epochs.
        double params = 0;
        int prev = d.obs_dim() + d.action_dim();
        for (int h : cfg.hidden) params += double(prev) * h, prev = h;
        params += double(prev) * 2 * (d.obs_dim() + 1);
        const double per_epoch = 6 * params * 0.8 * double(keep) * 19 * 2;
        sc.epochs = int(std::clamp(3e10 / std::max(1.0, per_epoch), 10.0, 150.0));
        st->epochs = sc.epochs;
        const char* kinds[] = {"probabilistic", "deterministic"};
        for (int k = 0; k < 2 && !st->cancel; ++k) {
          ModelConfig c = cfg;
          c.kind = kinds[k];
          EnsembleSizeStudy study(d, c, sc);
          while (!st->cancel && study.step()) {
            st->progress = (k + study.progress()) / 2;
            std::lock_guard lk(st->mu);
            (k == 0 ? st->probabilistic : st->deterministic) = study.results();
          }
          std::lock_guard lk(st->mu);
          (k == 0 ? st->probabilistic : st->deterministic) = study.results();
        }
      } catch (const std::exception& e) {
        std::lock_guard lk(st->mu);
        st->error = e.what();
      }
      st->progress = 1;
      st->done = true;
    });
  }
  busy |= have_data && (!study || !study->done);
  if (!have_data) {
    status = "ensemble_size: waiting for training data";
    ImGui::TextDisabled("waiting for training data (the first fit)...");
    return;
  }
  if (!study) return;
  Figure mse{"ensemble_size_mse",
             "Validation MSE vs ensemble size",
             "ensemble size E",
             "MSE (normalised)",
             {},
             false};
  Figure nll{"ensemble_size_nll",
             "Validation NLL vs ensemble size",
             "ensemble size E",
             "NLL (nats per dim)",
             {},
             false};
  std::string err;
  {
    std::lock_guard lk(study->mu);
    err = study->error;
    for (int k = 0; k < 2; ++k) {
      const auto& pts = k == 0 ? study->probabilistic : study->deterministic;
      const std::string label = k == 0 ? "probabilistic (PE)" : "deterministic (DE)";
      auto& a = mse.series_named(label);
      auto& b = nll.series_named(label);
      for (const auto& p : pts) {
        a.x.push_back(p.size), a.y.push_back(p.val_mse);
        b.x.push_back(p.size), b.y.push_back(p.val_nll);
      }
    }
  }
  status = "ensemble_size: " + std::to_string(mse.series[0].x.size()) + " + " +
           std::to_string(mse.series[1].x.size()) + " sizes scored on " +
           std::to_string(study->rows) + " transitions";
  if (!err.empty()) {
    status = "ensemble_size: error: " + err;
    job_note(false, err);
  }
  // A deterministic member alone has no variance: its NLL is orders of magnitude above the
  // rest and would flatten the plot. Points far above every probabilistic one are left out
  // and named under the plot instead.
  std::string off;
  {
    double top = -INFINITY, bottom = INFINITY;
    for (double y : nll.series[0].y) top = std::max(top, y), bottom = std::min(bottom, y);
    const double limit = std::isfinite(top) ? top + 3 * std::max(1.0, top - bottom) : INFINITY;
    Series& de = nll.series[1];
    for (size_t i = 0; i < de.y.size(); ++i)
      if (!(de.y[i] <= limit)) {
        char b[96];
        std::snprintf(b, sizeof b, "%sDE with E = %g: NLL %.3g", off.empty() ? "" : "; ", de.x[i],
                      de.y[i]);
        off += b;
        de.y[i] = NAN;
      }
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float note_h = ImGui::GetTextLineHeightWithSpacing() * 3.3f;
  bool stacked = false;
  const ImVec2 sz = two_panes(avail, note_h, stacked);
  (void)gap;
  PlotStyle ps{style.line_scale, {}};
  plot("size_mse", mse, sz, ps);
  pane_gap(stacked);
  plot("size_nll", nll, sz, ps);
  if (!off.empty())
    ImGui::TextWrapped("Off the NLL scale: %s (no variance of its own).", off.c_str());
  ImGui::TextWrapped(
      "Each point: a fresh ensemble of E members trained %d epochs on %zu transitions of the "
      "current dataset (80%% train), scored on the other 20%%.%s",
      study->epochs, study->rows,
      fresh ? "" : " Computed on an earlier fit: Recompute for the current one.");
}

}  // namespace dynalab
