#pragma once
// The dynalab window's contents, drawn each frame from the runners' latest snapshots. The App
// owns the runners and lays out the panels (structs with their own state: picker, transport,
// config, MPC, profile, status bar, help, lab) around the world panes; panels return what the
// user asked for and the App applies it to every lane. It never computes learning itself.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/draw/world_view.h"
#include "app/gui/app_args.h"
#include "app/gui/config_panel.h"
#include "app/gui/cpu_sharing.h"
#include "app/gui/experiment_picker.h"
#include "app/gui/export_menu.h"
#include "app/gui/help_windows.h"
#include "app/gui/ladder_window.h"
#include "app/gui/imgui_canvas.h"
#include "app/gui/lab_panel.h"
#include "app/gui/mpc_panel.h"
#include "app/gui/profile_panel.h"
#include "app/gui/record_panel.h"
#include "app/gui/screen_layout.h"
#include "app/gui/screen_recorder.h"
#include "app/gui/settings.h"
#include "app/gui/status_bar.h"
#include "app/gui/theme.h"
#include "app/gui/transport_panel.h"
#include "app/gui/world_counters.h"
#include "app/gui/world_interaction.h"
#include "core/experiment.h"
#include "core/lesson.h"
#include "core/runner.h"
#include "core/sweep/aggregate.h"

namespace dynalab {

/// A lesson step's condition in the audience's words, e.g. "3 episodes done".
std::string until_text(const LessonUntil& u);

/// The registered experiments ENV_v05, ENV_v10, ENV_v15 (the lecture's versions on one env), in
/// that order; throws InputError if fewer than two exist.
std::vector<std::string> side_by_side_experiments(const std::string& env);

class App {
 public:
  /// `scripted`: no settings file is read or written (tests stay independent of the user).
  App(Settings settings, bool scripted, bool demo_plan_trace);

  /// Loads a registered experiment or JSON file with overrides; bad input goes to the status bar
  /// (and is returned) while the current experiment keeps running.
  std::string load(const std::string& name, const std::vector<std::string>& sets,
                   std::optional<uint64_t> seed = {});
  /// Scripted mode: holds a mouse drag from world point `at` to `target` (no real mouse).
  void scripted_drag(Vec2 at, Vec2 target);
  /// Grid world edits (REINFORCEjs), run by the worker between ticks on the running env.
  void edit_grid(CellEdit edit, Cell c);
  /// Opens lesson `name` (file stem; "" = the first lesson) at step `step` (1-based): loads its
  /// experiment (or one runner per variant, side by side), overlays, plots and "run until"
  /// condition, and starts playing. Returns an error message ("" on success).
  std::string open_lesson(const std::string& name, int step);
  /// Starts every runner of the open lesson step: `ticks` > 0 runs that many ticks (stopping
  /// earlier at the step's condition); 0 plays until the condition (or 300 ticks without one).
  void start_lesson_runners(int64_t ticks);
  /// Scripted mode: true when every runner is idle and its last snapshot is drawn, and each
  /// reached `ticks` (experiment mode), or its step's condition / `ticks` (lesson mode).
  bool scripted_done(int64_t ticks) const;
  bool in_lesson() const { return lesson_ >= 0; }
  /// The open lesson step (1-based; 0 outside a lesson).
  int lesson_step() const { return in_lesson() ? step_ + 1 : 0; }
  /// Steps of the open lesson (0 outside a lesson).
  int lesson_step_count() const {
    return in_lesson() && lessons_[lesson_].lesson ? int(lessons_[lesson_].lesson->steps.size()) : 0;
  }
  /// Scripted runs: one line on the ladder window's runs, "random 1, ARS 1, ..." (rung label and
  /// its number of runs), "" when the window is closed.
  std::string ladder_line();
  /// For scripted runs: "sweep ghost: SERIES on PLOT, ..." (the ghost series on this frame's
  /// plots), or "" without a ghost.
  std::string sweep_ghost_line() const;
  /// Side-by-side run view (side_by_side.cpp): the experiments ENV_v05, ENV_v10, ENV_v15 (those
  /// registered) each on its own runner, in one pane each, with their returns on one plot.
  /// Returns an error message ("" on success). Scripted: `--side-by-side ENV`.
  std::string open_side_by_side(const std::string& env);
  bool in_side_by_side() const { return !side_by_side_env_.empty(); }
  /// Opens (or closes, view "") the uncertainty and distribution-shift lab on a view named as
  /// in lab_view_names(). Returns an error message for an unknown name.
  std::string open_lab(const std::string& view);
  /// The lab (scripted runs preset its views' options, e.g. --two-clusters).
  LabPanel& lab() { return lab_; }
  /// Opens View > Sample-efficiency ladder; a non-empty `dir` loads its ladder.csv. Returns ""
  /// or the error.
  std::string open_ladder(const std::string& dir);
  /// Scripted runs: one line per claim of the open lesson step, "claim K: true|false|pending: the
  /// claim -- the measured value" (empty outside a lesson).
  std::vector<std::string> claim_lines() const;
  /// The lab's one-line status ("" when it is closed).
  std::string lab_status() const { return lab_open_ ? lab_.status() : ""; }

