// The lab's "Three models" view (issue 19): an ensemble, a Gaussian process and a Bayesian NN fit
// on the experiment's training data (core/analysis/model_comparison.h, the functions dynalab-cli
// analysis model_comparison calls), their 1-D slices side by side on one y range and their
// epistemic maps below. The fit runs in slices on the lab's worker; meanwhile the view says what
// is being fitted and the last result stays up.

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>

#include "app/gui/heatmap.h"
#include "app/gui/lab_state.h"
#include "app/gui/plot_widget.h"

namespace dynalab {

void LabPanel::State::start_comparison(const std::string& key, const ModelComparisonRecipe& r) {
  cancel_comparison();
  auto st = std::make_shared<ComparisonProgress>();
  st->stage = "starting the fits";
  comparison = st;
  comparison_key = key;
  auto data = inputs.training_data;
  auto cfg = inputs.model->config();
  auto fit = std::make_shared<std::shared_ptr<ModelComparisonFit>>();
  run_in_slices(
      worker, kComparisonFitSlot,
      [st, data, cfg, r, fit] {
        if (!*fit) *fit = std::make_shared<ModelComparisonFit>(*data, cfg, r);
        return !st->cancel && (*fit)->step();
      },
      [st, fit](bool done) {
        std::lock_guard lk(st->mu);
        st->stage = (*fit)->stage();
        st->progress = (*fit)->progress();
        if ((*fit)->done()) st->fit = *fit;
        st->done = done;
      },
      [st](const std::string& error) {
        std::lock_guard lk(st->mu);
        st->error = error;
        st->done = true;
      });
}

void LabPanel::State::draw_comparison() {
  const ModelInputs& in = inputs;
  const auto& names = in.obs_names;
  const int D = in.obs_dim();
  if (D < 1) return;
  lab_title(style, "Three models, the same data");
  // The slice's dims are the 1-D slice view's (one choice for both views).
  const int out = slice_dim_controls();
  const float sp = ImGui::GetStyle().ItemInnerSpacing.x;
  same_line_if_fits(ImGui::CalcTextSize("Draw a new network").x + 2 * ImGui::GetStyle().FramePadding.x);
  if (ImGui::Button("Draw a new network")) ++compare_draw;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The Bayesian NN's weights drawn again from its posterior; nothing is refit");
  same_line_if_fits(ImGui::GetFrameHeight() + sp + ImGui::CalcTextSize("two clusters").x);
  ImGui::Checkbox("two clusters", &compare_two_clusters);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Fit the three models on the lowest and the highest third of the data along "
                      "the input only: a gap in the middle");
  if (!in.training_data || in.training_data->size() < 8) {
    status = "model_comparison: waiting for training data";
    ImGui::TextDisabled("waiting for training data (the first fit)...");
    return;
  }
  ModelComparisonRecipe r;
  r.slice.dim = slice_dim, r.slice.output = out;
  r.slice.action = chosen_action(in, slice_plan_action, map_action);
  r.map.dim_x = map_x, r.map.dim_y = D > 1 ? map_y : map_x;
  r.two_clusters = compare_two_clusters;
  r.network_draw = compare_draw;
  // The experiment's seed, as dynalab-cli analysis model_comparison --seed S: the same fits.
  r.seed = in.seed;
  // A new fit for new data, or for a gap in another place; a new draw or state only re-views.
  char fit_key[128];
  std::snprintf(fit_key, sizeof fit_key, "%p|%d|%llu", static_cast<const void*>(in.training_data.get()),
                compare_two_clusters ? slice_dim : -1, static_cast<unsigned long long>(r.seed));
  if (fit_key != comparison_key) start_comparison(fit_key, r);
  std::shared_ptr<const ModelComparisonFit> fit;
  std::string stage, error;
  {
    std::lock_guard lk(comparison->mu);
    fit = comparison->fit, stage = comparison->stage, error = comparison->error;
  }
  busy |= !comparison->done;
  if (fit) {
    char k[64];
    std::snprintf(k, sizeof k, "|%p|%d|%d>%d|%d,%d", static_cast<const void*>(fit.get()), compare_draw,
                  slice_dim, out, r.map.dim_x, r.map.dim_y);
    const std::string key = inputs_key(in, r.slice.action) + k;
    compare_job.want(worker, key, [in, fit, r] { return model_comparison_view(in, *fit, r); }, 0.25);
    busy |= compare_job.stale(key);
    if (!compare_job.error.empty()) error = compare_job.error;
  }
  // The status line: what the worker fits now, or what the shown result measured.
  const ModelComparisonView* v = compare_job.last.get();
  if (!error.empty()) {
    status = "model_comparison: error: " + error;
    job_note(false, error);
  } else if (!comparison->done) {
    char b[160];
    std::snprintf(b, sizeof b, "%s, %.0f%% (the last result stays up)", stage.c_str(),
                  100 * comparison->progress.load());
    status = "model_comparison: " + stage;
    ImGui::TextDisabled("%s", b);
  } else if (v) {
    char b[200];
    std::snprintf(b, sizeof b, "%zu of %zu transitions%s, network draw %d", v->rows, v->source_rows,
                  v->two_clusters ? " (two clusters)" : "", v->network_draw);
    status = std::string("model_comparison: 3 models fit on ") + b + "; gap/cluster sd: " +
             gap_ratios_text(*v);
    ImGui::TextWrapped("Fit on %s. Epistemic sd in the %s over outside it: %s.", b,
                       v->two_clusters ? "gap (between the green lines)" : "middle half of the data's range",
                       gap_ratios_text(*v).c_str());
  }
  if (!v) {
    ImGui::TextDisabled("computing the first comparison...");
    return;
  }
  const auto slices = model_comparison_figures(*v, names);
  const auto maps = model_comparison_heatmaps(*v, names);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  const float fh = ImGui::GetFontSize();
  static const char* const kNote =
      "Orange: epistemic +-2 sd; black: the members (GP: its mean; BNN: weight draws); blue: the "
      "GP's function draws; dots: the fit data near the slice; green: the gap's edges.";
  const float note_h = ImGui::CalcTextSize(kNote, nullptr, false, avail.x).y + spacing.y;
  const float col_w = std::max(60.0f, (avail.x - 2 * spacing.x) / 3);
  const float h = std::max(160.0f, avail.y - note_h - 2 * ImGui::GetTextLineHeightWithSpacing());
  const float plot_h = std::floor(h * 0.54f), map_h = h - plot_h - spacing.y;
  // The titles in one row (the big font where all three fit), so the three plot frames line up
  // (a title that wraps in one narrow plot would shift its frame).
  const float x0 = ImGui::GetCursorPosX();
  ImFont* title_font = style.big;
  for (const Figure& f : slices)
    if (title_font && title_font->CalcTextSizeA(title_font->FontSize, FLT_MAX, 0, f.title.c_str()).x > col_w)
      title_font = nullptr;
  for (int k = 0; k < kComparedModels; ++k) {
    if (k) ImGui::SameLine(x0 + k * (col_w + spacing.x));
    if (title_font) ImGui::PushFont(title_font);
    ImGui::TextUnformatted(slices[size_t(k)].title.c_str());
    if (title_font) ImGui::PopFont();
  }
  ImGui::TextDisabled("y: %s in one step (one y range for the three)", slices[0].y_label.c_str());
  for (int k = 0; k < kComparedModels; ++k) {
    if (k) ImGui::SameLine();
    // The model's name and what y is are written above (one line for the three).
    Figure untitled = slices[size_t(k)];
    untitled.title.clear(), untitled.y_label.clear();
    PlotStyle ps = slice_style(untitled, style.line_scale);
    ps.legend = false;  // three narrow plots: the note below says what is what
    ImGui::PushID(k);
    plot_figure("slice", untitled, ImVec2(col_w, plot_h), ps);
    ImGui::PopID();
    figures.push_back(slices[size_t(k)]);  // exported with its title
  }
  // One colour scale for the three maps: its bar once, on the last; that map gets the bar's
  // width on top so the three maps themselves are the same size.
  const float bar_extra = fh * 1.9f + ImGui::CalcTextSize("1e-3").x;
  const float map_w = std::max(60.0f, (avail.x - 2 * spacing.x - bar_extra) / 3);
  for (int k = 0; k < kComparedModels; ++k) {
    if (k) ImGui::SameLine();
    HeatmapData hm;
    static_cast<Heatmap&>(hm) = maps[size_t(k)];
    hm.title = "epistemic sd";  // the model's name is the plot's title above
    hm.colour_bar = k == kComparedModels - 1;
    ImGui::PushID(k);
    draw_heatmap("map", hm, ImVec2(map_w + (hm.colour_bar ? bar_extra : 0.0f), map_h), style.line_scale);
    ImGui::PopID();
  }
  ImGui::TextWrapped("%s", kNote);
}

}  // namespace dynalab
