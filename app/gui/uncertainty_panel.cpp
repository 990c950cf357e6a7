// The lab's uncertainty views (lecture 000 "aleatoric or statistical uncertainty" vs "epistemic
// or model uncertainty", bootstrap ensembles; PETS): the disagreement map on a 2-D slice, the
// members' predictions on a 1-D slice, and validation MSE / NLL vs ensemble size (the three
// models side by side are in comparison_panel.cpp). The numbers
// come from core/analysis's recipes (disagreement_map_recipe.h, uncertainty_slice_recipe.h,
// ensemble_size_recipe.h), the same functions dynalab-cli analysis calls, on the lab's worker.

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/heatmap.h"
#include "app/gui/lab_state.h"
#include "app/gui/plot_widget.h"

namespace dynalab {

PlotStyle slice_style(const Figure& f, float line_scale) {
  PlotStyle ps{line_scale, {}};
  int band_lo = -1;
  for (size_t i = 0; i < f.series.size(); ++i) {
    const std::string& l = f.series[i].label;
    const bool alea = l.rfind("aleatoric", 0) == 0, epi = l.rfind("epistemic", 0) == 0;
    if ((alea || epi) && l.find(" lo") != std::string::npos) {
      band_lo = int(i);  // band edges drawn hairline in the band colour
      ps.series.push_back({false, -1, alea ? 0 : 1, false});
    } else if (alea || epi) {
      ps.series.push_back({false, band_lo, alea ? 0 : 1, true, alea ? 0.22f : 0.30f});
    } else if (l.rfind("training data", 0) == 0 || l.rfind("fit data", 0) == 0) {
      ps.series.push_back({true, -1, 4, true});
    } else if (l == kGapEdgesLabel) {
      SeriesStyle st{false, -1, 2, false};  // two thin vertical lines, no legend entry
      st.line_width = 0.8f;
      ps.series.push_back(st);
    } else if (l.rfind("function draw", 0) == 0) {
      // A GP's joint draws: thin and pale behind its mean, one legend entry for all.
      SeriesStyle st{false, -1, 5, l == "function draws"};
      st.line_alpha = 0.8f, st.line_width = 0.6f;
      ps.series.push_back(st);
    } else {
      // Every member's (or weight draw's) mean; the first one names them all in the legend.
      const bool named = l.rfind("member ", 0) != 0 && l.rfind("weight draw ", 0) != 0;
      ps.series.push_back({false, -1, 6, named});
    }
  }
  return ps;
}

void LabPanel::State::draw_map() {
  const ModelInputs& in = inputs;
  const auto& names = in.obs_names;
  const int D = in.obs_dim();
  if (D < 1) return;
  lab_title(style, "Where do the members disagree?");
  job_note(map_job.running(), map_job.error);
  const float w = ImGui::GetFontSize() * 6;  // room for "velocity" and the arrow
  const float sp = ImGui::GetStyle().ItemInnerSpacing.x;
  dim_combo("x axis", map_x, names, w);
  if (D > 1) {
    same_line_if_fits(w + sp + ImGui::CalcTextSize("y axis").x);
    dim_combo("y axis", map_y, names, w);
    if (map_y == map_x) map_y = (map_x + 1) % D;
  } else {
    map_y = map_x;
  }
  same_line_if_fits(ImGui::GetFrameHeight() + sp + ImGui::CalcTextSize("log colour").x);
  ImGui::Checkbox("log colour", &map_log);
  action_controls(in, map_plan_action, map_action);
  DisagreementMapRecipe r;
  r.dim_x = map_x, r.dim_y = map_y;
  r.action = chosen_action(in, map_plan_action, map_action);
  const std::string key = inputs_key(in, r.action) + "|" + std::to_string(map_x) + "," + std::to_string(map_y);
  // Every state change moves the slice: recompute at most 4 times a second while running.
  map_job.want(worker, key, [in, r] { return disagreement_map_view(in, r); }, 0.25);
  busy |= map_job.stale(key);
  if (!map_job.error.empty()) status = "disagreement_map: error: " + map_job.error;
  if (!map_job.last) {
    ImGui::TextDisabled("computing the first map...");
    return;
  }
  const DisagreementMapView& v = *map_job.last;
  if (map_job.error.empty())
    status = "disagreement_map: " + std::to_string(v.map.x.n) + " x " + std::to_string(v.map.y.n) +
             " cells, " + std::to_string(v.map.members) + " members, " +
             std::to_string(v.px.size()) + " training states";
  const float note_h = ImGui::GetTextLineHeightWithSpacing() * 2.2f;
  bool stacked = false;
  const ImVec2 cell = two_panes(ImGui::GetContentRegionAvail(), note_h, stacked);
  const auto panels = disagreement_map_heatmaps(v, names, map_log);
  for (size_t i = 0; i < panels.size(); ++i) {
    if (i) pane_gap(stacked);
    HeatmapData h;
    static_cast<Heatmap&>(h) = panels[i];
    draw_heatmap(i == 0 ? "epistemic" : "aleatoric", h, cell, style.line_scale);
  }
  const bool prob = in.model->probabilistic();
  ImGui::TextWrapped(
      "%d members (%s). Other dims and the action held at the current state (cross). Epistemic "
      "grows away from the data; aleatoric is the noise each member believes in%s%s.",
      v.map.members, prob ? "probabilistic" : "deterministic",
      prob ? "" : " (zero: deterministic members)",
      v.deterministic_world ? ", learned from the data's spread: this world has no noise" : "");
}

int LabPanel::State::slice_dim_controls() {
  const auto& names = inputs.obs_names;
  const float w = ImGui::GetFontSize() * 6;  // room for "velocity" and the arrow
  dim_combo("input", slice_dim, names, w);
  same_line_if_fits(w + ImGui::GetStyle().ItemInnerSpacing.x +
                    ImGui::CalcTextSize("predicted change").x);
  int out = slice_out < 0 ? partner_dim(slice_dim, inputs.obs_dim()) : slice_out;
  if (dim_combo("predicted change", out, names, w)) slice_out = out;
  return out;
}

void LabPanel::State::draw_slice() {
  const ModelInputs& in = inputs;
  const auto& names = in.obs_names;
  const int D = in.obs_dim();
  if (D < 1) return;
  lab_title(style, "One input dimension: members, bands and data");
  job_note(slice_job.running(), slice_job.error);
  const int out = slice_dim_controls();
  action_controls(in, slice_plan_action, map_action);
  UncertaintySliceRecipe r;
  r.dim = slice_dim, r.output = out;
  r.action = chosen_action(in, slice_plan_action, map_action);
  const std::string key = inputs_key(in, r.action) + "|" + std::to_string(slice_dim) + ">" + std::to_string(out);
  slice_job.want(worker, key, [in, r] { return uncertainty_slice_view(in, r); }, 0.25);
  busy |= slice_job.stale(key);
  if (!slice_job.error.empty()) status = "uncertainty_slice: error: " + slice_job.error;
  if (!slice_job.last) {
    ImGui::TextDisabled("computing the first slice...");
    return;
  }
  const UncertaintySliceView& v = *slice_job.last;
  if (slice_job.error.empty())
    status = "uncertainty_slice: " + std::to_string(v.slice.xs.size()) + " points, " +
             std::to_string(v.slice.members) + " members, " + std::to_string(v.px.size()) +
             " data points near the slice";
  const Figure f = uncertainty_slice_figure(v, names);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float note_h = ImGui::GetTextLineHeightWithSpacing() * 2.2f;
  plot("slice", f, ImVec2(avail.x, std::max(80.0f, avail.y - note_h)), slice_style(f, style.line_scale));
  // A noiseless world's missing band is said first, where the note is never cut off.
  ImGui::TextWrapped(
      "%s%d %s members. Dots: training transitions (any action) within %.1f sd of the current "
      "state in the other dims. Where the dots are, the members agree; away from them only the "
      "bootstrap and the initialisation decide.",
      v.deterministic_world ? "No aleatoric band: this world has no noise. " : "", v.slice.members,
      in.model->probabilistic() ? "probabilistic" : "deterministic", v.near_sd);
}

void LabPanel::State::start_study() {
  cancel_study();
  auto st = std::make_shared<StudyProgress>();
  study = st;
  study_model = inputs.model.get();
  // The study trains in slices of ~0.1 s on the lab's worker, so the other views' jobs run in
  // between; each slice publishes the sizes finished so far.
  auto data = inputs.training_data;
  auto cfg = inputs.model->config();
  auto comparison = std::make_shared<std::unique_ptr<EnsembleSizeComparison>>();
  run_in_slices(
      worker, "ensemble_size",
      [st, data, cfg, comparison] {
        if (!*comparison) {
          *comparison = std::make_unique<EnsembleSizeComparison>(*data, cfg);
          std::lock_guard lk(st->mu);
          st->rows = (*comparison)->rows(), st->epochs = (*comparison)->epochs();
        }
        return !st->cancel && (*comparison)->step();
      },
      [st, comparison](bool done) {
        const EnsembleSizeComparison& c = **comparison;
        st->progress = done ? 1.0 : c.progress();
        std::lock_guard lk(st->mu);
        st->probabilistic = c.probabilistic(), st->deterministic = c.deterministic();
        st->done = done;
      },
      record_failure(st));
}

void LabPanel::State::draw_size() {
  lab_title(style, "Validation error vs ensemble size (PETS)");
  const bool running = study && !study->done;
  const bool have_data = inputs.training_data && inputs.training_data->size() >= 8;
  const bool fresh = study && study_model == inputs.model.get();
  if (running) {
    ImGui::SameLine();
    ImGui::TextDisabled("computing... %.0f%%", 100 * study->progress.load());
  }
  ImGui::BeginDisabled(!have_data || running);
  const bool go = ImGui::Button(study ? "Recompute on the current data" : "Compute");
  ImGui::EndDisabled();
  const char* note = "trains fresh ensembles of 1..8 members, both kinds";
  same_line_if_fits(ImGui::CalcTextSize(note).x);
  ImGui::TextDisabled("%s", note);
  if (have_data && !running && (go || (study_auto && !study))) start_study();
  busy |= have_data && (!study || !study->done);
  if (!have_data) {
    status = "ensemble_size: waiting for training data";
    ImGui::TextDisabled("waiting for training data (the first fit)...");
    return;
  }
  if (!study) return;
  EnsembleSizeFigures f;
  std::string err;
  {
    std::lock_guard lk(study->mu);
    err = study->error;
    f = ensemble_size_figures(study->probabilistic, study->deterministic);
  }
  status = "ensemble_size: " + std::to_string(f.mse.series[0].x.size()) + " + " +
           std::to_string(f.mse.series[1].x.size()) + " sizes scored on " +
           std::to_string(study->rows) + " transitions";
  if (!err.empty()) {
    status = "ensemble_size: error: " + err;
    job_note(false, err);
  }
  bool stacked = false;
  const ImVec2 sz = two_panes(ImGui::GetContentRegionAvail(),
                              ImGui::GetTextLineHeightWithSpacing() * 3.3f, stacked);
  PlotStyle ps{style.line_scale, {}};
  plot("size_mse", f.mse, sz, ps);
  pane_gap(stacked);
  plot("size_nll", f.nll, sz, ps);
  if (!f.off_scale.empty())
    ImGui::TextWrapped("Off the NLL scale: %s (no variance of its own).", f.off_scale.c_str());
  ImGui::TextWrapped(
      "Each point: a fresh ensemble of E members trained %d epochs on %zu transitions of the "
      "current dataset (80%% train), scored on the other 20%%.%s",
      study->epochs, study->rows,
      fresh ? "" : " Computed on an earlier fit: Recompute for the current one.");
}

}  // namespace dynalab
