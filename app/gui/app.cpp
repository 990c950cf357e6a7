#include "app/gui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/plot_widget.h"
#include "core/figure_layout.h"
#include "core/io/atomic_file.h"
#include "core/lesson_gate.h"
#include "envs/registry.h"

namespace dynalab {

namespace {

// The plots row: every figure of the frame side by side, in the plot font.
void plots_window(const std::vector<Figure>& figs, ImVec2 pos, ImVec2 size, float line_scale,
                  ImFont* font) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin("Plots", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (font) ImGui::PushFont(font);
  // Plots whose series are the same variants (a lesson step's) share one key above the row:
  // the room of one legend per plot goes to the data.
  bool shared = figs.size() > 1 && legend_labels(figs[0]).size() > 1;
  for (size_t i = 1; i < figs.size() && shared; ++i)
    shared = legend_labels(figs[i]) == legend_labels(figs[0]);
  if (shared) draw_series_key(figs[0], ImGui::GetContentRegionAvail().x, runs_style(figs[0], line_scale));
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float w = (avail.x - gap * (figs.size() - 1)) / figs.size();
  for (size_t i = 0; i < figs.size(); ++i) {
    if (i) ImGui::SameLine();
    PlotStyle style = runs_style(figs[i], line_scale);
    style.legend = !shared;
    plot_figure(figs[i].id.c_str(), figs[i], ImVec2(w, avail.y), style);
  }
  if (font) ImGui::PopFont();
  ImGui::End();
}

// True if `f` has two finite points: a line, or one point per variant to compare (a lone
// point or an empty frame says nothing a counter does not).
bool has_two_points(const Figure& f) {
  int n = 0;
  for (const auto& s : f.series)
    for (size_t k = 0; k < std::min(s.x.size(), s.y.size()) && n < 2; ++k)
      n += std::isfinite(s.x[k]) && std::isfinite(plotted_y(f, s.y[k]));
  return n >= 2;
}
}  // namespace

App::App(Settings settings, bool scripted, bool demo_plan_trace)
    : settings_(std::move(settings)), scripted_(scripted), demo_plan_trace_(demo_plan_trace) {
  try {
    picker_.experiments = list_experiments();
  } catch (const std::exception& e) {
    status(e.what(), true);
  }
  runner_.set_speed(scripted_ ? 0 : settings_.speed);
  lanes_.emplace_back();
  lanes_[0].runner = &runner_;
  try {
    load_lessons();
  } catch (const std::exception& e) {
    status(e.what(), true);
  }
}

float App::ui_scale() const {
  if (!presenting()) return settings_.font_scale;
  // A projector shows any resolution at the same size on the wall: presentation text keeps its
  // share of the window's height (1.8 x at 1000 to 1099 px, 1.44 x at 800), in steps of a tenth
  // so a resize rebuilds the fonts rarely.
  const float h = ImGui::GetIO().DisplaySize.y > 0 ? ImGui::GetIO().DisplaySize.y
                                                   : float(settings_.window_h);
  const float k = std::clamp(std::floor(h / 100.0f) / 10.0f, 0.7f, 1.4f);
  return std::max(settings_.font_scale, 1.8f * k);
}

bool App::take_font_change() {
  const bool changed = std::exchange(font_changed_, false) || built_scale_ != ui_scale() ||
                       built_presenting_ != presenting();
  built_presenting_ = presenting();
  built_scale_ = ui_scale();
  return changed;
}

std::optional<App::ScreenshotRequest> App::take_screenshot_request() {
  return std::exchange(screenshot_request_, std::nullopt);
}

void App::status(const std::string& msg, bool error) { status_bar_.set(msg, error); }

std::string App::load(const std::string& name, const std::vector<std::string>& sets,
                      std::optional<uint64_t> seed) {
  ExperimentSource src;
  try {
    src = load_experiment(name, sets);
  } catch (const std::exception& e) {
    status(e.what(), true);
    return e.what();
  }
  leave_lesson();
  leave_side_by_side();
  ghost_returns_.clear();
  layout_.extent = {0, 0};  // a new world: its arrangement is chosen afresh
  const uint64_t s = seed ? *seed : src.json.value("seed", uint64_t(0));
  runner_.load(
      [src](uint64_t seed) {
        ExperimentSource copy = src;
        if (copy.json.contains("seed")) copy.json["seed"] = seed;
        return make_experiment(copy, env_registry());
      },
      s);
  // The resolved config (defaults filled in) seeds the editor; it comes from the worker.
  config_.request_from(runner_);
  name_ = src.name;
  transport_.seed = s;
  config_.pending_reset = false;
  lanes_[0].user_moved_view = false;
  if (!scripted_) settings_.last_experiment = name, settings_.lesson_mode = false;
  status("loaded " + src.name, false);
  return "";
}

void App::reset() {
  if (in_lesson()) {  // Reset in a lesson resets the step (all its variants)
    const std::string name = lessons_[lesson_].name;
    open_lesson(name, step_ + 1);
    return;
  }
  if (in_side_by_side()) {  // all versions start again together
    const std::string env = side_by_side_env_;
    open_side_by_side(env);
    return;
  }
  if (!config_.ready) {
    runner_.reset(transport_.seed);
    return;
  }
  // Rebuild from the edited config, so fields that apply on reset take effect now.
  Json cfg = config_.edited;
  const std::string name = name_;
  runner_.load(
      [cfg, name](uint64_t seed) {
        ExperimentSource src{name, name + " (edited in the app)", cfg, nullptr};
        if (src.json.contains("seed")) src.json["seed"] = seed;
        return make_experiment(src, env_registry());
      },
      transport_.seed);
  if (config_.edited.contains("seed")) config_.edited["seed"] = transport_.seed;
  config_.pending_reset = false;
  status("reset with seed " + std::to_string(transport_.seed), false);
}

void App::toggle_play() {
  if (st_.playing)
    pause_all();
  else
    play_all();
}

void App::apply_live_config() {
  // The worker applies the live fields between ticks; the others wait for Reset (shown as
  // pending by the config panel). An invalid value is reported by the runner as an error.
  runner_.post(
      [edited = config_.edited](Experiment& e) { unwrap_gate(e).apply_live_edit(edited); });
}

void App::export_figures() {
  if (!snap_) return;
  try {
    ensure_directory(kExportDir);
    std::vector<Figure> figs = figures_;
    if (lab_open_)  // the lab's line plots too
      figs.insert(figs.end(), lab_.figures().begin(), lab_.figures().end());
    for (const auto& f : figs)
      write_file_atomic(kExportDir / (name_ + "_" + f.id + ".csv"), f.to_csv());
    status("wrote " + std::to_string(figs.size()) + " figure CSV(s) to " + kExportDir.string() +
               "/",
           false);
  } catch (const std::exception& e) {
    status(e.what(), true);
  }
}

void App::handle_keys() {
  if (ImGui::GetIO().WantCaptureKeyboard) return;  // typing in a field is not a command
  if (ImGui::IsKeyPressed('P', false)) toggle_play();
  if (ImGui::IsKeyPressed('O')) step_all(1);
  if (ImGui::IsKeyPressed('R', false)) reset();
  if (ImGui::IsKeyPressed('F', false)) lanes_[0].user_moved_view = false;
  if (in_lesson() && lessons_[lesson_].lesson) {
    // Presenter clickers send Page Down / Page Up.
    const int n = int(lessons_[lesson_].lesson->steps.size());
    const std::string name = lessons_[lesson_].name;
    const bool next = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown), false) ||
                      ImGui::IsKeyPressed('N', false);
    const bool back = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp), false) ||
                      ImGui::IsKeyPressed('B', false);
    if (next && step_ + 1 < n) open_lesson(name, step_ + 2);
    if (back && step_ > 0) open_lesson(name, step_);
  }
  if (ImGui::IsKeyPressed('H', false))
    settings_.panels.controls = !settings_.panels.controls;  // room for the world
  if (ImGui::IsKeyPressed(kRecordKey, false) && !scripted_) toggle_recording();
}