  /// Builds one frame of UI (between ImGui::NewFrame and ImGui::Render).
  void frame(float frame_ms);

  Runner& runner() { return runner_; }
  const Settings& settings() const { return settings_; }
  Settings& settings() { return settings_; }
  /// Presentation mode in effect: Settings::lesson_presentation while a lesson is open (on by
  /// default), Settings::presentation otherwise.
  bool presenting() const { return in_lesson() ? settings_.lesson_presentation : settings_.presentation; }
  /// Font scale in effect: Settings::font_scale, raised in presentation mode to 1.8 x at a window
  /// 1000 px high and in proportion to the height (floored to tenths, 0.7 to 1.4 of that).
  float ui_scale() const;
  /// Pixel height of the plot font: in presentation mode a little under the UI font (plots pack
  /// tick labels, legends and titles into a pane): 0.9 x 30.6 = 27.5 px at the default scale,
  /// whose digits are 20 px tall (DejaVu Sans: 0.73 em) for the back row; else the UI font's (0).
  float plot_font_px() const { return presenting() ? 0.9f * kBaseFontPx * ui_scale() : 0.0f; }
  /// Scripted runs: one line on this frame's layout, e.g. "presentation on, ui font 31 px, plot
  /// font 28 px, worlds 1056x640 in 3 x 1 (counters left), world 545x182 px each (91 px per
  /// unit), plots 1056x273, lab none".
  std::string layout_line() const;
  /// True once after the font scale or theme changed; main rebuilds the atlas between frames.
  bool take_font_change();
  void set_fonts(const Fonts& f) { fonts_ = f; }
  bool quit_requested() const { return quit_; }
  /// A PNG requested from the menu, consumed by main after rendering: the path and the region
  /// in window coordinates (the whole window or the viewport).
  struct ScreenshotRequest {
    std::string path;
    ImVec2 pos, size;
  };
  std::optional<ScreenshotRequest> take_screenshot_request();
  /// Shows a message in the status bar.
  void status(const std::string& msg, bool error);
  /// Errors reported by the runner since the last call (scripted mode fails on them).
  std::vector<std::string> take_new_errors() { return std::exchange(new_errors_, {}); }
  /// The snapshot drawn in the last frame.
  const std::shared_ptr<const Snapshot>& shown() const { return snap_; }

