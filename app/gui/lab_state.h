#pragma once
// The lab's state shared by its views (lab_panel.cpp: window, tabs, episode tracking;
// uncertainty_panel.cpp: disagreement map, 1-D slice, ensemble size; shift_panel.cpp: state
// visitation, model error). Not a public header: only the lab's own files include it.

#include <imgui.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/gui/lab_panel.h"
#include "app/gui/plot_widget.h"
#include "core/analysis/compounding_error.h"
#include "core/analysis/disagreement_map.h"
#include "core/analysis/ensemble_size_study.h"
#include "core/analysis/error_vs_distance.h"
#include "core/analysis/visitation.h"
#include "core/experiments/mbrl_experiment.h"

namespace dynalab {

/// A computation on a background thread keyed by its inputs: want(key, fn) starts fn when the
/// key differs from the last result's and nothing runs (at most every `min_interval`), so the
/// GUI shows the last result while the next is computed and never waits.
template <class R>
struct Job {
  std::future<R> fut;
  std::shared_ptr<const R> last;
  std::string key_running, key_last, error;
  std::chrono::steady_clock::time_point started{};

  /// Takes a finished result (or its exception's message). True if one arrived.
  bool poll() {
    if (!fut.valid() || fut.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      return false;
    try {
      last = std::make_shared<const R>(fut.get());
      error.clear();
    } catch (const std::exception& e) {
      error = e.what();
    }
    key_last = key_running;
    return true;
  }
  template <class F>
  void want(const std::string& key, F&& fn, double min_interval_s = 0.0) {
    poll();
    if (key == key_last || fut.valid()) return;
    const auto now = std::chrono::steady_clock::now();
    if (last && std::chrono::duration<double>(now - started).count() < min_interval_s) return;
    key_running = key;
    started = now;
    fut = std::async(std::launch::async, std::forward<F>(fn));
  }
  bool running() const { return fut.valid(); }
  /// The shown result is out of date for `key`.
  bool stale(const std::string& key) const { return fut.valid() || key != key_last; }
  void wait() {
    if (fut.valid()) fut.wait();
  }
};

/// Inputs sampled from a snapshot for one map or slice (copied, so the job owns them).
struct MapResult {
  DisagreementMap map;
  std::vector<double> px, py;  ///< training states on the two dims (subsampled)
  double base_x = 0, base_y = 0;
};
struct SliceResult {
  DisagreementSlice slice;
  std::vector<double> px, py;  ///< training transitions near the slice: s[dim], s'[out]
  double base = 0;
  double near_sd = 0;  ///< "near" = within this many training std in every other dim
};
struct ErrorResult {
  ErrorVsDistance evd;
  CompoundingError ensemble, single;
  int single_member = 0;
  size_t visited = 0, train = 0;
  std::string trajectories_from;  ///< "recent episodes" or "training data"
};
struct StudyProgress {
  std::mutex mu;
  std::vector<EnsembleSizePoint> probabilistic, deterministic;
  std::atomic<double> progress{0};
  std::atomic<bool> cancel{false}, done{false};
  std::string error;
  size_t rows = 0;
  int epochs = 0;
};

struct LabPanel::State {
  int view = 0;
  bool force_tab = true;                     // select `view`'s tab in the next frame (set_view)
  std::shared_ptr<const MbrlSnapshot> snap;  // this frame's
  LabStyle style;
  bool busy = false;            // set by the drawn view each frame
  std::string status;           // set by the drawn view each frame (LabPanel::status)
  std::vector<Figure> figures;  // the line plots drawn this frame (LabPanel::figures)
  /// Draws `f` with the plot widget and keeps it for export.
  void plot(const char* id, const Figure& f, ImVec2 size, const PlotStyle& ps);

  // Disagreement map.
  int map_x = 0, map_y = 1;
  bool map_plan_action = true;  // the planner's first action, else the sliders
  std::vector<float> map_action;
  bool map_log = true;
  Job<MapResult> map_job;
  // 1-D slice.
  int slice_dim = 0, slice_out = -1;  // -1: the varied dimension
  bool slice_plan_action = true;
  Job<SliceResult> slice_job;
  // Ensemble size study: one at a time, restarted on demand.
  std::shared_ptr<StudyProgress> study;
  std::future<void> study_fut;
  const void* study_model = nullptr;  // the model copy the study's data came with
  bool study_auto = true;             // start one when the view opens with data
  // State visitation.
  int shift_x = 0, shift_y = 1;
  Job<VisitationHistograms> shift_job;
  // Model error.
  Job<ErrorResult> error_job;
  // Recent planned episodes seen in snapshots (the error view's "visited" transitions).
  struct Episode {
    int run = -1, episode = -1;
    Trajectory traj;
  };
  std::deque<Episode> recent;

  ~State();
  void track_episode(const MbrlSnapshot& m);
  void draw_map();
  void draw_slice();
  void draw_size();
  void draw_shift();
  void draw_error();
  void cancel_study();
};

// Helpers shared by the views (lab_panel.cpp).
/// "x", "velocity"... for each observation dim of the snapshot's env.
std::vector<std::string> obs_names(const MbrlSnapshot& m);
/// A combo over observation dims; true if changed.
bool dim_combo(const char* label, int& dim, const std::vector<std::string>& names, float width);
/// Range [lo, hi] of dim `d` of the training states, widened by `widen` x its span on each
/// side (to show extrapolation); falls back to the observation space or obs +- 1.
void axis_range(const MbrlSnapshot& m, int d, double widen, double& lo, double& hi);
/// The training states (rows) of the snapshot's model: its fit data (subsampled to max_rows).
Eigen::MatrixXd training_states(const MbrlSnapshot& m, int max_rows);
/// The planner's first action, or the given slider values, as a Vec of action_dim.
Vec chosen_action(const MbrlSnapshot& m, bool plan_action, std::vector<float>& sliders);
/// Action sliders (shown when not following the planner); true if changed.
bool action_controls(const MbrlSnapshot& m, bool& plan_action, std::vector<float>& sliders);
/// The grey "computing..." (or error) note after a view's title.
void job_note(bool running, const std::string& error);
/// Two panes in `avail` minus `reserve_h` pixels of notes: side by side when the space is wide,
/// stacked when it is tall (a narrow lab pane on a 4:3 projector). Returns one pane's size and
/// sets `stacked`; between the two panes call pane_gap(stacked).
ImVec2 two_panes(ImVec2 avail, float reserve_h, bool& stacked);
void pane_gap(bool stacked);
/// A short fixed-precision key piece for floats (so tiny changes do not restart jobs).
std::string key_num(double x);

}  // namespace dynalab
