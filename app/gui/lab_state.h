#pragma once
// The lab's state shared by its views (lab_panel.cpp: window, tabs, episode tracking;
// uncertainty_panel.cpp: disagreement map, 1-D slice, ensemble size; comparison_panel.cpp: the
// three models; gp_cost_panel.cpp: GP training seconds vs N; shift_panel.cpp: state
// visitation, model error). Not a public header: only the lab's own files include it. Every
// computation goes through the lab's one BackgroundWorker (core/background_worker.h).

#include <imgui.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/gui/lab_panel.h"
#include "app/gui/cpu_sharing.h"
#include "app/gui/plot_widget.h"
#include "core/analysis/compounding_error.h"
#include "core/analysis/model_error.h"
#include "core/analysis/disagreement_map_recipe.h"
#include "core/analysis/ensemble_size_recipe.h"
#include "core/analysis/error_vs_distance.h"
#include "core/analysis/gp_fit_time.h"
#include "core/analysis/model_comparison.h"
#include "core/analysis/uncertainty_slice_recipe.h"
#include "core/analysis/visitation.h"
#include "core/background_worker.h"
#include "core/models/ensemble.h"
#include "core/snapshot.h"

namespace dynalab {

/// A view's computation on the lab's BackgroundWorker, keyed by its inputs: want(key, fn) queues
/// fn under the view's slot when the key differs from the last requested one (at most every
/// `min_interval` once a result is shown); a newer request replaces one not started yet. The
/// GUI shows the last result while the next is computed and never waits.
template <class R>
struct Job {
  /// Written by the worker, read by the GUI thread.
  struct Shared {
    std::mutex mu;
    bool arrived = false;
    std::shared_ptr<const R> result;
    std::string key, error;
  };
  std::string slot;
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::shared_ptr<const R> last;
  std::string key_wanted, key_last, error;
  std::chrono::steady_clock::time_point requested{};

  explicit Job(std::string slot_name) : slot(std::move(slot_name)) {}
  /// Takes a finished result (or its exception's message). True if one arrived.
  bool poll() {
    std::lock_guard lk(shared->mu);
    if (!shared->arrived) return false;
    shared->arrived = false;
    if (shared->result) last = std::move(shared->result);
    error = shared->error;
    key_last = shared->key;
    return true;
  }
  template <class F>
  void want(BackgroundWorker& worker, const std::string& key, F&& fn, double min_interval_s = 0.0) {
    poll();
    if (key == key_wanted) return;
    const auto now = std::chrono::steady_clock::now();
    if (last && std::chrono::duration<double>(now - requested).count() < min_interval_s) return;
    key_wanted = key;
    requested = now;
    worker.submit(slot, [sh = shared, key, f = std::forward<F>(fn)] {
      std::shared_ptr<const R> r;
      std::string err;
      try {
        r = std::make_shared<const R>(f());
      } catch (const std::exception& e) {
        err = e.what();
      }
      std::lock_guard lk(sh->mu);
      sh->arrived = true;
      sh->result = std::move(r);
      sh->key = key;
      sh->error = err;
    });
  }
  bool running() const { return key_wanted != key_last; }
  /// The shown result is out of date for `key`.
  bool stale(const std::string& key) const { return running() || key != key_last; }
};

/// The ensemble-size study's shared state: the worker steps it in slices, the GUI reads copies.
struct StudyProgress {
  std::mutex mu;
  std::vector<EnsembleSizePoint> probabilistic, deterministic;  // finished sizes so far
  std::atomic<double> progress{0};
  std::atomic<bool> cancel{false}, done{false};
  std::string error;
  size_t rows = 0;
  int epochs = 0;
};

/// The three-model comparison's fit: the worker steps it in slices; the GUI reads its stage and,
/// once done, the fitted models (which the worker then only reads).
struct ComparisonProgress {
  std::mutex mu;
  std::string stage, error;  // ModelComparisonFit::stage() after the last slice
  std::shared_ptr<const ModelComparisonFit> fit;  // set when done
  std::atomic<double> progress{0};
  std::atomic<bool> cancel{false}, done{false};
};
inline constexpr const char* kComparisonFitSlot = "model_comparison_fit";

/// The GP cost study's shared state: the worker times one run per step, the GUI reads copies of
/// the points measured so far (the plot grows point by point).
struct GpCostProgress {
  std::mutex mu;
  std::vector<GpFitTimePoint> points;
  std::string stage, error;  // GpFitTimeStudy::stage() after the last slice
  size_t rows = 0;           // transitions in the data the study took its rows from
  int largest = 0, optimizer_iterations = 0;
  std::atomic<double> progress{0};
  std::atomic<bool> cancel{false}, done{false};
};
inline constexpr const char* kGpCostSlot = "gp_fit_time";

struct LabPanel::State {
  int view = 0;
  bool force_tab = true;                     // select `view`'s tab in the next frame (set_view)
  std::shared_ptr<const Snapshot> snap;  // this frame's, when it has a ModelView
  LabStyle style;
  bool busy = false;            // set by the drawn view each frame
  std::string status;           // set by the drawn view each frame (LabPanel::status)
  std::vector<Figure> figures;  // the line plots drawn this frame (LabPanel::figures)
  /// Draws `f` with the plot widget and keeps it for export.
  void plot(const char* id, const Figure& f, ImVec2 size, const PlotStyle& ps);