  // Sessions and exports (export_menu.cpp).
  /// Saves the running experiment's session into `dir` on the worker; status bar when done.
  void start_save_session(const std::string& dir);
  /// Loads the session in `dir` into a NEW experiment and swaps it in only on success; returns
  /// the error ("" on success), also shown in the status bar.
  std::string load_session_dir(const std::string& dir);
  /// Reads an aggregate folder's summary.csv (dynalab-cli aggregate --out DIR) and draws its
  /// means and standard-error bands behind the steps, return and learning-curve plots, the
  /// configs that match the running one (all of them when none does). Returns "" or the error;
  /// the previous ghost stays on an error.
  std::string load_sweep_ghost(const std::string& path);
  /// Export all into `dir`: core files (export_all), viewport and plot PNGs, README.txt.
  void start_export_all(const std::string& dir);
  /// Writes the first pane's world with its overlays as SVG to `path` (the same drawing code as
  /// the screen, app/draw/world_view.h); returns the error ("" on success), also shown in the
  /// status bar.
  std::string export_world_svg(const std::string& path);
  /// True when no export or session save is in progress.
  bool exports_idle() const;
  /// Main calls this after each frame is rendered: reads back the PNG drawn in that frame.
  void after_render(int fb_w, int fb_h);
  /// Scripted mode: starts --save-session / --export-all / --export-world-svg once; true when
  /// they are all done.
  bool scripted_exports(const AppArgs& args);

  // Recording (app_recording.cpp).
  /// Starts recording `path` (format from its extension) from the region `o` names, as laid out
  /// in the last frame. `simulated`: the headless clock (ScreenRecorder). Returns "" or the
  /// one-line error, also shown in the status bar.
  std::string start_recording(const std::string& path, const RecordOptions& o, bool simulated);
  /// Finalises the recording; its one-line result also goes to the status bar.
  VideoRecorder::Result stop_recording();
  bool recording() const { return recorder_.active(); }
  /// Main calls this after each frame is rendered: the live clock's capture, and the stop after
  /// an encoder error (a full disk: one line in the status bar, the app runs on).
  void record_after_render(int fb_h);
  /// Simulated clock: the frame just rendered as the next video frame ("" or an error).
  std::string capture_video_frame(int fb_h);
  /// Video frames so far (simulated clock: exactly the captured ones).
  int64_t recorded_frames() const { return recorder_.frames(); }
  /// Headless recording: the panels show `ticks_per_second` (the video's rate of learning) and
  /// the frame rate `fps` instead of wall-clock measurements, so frames do not depend on the
  /// machine. Call before the first frame.
  void set_video_clock(double ticks_per_second, int fps) { video_clock_ = {ticks_per_second, fps}; }
  /// Every lane runs `n` more ticks (a lesson step's gate still pauses at its condition).
  void step_lanes(int64_t n);
  /// Waits until every lane is idle (or `timeout` per lane); true if all are.
  bool wait_lanes_idle(std::chrono::milliseconds timeout);
  /// True when every lane is idle and its latest snapshot was drawn in the last frame, the lab
  /// shows its result (not "computing...") and no export is running: a frame fit for a video.
  bool settled() const;