// Each lane's latest snapshot, status and errors, and the resolved config after a load.
void App::take_runner_news() {
  for (auto& lane : lanes_) {
    lane.snap = lane.runner->latest();
    lane.st = lane.runner->status();
    if (video_clock_ && lane.snap) {
      // Headless recording steps the runners itself, frame by frame: show the video's rate and
      // "playing" until the step's pause, not the wall clock's measurements.
      lane.st.ticks_per_second = video_clock_->ticks_per_second;
      lane.st.playing = !lane.snap->finished && !(in_lesson() && lane_reached(lane));
    }
    for (const auto& e : lane.runner->take_errors())
      status(lane.label.empty() ? e : lane.label + ": " + e, true), new_errors_.push_back(e);
  }
  snap_ = lanes_[0].snap;
  st_ = lanes_[0].st;
  if (auto name = config_.take_incoming()) name_ = std::move(*name);
}

void App::frame(float frame_ms) {
  profile_.add(frame_ms);
  take_runner_news();
  if (in_lesson()) {
    measure_claims();
    hand_rung_run();
  }
  handle_keys();

  menu_bar();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float menu_h = ImGui::GetFrameHeight();
  const float status_h = ImGui::GetFrameHeight() + 6;
  const float top = vp->Pos.y + menu_h, W = vp->Size.x, H = vp->Size.y - menu_h - status_h;
  // A lesson's narrative needs a wider column than the controls alone.
  const float left_w = settings_.panels.controls
                           ? (in_lesson() ? std::min(W * 0.34f, 480.0f * ui_scale())
                                          : std::min(W * (presenting() ? 0.30f : 0.36f),
                                                     380.0f * ui_scale()))
                           : 0.0f;
  if (settings_.panels.controls) controls_panel(left_w, H, top);
  figures_ = shown_figures();
  add_ghost_returns(figures_);
  add_sweep_ghost(figures_);
  // A lesson shows what its step asks for: a plot with nothing to compare yet gives its room away.
  if (in_lesson())
    std::erase_if(figures_, [](const Figure& f) { return !has_two_points(f); });
  ScreenInput in = screen_input(ImVec2(vp->Pos.x + left_w, top), ImVec2(W - left_w, H));
  const LaneGrid previous = layout_.grid;
  if (layout_.extent.x > 0) in.previous = &previous;  // the last frame laid out a world
  layout_ = lay_out_screen(in);
  viewport();
  const PixelRect& lab = layout_.lab;
  if (lab_open_)
    lab_.draw(lanes_[0].snap, ImVec2(lab.x, lab.y), ImVec2(lab.w, lab.h), lab_style());
  const PixelRect& pl = layout_.plots;
  if (pl.h > 0)
    plots_window(figures_, ImVec2(pl.x, pl.y), ImVec2(pl.w, pl.h), line_scale(), fonts_.plot);
  status_bar_.draw(top + H, W, status_h, st_, profile_.average_ms(), recording_indicator());
  help_.draw(fonts_);
  ladder_.draw(fonts_, line_scale());
  export_frame();
}