  ModelInputs inputs;  // this frame's, from snap (valid when snap has a model)

  // Disagreement map.
  int map_x = 0, map_y = 1;
  bool map_plan_action = true;  // the planner's first action, else the sliders
  std::vector<float> map_action;
  bool map_log = true;
  Job<DisagreementMapView> map_job{"disagreement_map"};
  // 1-D slice.
  int slice_dim = 0, slice_out = -1;  // -1: the partner dimension
  bool slice_plan_action = true;
  Job<UncertaintySliceView> slice_job{"uncertainty_slice"};
  // Three models: one fit at a time (restarted when its data, the gap or the slice dim change),
  // then the views of the fitted models.
  std::shared_ptr<ComparisonProgress> comparison;
  std::string comparison_key;  // what the current fit was started for
  bool compare_two_clusters = false;
  int compare_draw = 0;        // "Draw a new network" presses
  Job<ModelComparisonView> compare_job{"model_comparison"};
  // GP cost: one study at a time, started when the view first has data, restarted on demand.
  std::shared_ptr<GpCostProgress> gp_cost;
  GpFitTimeRecipe gp_cost_recipe;
  // Ensemble size study: one at a time, restarted on demand.
  std::shared_ptr<StudyProgress> study;
  const void* study_model = nullptr;  // the model copy the study's data came with
  bool study_auto = true;             // start one when the view opens with data
  // State visitation.
  int shift_x = 0, shift_y = 1;
  Job<VisitationHistograms> shift_job{"state_visitation"};
  // Model error.
  Job<ModelError> error_job{"model_error"};
  // Recent planned episodes seen in snapshots (the error view's "visited" transitions).
  struct Episode {
    int run = -1, episode = -1;
    Trajectory traj;
  };
  std::deque<Episode> recent;

  ~State();
  void track_episode(const Snapshot& m);
  void draw_map();
  /// The 1-D slice's input and output combos (shared by the slice and the three models);
  /// returns the output dim.
  int slice_dim_controls();
  void draw_slice();
  void draw_comparison();
  void draw_size();
  void draw_gp_cost();
  void draw_shift();
  void draw_error();
  void start_study();
  void cancel_study();
  void start_comparison(const std::string& key, const ModelComparisonRecipe& recipe);
  void cancel_comparison();
  void start_gp_cost();
  void cancel_gp_cost();

  // Last: destroyed first, so no job runs while the members above are destroyed.
  BackgroundWorker worker{lower_worker_priority};
};

// Helpers shared by the views (lab_panel.cpp).
/// A view's title in the big font, wrapped to the pane (never clipped).
void lab_title(const LabStyle& st, const char* text);
/// SameLine() when an item `width` pixels wide still fits on the row, else a new row.
void same_line_if_fits(float width);
/// A combo over observation dims; true if changed.
bool dim_combo(const char* label, int& dim, const std::vector<std::string>& names, float width);
/// The planner's next action, or the given slider values, as a Vec of action_dim.
Vec chosen_action(const ModelInputs& in, bool plan_action, std::vector<float>& sliders);
/// Action sliders (shown when not following the planner); true if changed.
bool action_controls(const ModelInputs& in, bool& plan_action, std::vector<float>& sliders);
/// The grey "computing..." (or error) note after a view's title.
void job_note(bool running, const std::string& error);
/// Two panes in `avail` minus `reserve_h` pixels of notes: side by side when the space is wide,
/// stacked when it is tall (a narrow lab pane on a 4:3 projector). Returns one pane's size and
/// sets `stacked`; between the two panes call pane_gap(stacked).
ImVec2 two_panes(ImVec2 avail, float reserve_h, bool& stacked);
void pane_gap(bool stacked);
/// A short fixed-precision key piece for floats (so tiny changes do not restart jobs).
std::string key_num(double x);
/// What a recipe's result depends on besides the view's own choices: the model copy, its data,
/// the held state and action.
std::string inputs_key(const ModelInputs& in, const Vec& action);
/// Runs `step` (one bounded unit of work; false when there is no more) on `worker` under `slot`
/// in slices of about 0.1 s, each slice a job of its own so other slots' jobs run in between;
/// after each slice publish(done). An exception from either goes to fail(message) and ends it.
/// worker.cancel(slot) drops the next slice; `step` should also return false once cancelled.
void run_in_slices(BackgroundWorker& worker, const std::string& slot, std::function<bool()> step,
                   std::function<void(bool done)> publish,
                   std::function<void(const std::string&)> fail);
/// run_in_slices's `fail` for a study's shared state (mu, error, progress, done): keeps the
/// message and marks the study finished.
template <class Progress>
std::function<void(const std::string&)> record_failure(std::shared_ptr<Progress> st) {
  return [st](const std::string& error) {
    std::lock_guard lk(st->mu);
    st->error = error;
    st->progress = 1;
    st->done = true;
  };
}
/// Plot styles of uncertainty_slice_figure's series, matched by label: the two bands, the
/// members (or a GP's mean, a BNN's weight draws), a GP's function draws, the data dots.
PlotStyle slice_style(const Figure& f, float line_scale);

}  // namespace dynalab