 private:
  // Menus and the controls column (app_menu.cpp, controls_panel.cpp).
  void menu_bar();
  void view_menu();
  void controls_panel(float w, float h, float y);
  void overlay_toggles(float w);
  // Sessions and exports (export_menu.cpp).
  void latent_menu_items(bool busy);  // File menu: the filmstrip PNG, the latent map SVG/CSV
  void render_filmstrip_png();        // export_frame: the filmstrip alone, read back as PNG
  void session_menu_items();  // File menu: Save/Load session, Export all, Export plot
  void export_frame();        // path popups and the plot drawn for a PNG export
  ExportJobs export_;
  // One experiment in the viewport: the main runner, or one variant of a lesson step.
  struct Lane {
    std::string label;            // variant label ("" for a single experiment)
    std::unique_ptr<Runner> own;  // extra runners of a lesson step's variants
    Runner* runner = nullptr;     // runner_ for lane 0
    std::shared_ptr<const Snapshot> snap;
    RunnerStatus st;
    ViewTransform view;
    bool user_moved_view = false;
    uint64_t view_generation = 0;
    bool released = false;  // the lecturer played past the step's condition
  };
  // The world panes (viewport.cpp).
  /// What lay_out_screen needs for the area right of the controls column.
  ScreenInput screen_input(ImVec2 pos, ImVec2 size) const;
  /// The world panes of layout_ (one per lane).
  void viewport();
  void world_pane(Lane& lane, ImVec2 p0, ImVec2 size, bool interactive);
  void fit_view(Lane& lane);
  Counters lane_counters(const Lane& lane) const;
  void draw_counters(Lane& lane, ImVec2 p0, ImVec2 avail);
  /// Pixels the view fit keeps free around a world (less in presentation: the pane is the frame).
  float fit_margin() const { return (presenting() ? 8.0f : 20.0f) * ui_scale(); }
  /// The counters' inner padding (less side by side, where panes are narrow).
  float counter_pad() const { return (lanes_.size() > 1 ? 5.0f : 8.0f) * ui_scale(); }
  LabStyle lab_style() const;
  /// The overlay toggles the world panes and the world SVG export draw with.
  WorldViewOptions world_view_options() const;
  // Lessons (lesson_player.cpp).
  void load_lessons();
  void lesson_panel();
  void leave_lesson();
  bool lane_reached(const Lane& lane) const;
  /// Measures the step's claims on the lanes' snapshots the first frame every lane has paused at
  /// the step's condition (kept after Play, so they stay the pause's).
  void measure_claims();
  /// A rung step (LessonStep::rung): notes the run's wall clock as its snapshots arrive and,
  /// the first frame it has paused at the step's condition (or finished), hands its run to the
  /// ladder window under the rung's label, so the lesson's last step shows every rung run so far.
  void hand_rung_run();
  std::vector<Figure> shown_figures() const;
  const LessonStep* current_step() const;
  // Commands on every lane (app.cpp).
  void handle_keys();
  void take_runner_news();
  void toggle_play();
  void reset();
  void play_all();
  void pause_all();
  void step_all(int64_t n);
  /// Every lane ticks until its real env step count (Snapshot::total_steps) changes, at most
  /// TransportPanel::kEnvStepTickCap ticks (a runner command).
  void env_step_all();
  void apply_live_config();
  void export_figures();
  /// Sends what the mouse asked of the world (a cell edit, a pull) to the worker.
  void send(const WorldInteraction::Requests& r);
  // Side-by-side and the lab (side_by_side.cpp, uncertainty_toggles.cpp).
  void leave_side_by_side();
  void uncertainty_panel();
  // Policy learners (policy_panel.cpp): the critic map beside the world, MBPO's k slider and
  // the real vs imagined share of its last batch.
  void policy_panel();
  // Guided policy search (gps_panel.cpp): the tubes' key and the KL step slider.
  void gps_panel();
  // Value iteration networks (vin_panel.cpp): reward or value map, the k slider, the paths.
  void vin_panel();
  // C-learning (future_density_panel.cpp): the density toggle and the query picker.
  void future_density_panel();
  // The latent family (latent_panel.cpp): filmstrip and latent-map toggles, fits, probe R^2,
  // the k-step image error against the repeat-last-frame baseline.
  void latent_panel();
  /// The part of a `pane`-sized world pane the critic map takes: at its right in a landscape
  /// pane, at its bottom in a portrait one (side-by-side lanes); the world gets the rest. Zero
  /// size: no map to show, or no room for a readable one.
  struct MapPlace {
    ImVec2 size{0, 0};
    bool below = false;
  };
  MapPlace critic_map_place(const Snapshot* snap, ImVec2 pane) const;
  void critic_map(const Snapshot& snap, ImVec2 p0, ImVec2 size);
  void add_ghost_returns(std::vector<Figure>& figs) const;
  // A finished sweep behind the live plots (sweep_ghost.cpp): "where should this run be?"
  void add_sweep_ghost(std::vector<Figure>& figs) const;
  std::string sweep_ghost_summary() const;