std::string App::ladder_line() {
  if (!ladder_.open) return "";
  std::string out;
  for (const LadderResult& r : ladder_.results())
    out += (out.empty() ? "" : ", ") + r.rung.label + " " + std::to_string(r.runs.size()) + " run" +
           (r.runs.size() == 1 ? "" : "s") + " (" +
           std::to_string(r.runs.empty() ? 0 : r.runs[0].curve.size()) + " points)";
  return out.empty() ? "no runs" : out;
}

std::string App::open_ladder(const std::string& dir) {
  ladder_.open = true;
  return dir.empty() || dir == "-" ? "" : ladder_.load(dir);
}

LabStyle App::lab_style() const {
  // On the projector a lesson step picks the lab's view (View menu switches): no tab bar, whose
  // five titles clip at the large font anyway.
  return {line_scale(), fonts_.big, fonts_.plot, !(in_lesson() && presenting())};
}

std::string App::layout_line() const {
  char b[96];
  std::snprintf(b, sizeof b, "presentation %s, ui font %.0f px, plot font %.0f px, ",
                presenting() ? "on" : "off", kBaseFontPx * ui_scale(),
                fonts_.plot ? fonts_.plot->FontSize : kBaseFontPx * ui_scale());
  return b + layout_.describe();
}

void App::env_step_all() {
  // Ticks on the worker until the real env step count moves (training epochs and CEM
  // iterations are ticks without an env step), bounded so a stuck run cannot hang.
  for (auto& lane : lanes_)
    lane.runner->post([](Experiment& e) {
      const int64_t before = e.progress().total_steps;
      for (int i = 0; i < TransportPanel::kEnvStepTickCap; ++i)
        if (!e.tick() || e.progress().total_steps != before) return;
    });
}

void App::scripted_drag(Vec2 at, Vec2 target) { send(interaction_.scripted_drag(at, target)); }

void App::send(const WorldInteraction::Requests& r) {
  if (r.edit) edit_grid(r.edit->first, r.edit->second);
  if (!r.pull) return;
  const bool active = *r.pull;
  const Vec2 grab = interaction_.grab, target = r.target;
  runner_.post([active, grab, target](Experiment& e) {
    Env* env = unwrap_gate(e).env();
    if (!env) return;  // nothing to pull in this experiment
    if (active)
      env->perturb(grab, target);  // after the first call only the target moves
    else
      env->clear_perturbation();
  });
}

void App::edit_grid(CellEdit edit, Cell c) {
  // Every lane's world gets the edit: side by side, the lecturer drags the goal once and the
  // agents race on the same changed maze (the successor representation's revaluation race).
  for (auto& lane : lanes_)
    lane.runner->post([edit, c](Experiment& e) {
      Env* env = unwrap_gate(e).env();
      if (!env || !env->grid_layout()) throw InputError("this experiment has no grid world to edit");
      if (!env->edit_cell(edit, c))
        throw InputError(edit == CellEdit::toggle_wall
                             ? "cannot put a wall on the start, the goal or the agent"
                             : "the start and the goal need a free cell of their own");
    });
}

}  // namespace dynalab
