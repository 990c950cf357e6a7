// The lab's "GP cost" view (issue 19: "GP fit time vs number of points on log-log axes, the
// cubic cost the deck warns about, measured live"): core/analysis/gp_fit_time.h times one GP's
// log-likelihood evaluation and its whole fit for N = 25, 50, ... on the experiment's data, one
// timed run per step on the lab's worker, and the plot grows point by point against a guide of
// slope 3. The same study as dynalab-cli analysis gp_fit_time (its seconds are the machine's).

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "app/gui/lab_state.h"
#include "app/gui/plot_widget.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"

namespace dynalab {

void LabPanel::State::cancel_gp_cost() {
  if (gp_cost) gp_cost->cancel = true;
  worker.cancel(kGpCostSlot);
}

void LabPanel::State::start_gp_cost() {
  cancel_gp_cost();
  auto st = std::make_shared<GpCostProgress>();
  st->stage = "starting";
  gp_cost = st;
  auto data = inputs.training_data;
  const GpConfig gp = inputs.model->config().gp;
  GpFitTimeRecipe r = gp_cost_recipe;
  r.seed = inputs.seed;
  auto study = std::make_shared<std::unique_ptr<GpFitTimeStudy>>();
  run_in_slices(
      worker, kGpCostSlot,
      [st, data, gp, r, study] {
        if (!*study) {
          *study = std::make_unique<GpFitTimeStudy>(*data, gp, r);
          std::lock_guard lk(st->mu);
          st->rows = (*study)->rows(), st->largest = (*study)->ladder().back();
          st->optimizer_iterations = gp.optimizer_iterations;
        }
        return !st->cancel && (*study)->step();
      },
      [st, study](bool done) {
        const GpFitTimeStudy& s = **study;
        st->progress = done ? 1.0 : s.progress();
        std::lock_guard lk(st->mu);
        st->points = s.points(), st->stage = s.stage();
        st->done = done;
      },
      record_failure(st));
}

void LabPanel::State::draw_gp_cost() {
  lab_title(style, "GP training cost vs number of points");
  const GpFitTimeRecipe& r = gp_cost_recipe;
  const bool running = gp_cost && !gp_cost->done;
  const bool have_data = inputs.training_data && inputs.training_data->size() >= size_t(r.first_points);
  ImGui::BeginDisabled(!have_data || running);
  const bool go = ImGui::Button(gp_cost ? "Measure again on the current data" : "Measure");
  ImGui::EndDisabled();
  if (running) {
    ImGui::SameLine();
    ImGui::TextDisabled("measuring... %.0f%%", 100 * gp_cost->progress.load());
  }
  if (have_data && !running && (go || !gp_cost)) start_gp_cost();
  busy |= have_data && (!gp_cost || !gp_cost->done);
  if (!have_data) {
    status = "gp_fit_time: waiting for training data";
    ImGui::TextDisabled("waiting for at least %d transitions of training data...", r.first_points);
    return;
  }
  std::vector<GpFitTimePoint> pts;
  std::string stage, err;
  size_t rows = 0;
  int largest = 0, iterations = 0;
  {
    std::lock_guard lk(gp_cost->mu);
    pts = gp_cost->points, stage = gp_cost->stage, err = gp_cost->error;
    rows = gp_cost->rows, largest = gp_cost->largest, iterations = gp_cost->optimizer_iterations;
  }
  const double se = evaluation_slope(pts, r.slope_points), sf = fit_slope(pts, r.slope_points);
  char slopes[160];
  std::snprintf(slopes, sizeof slopes, "slope over the %d largest N: evaluation %.2f, whole fit %.2f",
                r.slope_points, se, sf);
  status = "gp_fit_time: " + std::to_string(pts.size()) + " of N up to " + std::to_string(largest) +
           " from " + std::to_string(rows) + " transitions; " + slopes;
  if (!err.empty()) {
    status = "gp_fit_time: error: " + err;
    job_note(false, err);
  }
  // The one-line caption: what one point is.
  ImGui::TextWrapped(
      "Wall-clock seconds on this machine, median of %d runs, one GP (target: the change of %s) on "
      "N of the %zu transitions; NOT capped by model.gp.max_points (%d), which the model itself "
      "uses. Evaluation: Cholesky + solves + gradient at fixed hyperparameters.",
      r.repetitions, inputs.obs_names.empty() ? "obs 0" : inputs.obs_names[size_t(r.column)].c_str(), rows,
      inputs.model->config().gp.max_points);
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const Figure f = gp_fit_time_figure(pts, r.repetitions, iterations);
  // The guide dashed-pale behind the measured lines; the measured points as lines with dots.
  PlotStyle ps{style.line_scale, {}};
  for (const Series& s : f.series) {
    SeriesStyle ss;
    ss.colour = s.colour;
    if (s.label.rfind("slope 3", 0) == 0) ss.line_alpha = 0.45f, ss.line_width = 2.5f;
    else ss.line_width = 2;
    ps.series.push_back(ss);
  }
  plot("gp_fit_time", f, ImVec2(avail.x, std::max(160.0f, avail.y - 2.3f * line)), ps);
  ImGui::TextWrapped("%s%s", slopes,
                     running ? ("; now: " + stage).c_str()
                             : " (the cubic O(N^3) cost: slope 3 once N is large)");
}

}  // namespace dynalab