  float line_scale() const { return presenting() ? 2.0f : 1.0f; }
  // Recording (app_recording.cpp).
  void toggle_recording();  // the Record button and F9: start to dynalab_exports/, or stop
  PixelBox record_region(RecordOptions::Region r) const;
  std::string recording_indicator() const;  // "REC 0:12" while recording, else ""

  Settings settings_;
  bool scripted_, demo_plan_trace_;
  Fonts fonts_;
  std::string name_;  // current experiment
  std::shared_ptr<const Snapshot> snap_;  // lanes_[0]'s, for the panels
  std::vector<Figure> figures_;           // the plots of this frame (merged across variants)
  ScreenLayout layout_;                   // where this frame's panes went
  RunnerStatus st_;
  // The panels, each with its own state.
  ExperimentPicker picker_;
  TransportPanel transport_;
  ConfigPanel config_;  // before runner_: the worker posts the resolved config into it
  MpcControls mpc_;
  SuccessorOverlayOptions successor_overlay_;  // the SR map's toggles (a SuccessorView's overlay)
  ProfilePanel profile_;
  RecordPanel record_;
  ScreenRecorder recorder_;
  RecordOptions::Region record_region_ = RecordOptions::Region::window;
  struct VideoClock {
    double ticks_per_second;
    int fps;
  };
  std::optional<VideoClock> video_clock_;  // headless recording (set_video_clock)
  StatusBar status_bar_;
  HelpWindows help_;
  LadderWindow ladder_;  // View > Sample-efficiency ladder (its own thread)
  WorldInteraction interaction_;
  std::vector<std::string> new_errors_;
  bool font_changed_ = false, quit_ = false;
  // presenting() when the fonts were last built: entering or leaving a lesson may change it.
  std::optional<bool> built_presenting_;
  float built_scale_ = 0;  // ui_scale() when the fonts were last built (a resize may change it)
  std::optional<ScreenshotRequest> screenshot_request_;
  // Lessons: every file loaded separately (a broken one is listed with its error).
  struct LessonEntry {
    std::string name;
    std::optional<Lesson> lesson;
    std::string error;
  };
  std::vector<LessonEntry> lessons_;
  int lesson_ = -1, step_ = 0;  // open lesson (index into lessons_, -1: none), 0-based step
  std::optional<std::vector<ClaimResult>> claim_results_;  // the step's claims at its pause
  // A rung step's run: its env steps -> seconds since the step opened (the run's wall clock as
  // the lesson ran it, GUI included), and whether it went to the ladder yet.
  std::map<int64_t, double> rung_wall_;
  std::chrono::steady_clock::time_point step_opened_{};
  bool rung_handed_ = false;
  std::string side_by_side_env_;  // env of the side-by-side run view ("" : not open)
  bool lab_open_ = false;         // the lab pane beside the viewport
  LabPanel lab_;
  // Returns of earlier runs restarted from the Uncertainty panel, drawn as extra series of the
  // return plot so a toggle's effect on the return is visible (label, returns); newest last.
  std::vector<std::pair<std::string, std::vector<double>>> ghost_returns_;
  // A finished sweep's mean and standard error per metric the plots show (File > Sweep ghost,
  // --ghost DIR); empty: none.
  std::vector<SweepGhost> sweep_ghost_;
  bool show_critic_map_ = true;  // the policy learners' critic heat map beside the world
  VinOverlayOptions vin_opt_;    // what the VIN overlay shows (vin_panel.cpp, lessons)
  bool vin_animate_k_ = false;   // vin_panel.cpp's "animate k": sweeps vin_opt_.k over 0..K
  double vin_animate_from_ = 0;  // ImGui time when the sweep started, s
  FutureDensityOverlayOptions future_density_;  // C-learning's predicted and Monte Carlo densities
  LatentOverlayOptions latent_;                 // the latent family's filmstrip and latent map
  // Last: destroyed first, so no worker command outlives the members above; the extra runners
  // of lanes_ die before runner_.
  Runner runner_{90, lower_worker_priority};
  std::vector<Lane> lanes_;  // lanes_[0].runner == &runner_
};

}  // namespace dynalab
