#include "app/gui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "app/gui/config_editor.h"
#include "core/lesson_gate.h"
#include "app/gui/mpc_panel.h"
#include "app/gui/plot_widget.h"
#include "app/gui/tabular_overlay.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/agents/tabular/dyna_agent.h"
#include "core/io/atomic_file.h"
#include "envs/grid_world.h"
#include "envs/registry.h"

namespace dynalab {

namespace {
constexpr ImU32 kViewportBg = IM_COL32(232, 234, 238, 255);
const std::filesystem::path kExportDir = "dynalab_exports";

// "Sutton & Barto ..." descriptions are long: wrap them in the picker.
void wrapped_disabled(const std::string& s) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", s.c_str());
  ImGui::PopStyleColor();
}

// Where the imagined futures go (Env::future_layout): for time_up, the band above the world.
struct FutureBand {
  FutureLayout layout;
  double y0 = 0, height = 0;  // time_up band, world units
};

FutureBand future_band(const Env& env) {
  FutureBand f{env.future_layout()};
  if (f.layout.kind == FutureLayout::time_up) {
    const Bounds b = env.world_bounds();
    const double w = b.hi.x - b.lo.x, h = b.hi.y - b.lo.y;
    f.height = std::max(0.6 * h, 0.25 * w);
    f.y0 = b.hi.y + 0.05 * f.height;
  }
  return f;
}

// The world bounds to fit, grown to hold the imagined futures' band.
Bounds mbrl_bounds(const Env& env) {
  Bounds b = env.world_bounds();
  const FutureBand f = future_band(env);
  if (f.layout.kind == FutureLayout::time_up) b.hi.y = f.y0 + f.height * 1.08;
  if (f.layout.kind == FutureLayout::radial) b.lo.x *= 1.9, b.lo.y *= 1.9, b.hi.x *= 1.9, b.hi.y *= 1.9;
  return b;
}

std::string two_digits(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}
}  // namespace

App::App(Settings settings, bool scripted, bool demo_plan_trace)
    : settings_(std::move(settings)), scripted_(scripted), demo_plan_trace_(demo_plan_trace) {
  try {
    experiments_ = list_experiments();
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
  return settings_.presentation ? std::max(settings_.font_scale, 1.8f) : settings_.font_scale;
}

bool App::take_font_change() { return std::exchange(font_changed_, false); }

std::optional<App::ScreenshotRequest> App::take_screenshot_request() {
  return std::exchange(screenshot_request_, std::nullopt);
}

void App::status(const std::string& msg, bool error) {
  status_msg_ = msg;
  status_error_ = error;
  status_time_ = std::chrono::steady_clock::now();
}

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
  const uint64_t s = seed ? *seed : src.json.value("seed", uint64_t(0));
  runner_.load(
      [src](uint64_t seed) {
        ExperimentSource copy = src;
        if (copy.json.contains("seed")) copy.json["seed"] = seed;
        return make_experiment(copy, env_registry());
      },
      s);
  // The resolved config (defaults filled in) seeds the editor; it comes from the worker.
  runner_.post([this](Experiment& e) {
    std::string name = e.progress().experiment;
    std::lock_guard lk(incoming_mu_);
    incoming_config_.emplace(std::move(name), e.config());
  });
  name_ = src.name;
  seed_field_ = s;
  pending_reset_ = false;
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
  if (!edit_ready_) {
    runner_.reset(seed_field_);
    return;
  }
  // Rebuild from the edited config, so fields that apply on reset take effect now.
  Json cfg = edit_config_;
  const std::string name = name_;
  runner_.load(
      [cfg, name](uint64_t seed) {
        ExperimentSource src{name, name + " (edited in the app)", cfg, nullptr};
        if (src.json.contains("seed")) src.json["seed"] = seed;
        return make_experiment(src, env_registry());
      },
      seed_field_);
  if (edit_config_.contains("seed")) edit_config_["seed"] = seed_field_;
  pending_reset_ = false;
  status("reset with seed " + std::to_string(seed_field_), false);
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
  runner_.post([edited = edit_config_](Experiment& e) { unwrap_gate(e).apply_live_edit(edited); });
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
}

void App::frame(float frame_ms) {
  frame_ms_.push_back(frame_ms);
  while (frame_ms_.size() > 240) frame_ms_.pop_front();
  for (auto& lane : lanes_) {
    lane.snap = lane.runner->latest();
    lane.st = lane.runner->status();
    for (const auto& e : lane.runner->take_errors())
      status(lane.label.empty() ? e : lane.label + ": " + e, true), new_errors_.push_back(e);
  }
  snap_ = lanes_[0].snap;
  st_ = lanes_[0].st;
  {
    std::lock_guard lk(incoming_mu_);
    if (incoming_config_) {
      name_ = std::move(incoming_config_->first);
      edit_config_ = std::move(incoming_config_->second);
      incoming_config_.reset();
      edit_ready_ = true;
    }
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
                                          : std::min(W * (settings_.presentation ? 0.30f : 0.36f),
                                                     380.0f * ui_scale()))
                           : 0.0f;
  if (settings_.panels.controls) controls_panel(left_w, H, top);
  figures_ = shown_figures();
  add_ghost_returns(figures_);
  const float plot_h = settings_.panels.plots && !figures_.empty()
                           ? std::floor(H * (settings_.presentation ? 0.34f : 0.32f))
                           : 0.0f;
  // The lab takes the right half of the world's area (its views need the width more than the
  // world does); the plots stay under both.
  const float lab_w = lab_open_ ? std::floor((W - left_w) * 0.52f) : 0.0f;
  viewport(ImVec2(vp->Pos.x + left_w, top), ImVec2(W - left_w - lab_w, H - plot_h));
  if (lab_open_)
    lab_.draw(lanes_[0].snap, ImVec2(vp->Pos.x + W - lab_w, top), ImVec2(lab_w, H - plot_h),
              {line_scale(), fonts_.big});
  if (plot_h > 0) plots(ImVec2(vp->Pos.x + left_w, top + H - plot_h), ImVec2(W - left_w, plot_h));
  status_bar(top + H, W, status_h);
  if (show_keys_) keys_window();
  export_frame();
  if (show_about_) {
    ImGui::SetNextWindowPos(ImVec2(W * 0.5f, H * 0.4f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("About dynalab", &show_about_, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::TextUnformatted("dynalab: model-based RL, live, for the lecture hall.");
      ImGui::TextUnformatted(
          "Dyna-Q, MPC with random shooting and CEM, ensembles, distribution shift.");
      ImGui::Text("Dear ImGui %s, font: %s", ImGui::GetVersion(), fonts_.source.c_str());
    }
    ImGui::End();
  }
}

void App::menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::BeginMenu("Open experiment")) {
      std::string cat;
      for (const auto& e : experiments_) {
        if (e.category != cat) {
          cat = e.category;
          ImGui::TextDisabled("%s", cat.c_str());
        }
        if (ImGui::MenuItem(("  " + e.name).c_str(), nullptr, e.name == name_)) load(e.name, {});
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Export")) {
      if (ImGui::MenuItem("Figures as CSV")) export_figures();
      const std::string stem =
          (kExportDir / (name_ + "_tick" + std::to_string(snap_ ? snap_->tick : 0))).string();
      if (ImGui::MenuItem("Viewport as PNG"))
        screenshot_request_ =
            ScreenshotRequest{stem + "_viewport.png", lanes_[0].view.origin, lanes_[0].view.size};
      if (ImGui::MenuItem("Window as PNG"))
        screenshot_request_ = ScreenshotRequest{stem + "_window.png", ImGui::GetMainViewport()->Pos,
                                                ImGui::GetMainViewport()->Size};
      if (screenshot_request_) {
        std::error_code ec;
        std::filesystem::create_directories(kExportDir, ec);
      }
      ImGui::EndMenu();
    }
    session_menu_items();
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::TextDisabled("Dyna-Q overlays");
    auto& o = settings_.overlays;
    ImGui::MenuItem("Value heat map (max_a Q)", nullptr, &o.heat_map);
    ImGui::MenuItem("Greedy policy arrows", nullptr, &o.policy_arrows);
    ImGui::MenuItem("Model knows (s, a)", nullptr, &o.model_known);
    ImGui::MenuItem("Planning updates flash", nullptr, &o.planning_flashes);
    ImGui::MenuItem("Agent path this episode", nullptr, &o.episode_path);
    ImGui::Separator();
    ImGui::TextDisabled("Panels");
    ImGui::MenuItem("Controls", nullptr, &settings_.panels.controls);
    ImGui::MenuItem("Plots", nullptr, &settings_.panels.plots);
    ImGui::MenuItem("Stats", nullptr, &settings_.panels.stats);
    ImGui::MenuItem("Profile", nullptr, &settings_.panels.profile);
    ImGui::Separator();
    if (ImGui::MenuItem("Presentation mode", nullptr, &settings_.presentation))
      font_changed_ = true;
    float fs = settings_.font_scale;
    if (ImGui::SliderFloat("Font scale", &fs, 1.0f, 2.5f, "%.2fx")) settings_.font_scale = fs;
    if (ImGui::IsItemDeactivatedAfterEdit()) font_changed_ = true;
    if (ImGui::MenuItem("Fit view", "F")) lanes_[0].user_moved_view = false;
    ImGui::Separator();
    ImGui::TextDisabled("Uncertainty and distribution shift");
    const char* lab_titles[] = {"Disagreement map (epistemic vs aleatoric)",
                                "1-D slice: members and bands", "Validation error vs ensemble size",
                                "Distribution shift: visited vs training states",
                                "Model error vs distance and horizon"};
    for (size_t i = 0; i < lab_view_names().size(); ++i) {
      const bool on = lab_open_ && lab_.view() == lab_view_names()[i];
      if (ImGui::MenuItem(lab_titles[i], nullptr, on)) open_lab(on ? "" : lab_view_names()[i]);
    }
    if (ImGui::MenuItem("Side by side: cliff_hill v0.5 / v1.0 / v1.5", nullptr, in_side_by_side()))
      open_side_by_side("cliff_hill");
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys and mouse")) show_keys_ = true;
    if (ImGui::MenuItem("About")) show_about_ = true;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

void App::keys_window() {
  ImGui::SetNextWindowSize(ImVec2(0, 0));
  if (ImGui::Begin("Keys and mouse", &show_keys_)) {
    const char* rows[][2] = {{"P", "play / pause"},
                             {"O", "single tick"},
                             {"R", "reset (applies pending config changes, uses the seed field)"},
                             {"F", "fit the view to the world"},
                             {"H", "hide / show the controls panel"},
                             {"right drag", "pan the view"},
                             {"wheel", "zoom at the mouse"},
                             {"left click", "grid world: toggle a wall"},
                             {"left drag S / G", "grid world: move the start / goal"},
                             {"Page Down / N", "lesson: next step (a presenter's clicker)"},
                             {"Page Up / B", "lesson: previous step"}};
    for (auto& r : rows) {
      ImGui::TextUnformatted(r[0]);
      ImGui::SameLine(ImGui::GetFontSize() * 9);
      ImGui::TextUnformatted(r[1]);
    }
    ImGui::TextDisabled("Keys are ignored while a text field has focus.");
  }
  ImGui::End();
}

void App::controls_panel(float w, float h, float y) {
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetMainViewport()->Pos.x, y));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::Begin("Controls", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  lesson_panel();
  ImGui::Separator();
  if (in_lesson()) {
    // In a lesson the experiment comes from the step; picking another one leaves the lesson.
    if (ImGui::CollapsingHeader("Experiment")) experiment_picker();
  } else {
    experiment_picker();
  }
  ImGui::Separator();
  transport();
  mpc_panel();
  uncertainty_panel();
  if (dynamic_cast<const TabularSnapshot*>(snap_.get()) &&
      ImGui::CollapsingHeader("Overlays", ImGuiTreeNodeFlags_DefaultOpen)) {
    auto& o = settings_.overlays;
    // Two columns when they fit, else one per line (large fonts).
    const bool two = ImGui::CalcTextSize("planning flashes").x * 2 + ImGui::GetFontSize() * 4 < w;
    int i = 0;
    for (auto [label, flag] :
         {std::pair{"heat map", &o.heat_map}, std::pair{"policy arrows", &o.policy_arrows},
          std::pair{"model knows", &o.model_known},
          std::pair{"planning flashes", &o.planning_flashes},
          std::pair{"agent path", &o.episode_path}}) {
      if (two && i++ % 2) ImGui::SameLine(w * 0.5f);
      ImGui::Checkbox(label, flag);
    }
  }
  if (demo_plan_trace_ &&
      ImGui::CollapsingHeader("MPC (demo trace)", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (demo_traces_.empty() && snap_ && snap_->world) {
      const auto* grid = dynamic_cast<const GridWorld*>(snap_->world.get());
      const Vec start = grid ? Vec::Constant(1, grid->state_of(grid->agent()))
                             : Vec::Zero(snap_->world->observation_space().dim());
      for (int it = 0; it < 3; ++it) {
        PlanTrace t = demo_plan_trace(*snap_->world, start, 24 - 6 * it, 5, 2);
        t.iteration = it, t.iterations = 3;
        demo_traces_.push_back(std::move(t));
      }
      cem_iteration_ = 2;
    }
    mpc_overlay_toggles(mpc_opt_);
    cem_iteration_scrubber(demo_traces_, cem_iteration_);
  }
  if (settings_.panels.stats) stats_panel();
  config_panel();
  if (settings_.panels.profile) profile_panel();
  ImGui::End();
}

void App::experiment_picker() {
  ImGui::TextUnformatted("Experiment");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##experiment", name_.c_str(), ImGuiComboFlags_HeightLarge)) {
    std::string cat;
    for (const auto& e : experiments_) {
      if (e.category != cat) {
        cat = e.category;
        ImGui::TextDisabled("%s", cat.c_str());
      }
      if (ImGui::Selectable(("  " + e.name).c_str(), e.name == name_)) load(e.name, {});
      if (ImGui::IsItemHovered() && !e.description.empty())
        ImGui::SetTooltip("%s", e.description.c_str());
    }
    ImGui::EndCombo();
  }
  for (const auto& e : experiments_)
    if (e.name == name_ && !e.description.empty()) wrapped_disabled(e.description);
}

void App::transport() {
  const float bw = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
  // Key hints only when they fit (large fonts drop them; Help > Keys lists them).
  const bool hints =
      ImGui::CalcTextSize("Pause (P)").x + 2 * ImGui::GetStyle().FramePadding.x <= bw;
  if (ImGui::Button(st_.playing ? (hints ? "Pause (P)" : "Pause") : (hints ? "Play (P)" : "Play"),
                    ImVec2(bw, 0)))
    toggle_play();
  ImGui::SameLine();
  if (ImGui::Button(hints ? "Tick (O)" : "Tick", ImVec2(bw, 0))) step_all(1);
  ImGui::SameLine();
  if (ImGui::Button(hints ? "Reset (R)" : "Reset", ImVec2(bw, 0))) reset();
  ImGui::SetNextItemWidth(bw * 1.3f);
  ImGui::InputScalar("##n", ImGuiDataType_S64, &run_n_);
  run_n_ = std::clamp<int64_t>(run_n_, 1, 100000000);
  ImGui::SameLine();
  if (ImGui::Button("Run N ticks")) step_all(run_n_);
  ImGui::SameLine();
  if (ImGui::Button("Env step")) env_step_all();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("tick until the real env has taken one more step (at most %d ticks)",
                      kEnvStepTickCap);
  bool max_speed = settings_.speed <= 0;
  if (ImGui::Checkbox("max speed", &max_speed)) {
    settings_.speed = max_speed ? 0 : 30;
    for (auto& lane : lanes_) lane.runner->set_speed(settings_.speed);
  }
  if (!max_speed) {
    ImGui::SameLine();
    float sp = float(settings_.speed);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::DragFloat("##speed", &sp, 0.5f, 1, 5000, "%.0f ticks/s",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
      settings_.speed = sp;
      for (auto& lane : lanes_) lane.runner->set_speed(sp);
    }
  }
  ImGui::SetNextItemWidth(bw * 1.3f);
  ImGui::InputScalar("seed", ImGuiDataType_U64, &seed_field_);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("used by the next Reset (R)");
  const char* state = st_.finished            ? "finished"
                      : st_.playing           ? "playing"
                      : st_.pending_ticks > 0 ? "running"
                                              : "paused";
  ImGui::TextWrapped("tick %lld   %s   %.0f ticks/s", (long long)st_.ticks, state,
                     st_.ticks_per_second);
}

void App::stats_panel() {
  if (!snap_ || !ImGui::CollapsingHeader("Stats", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (ImGui::BeginTable("stats", 2, ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("0000000000").x);
    for (const auto& [k, v] : snap_->stats) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(k.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(v.c_str());
    }
    ImGui::EndTable();
  }
  if (!snap_->message.empty()) ImGui::TextWrapped("%s", snap_->message.c_str());
}

namespace {
/// Registered envs whose spaces suit an experiment kind (discrete observations and actions for
/// tabular, box actions for mbrl, all for other kinds), each with its resolved default config
/// section. Built once per kind: making every env with defaults takes milliseconds.
const std::vector<std::pair<std::string, Json>>& envs_for_kind(const std::string& kind) {
  static std::map<std::string, std::vector<std::pair<std::string, Json>>> cache;
  if (auto it = cache.find(kind); it != cache.end()) return it->second;
  std::vector<std::pair<std::string, Json>> out;
  for (const auto& e : env_registry().entries()) {
    try {
      ConfigNode node(Json{{"name", e.name}}, "env");
      const auto env = env_registry().make(node);
      node.finish();
      const bool ok = kind == "tabular" ? env->observation_space().is_discrete() &&
                                              env->action_space().is_discrete()
                      : kind == "mbrl" ? !env->action_space().is_discrete()
                                       : true;
      Json section = node.resolved();
      section["name"] = e.name;
      if (ok) out.emplace_back(e.name, std::move(section));
    } catch (const std::exception&) {
      // An env that cannot be built with defaults is not offered.
    }
  }
  return cache[kind] = std::move(out);
}
}  // namespace

void App::env_picker() {
  if (!edit_config_.contains("env") || !edit_config_["env"].is_object()) return;
  const std::string kind = edit_config_.value("kind", "");
  const std::string current = edit_config_["env"].value("name", "");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.42f);
  if (ImGui::BeginCombo("env", current.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (const auto& [name, section] : envs_for_kind(kind))
      if (ImGui::Selectable(name.c_str(), name == current) && name != current) {
        edit_config_["env"] = section;  // the new env's fields at their defaults
        pending_reset_ = true;
        status("env set to " + name + ": press Reset (R) to rebuild the experiment with it", false);
      }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("environments whose spaces suit a %s experiment; applies on reset",
                      kind.c_str());
}

void App::config_panel() {
  if (!ImGui::CollapsingHeader("Config", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (!edit_ready_) {
    ImGui::TextDisabled("loading...");
    return;
  }
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.42f);
  ImGui::PushID("config");  // its "seed" must not share an ID with the transport's seed field
  env_picker();
  const ConfigEdit e = edit_experiment_config(edit_config_);
  ImGui::PopID();
  ImGui::PopItemWidth();
  if (e.live) apply_live_config();
  if (e.on_reset) pending_reset_ = true;
  for (const auto& err : e.errors) status(err, true);
  if (pending_reset_) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.35f, 0.0f, 1));
    ImGui::TextWrapped("Changes pending: press Reset (R) to apply them.");
    ImGui::PopStyleColor();
  }
}

void App::profile_panel() {
  if (!ImGui::CollapsingHeader("Profile")) return;
  float sum = 0, worst = 0;
  for (float f : frame_ms_) sum += f, worst = std::max(worst, f);
  const float avg = frame_ms_.empty() ? 0 : sum / frame_ms_.size();
  ImGui::Text("frame %.2f ms avg, %.2f ms worst (last %zu)", avg, worst, frame_ms_.size());
  ImGui::Text("%.0f frames/s   %.0f ticks/s", avg > 0 ? 1000.0f / avg : 0, st_.ticks_per_second);
  Figure f{"frame_time", "Frame time", "frame", "ms", {}, false};
  auto& s = f.series_named("frame ms");
  for (size_t i = 0; i < frame_ms_.size(); ++i)
    s.x.push_back(double(i)), s.y.push_back(frame_ms_[i]);
  plot_figure("frametime", f, ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 9),
              {line_scale()});
}

void App::viewport(ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("Viewport", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Side by side: one pane per lane (a lesson step's variants), separated by a thin gap.
  const int n = int(lanes_.size());
  const float gap = n > 1 ? 4.0f : 0.0f;
  const float w = (avail.x - gap * (n - 1)) / n;
  for (int i = 0; i < n; ++i) {
    ImGui::SetCursorScreenPos(ImVec2(p0.x + i * (w + gap), p0.y));
    ImGui::PushID(i);
    world_pane(lanes_[i], ImVec2(p0.x + i * (w + gap), p0.y), ImVec2(w, avail.y), i == 0);
    ImGui::PopID();
  }
  if (n > 1)
    for (int i = 1; i < n; ++i)
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p0.x + i * (w + gap) - gap, p0.y),
                                                ImVec2(p0.x + i * (w + gap), p0.y + avail.y),
                                                IM_COL32(60, 60, 70, 255));
  ImGui::End();
}

void App::world_pane(Lane& lane, ImVec2 p0, ImVec2 avail, bool interactive) {
  ImGui::InvisibleButton("world", ImVec2(std::max(avail.x, 1.f), std::max(avail.y, 1.f)),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), kViewportBg);
  ViewTransform& view = lane.view;
  view.origin = p0;
  view.size = avail;
  const auto& snap = lane.snap;
  if (!snap || !snap->world) {
    const char* msg = lane.st.has_experiment || in_lesson()
                          ? "loading..."
                          : "no experiment loaded: File > Open experiment";
    dl->AddText(ImVec2(p0.x + 20, p0.y + 20), IM_COL32(40, 40, 40, 255), msg);
    return;
  }
  if (lane.st.generation != lane.view_generation)
    lane.view_generation = lane.st.generation, lane.user_moved_view = false;
  if (!lane.user_moved_view) {
    // Leave room at the top for the counters so they never cover the world.
    // Side by side, every pane leaves the same room so the worlds line up.
    float top = 0;
    for (const auto& l : lanes_) top = std::max(top, l.counter_px);
    ViewTransform inner = view;
    inner.origin.y += top;
    inner.size.y = std::max(10.0f, inner.size.y - top);
    inner.fit(dynamic_cast<const MbrlSnapshot*>(snap.get()) ? mbrl_bounds(*snap->world)
                                                            : snap->world->world_bounds(),
              20.0f * ui_scale());
    view.scale = inner.scale;
    view.center = inner.to_world(
        ImVec2(view.origin.x + view.size.x * 0.5f, view.origin.y + view.size.y * 0.5f));
  }
  viewport_interaction(lane, hovered, interactive);
  dl->PushClipRect(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), true);
  ImGuiCanvas canvas(dl, view, line_scale(), ImGui::GetFontSize());
  const auto* tab = dynamic_cast<const TabularSnapshot*>(snap.get());
  const auto* mb = dynamic_cast<const MbrlSnapshot*>(snap.get());
  if (tab)
    draw_tabular_view(canvas, *tab, settings_.overlays);
  else
    snap->world->draw(canvas);
  if (mb) draw_mbrl(canvas, lane);
  if (demo_plan_trace_ && !demo_traces_.empty() && &lane == &lanes_[0]) {
    // --demo-plan-trace: a synthetic replan, one trace per CEM iteration (overlay check).
    if (const PlanTrace* t =
            &demo_traces_[std::clamp(cem_iteration_, 0, int(demo_traces_.size()) - 1)])
      draw_plan_trace(canvas, *t, *snap->world, mpc_opt_);
  }
  // Mouse perturbation: a line from the grabbed point of the body to the mouse (as the testbed).
  if (interactive && perturbing_) {
    const Vec2 m = scripted_drag_target_.value_or(view.to_world(ImGui::GetIO().MousePos));
    const Vec2 a = snap->world->perturbation_anchor().value_or(perturb_grab_);
    canvas.segment(a, m, palette::goal, 2.0f);
    canvas.circle(a, 4.0 / view.scale, palette::goal, palette::none);
    canvas.circle(m, 4.0 / view.scale, palette::goal, palette::none);
  }
  // Drag ghost for the start/goal being moved.
  if (interactive && drag_kind_ >= 2) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const Color c = drag_kind_ == 2 ? palette::start : palette::goal;
    dl->AddCircleFilled(m, float(0.3 * view.scale), to_imu32(c.with_alpha(0.6f)));
    const char* t = drag_kind_ == 2 ? "S" : "G";
    const ImVec2 ts = ImGui::CalcTextSize(t);
    dl->AddText(ImVec2(m.x - ts.x / 2, m.y - ts.y / 2), IM_COL32_WHITE, t);
  }
  dl->PopClipRect();

  // Counters in the corner, large enough for the back row, wrapped to the pane's width.
  std::vector<std::string> pieces;
  if (!lane.label.empty())
    pieces.push_back(lane.label);
  else
    pieces.push_back(snap->experiment);
  const bool side_by_side = lanes_.size() > 1;
  if (!side_by_side) pieces.push_back("tick " + std::to_string(snap->tick));
  if (tab) {
    pieces.push_back("episode " + std::to_string(snap->episode + 1));
    if (lanes_.size() == 1) {
      pieces.push_back("real updates " + std::to_string(tab->real_updates));
      pieces.push_back("planning updates " + std::to_string(tab->planning_updates));
      pieces.push_back("n = " + std::to_string(tab->agent.planning_steps));
    } else {
      pieces.push_back(std::to_string(snap->total_steps) + " steps");
    }
  }
  std::string alert;  // a red line under the counters
  if (mb) {
    pieces.push_back("episode " + std::to_string(snap->episode + 1));
    std::string phase =
        mb->phase == "collect" ? "collect random data (" + std::to_string(mb->dataset_size) + ")"
        : mb->phase == "train" ? "train the model"
        : mb->phase == "plan"  ? "plan (" + mb->planner_kind + " iteration " +
                                    std::to_string(mb->trace.iteration + 1) + "/" +
                                    std::to_string(mb->trace.iterations) + ")"
                              : "act (step " + std::to_string(mb->plan_index) + " of the plan)";
    pieces.push_back("phase: " + phase);
    if (!mb->returns.empty()) pieces.push_back("last return " + two_digits(mb->returns.back()));
    if (mb->model_diverged) alert = "model diverged";
  }
  if (!snap->message.empty() && alert.empty() && mb) alert = snap->message;
  if (in_lesson() && lane_reached(lane) && !lane.released) {
    if (side_by_side)
      pieces.push_back("(paused)");
    else
      pieces.push_back("paused: " + until_text(current_step()->until));
  }
  // Presentation mode's UI font is already large; elsewhere the counters use the big font.
  // Side by side, the panes are narrow: less padding, and the pieces wrap one per line at worst.
  ImGui::PushFont(settings_.presentation ? fonts_.ui : fonts_.big);
  const float pad = (side_by_side ? 5 : 8) * ui_scale();
  std::vector<std::string> lines(1);
  for (const auto& p : pieces) {
    const std::string joined = lines.back().empty() ? p : lines.back() + "    " + p;
    if (!lines.back().empty() && ImGui::CalcTextSize(joined.c_str()).x + 4 * pad > avail.x)
      lines.push_back(p);
    else
      lines.back() = joined;
  }
  if (!alert.empty()) lines.push_back(alert);
  float bw = 0;
  const float lh = ImGui::GetFontSize();
  for (const auto& l : lines) bw = std::max(bw, ImGui::CalcTextSize(l.c_str()).x);
  bw = std::min(bw + 2 * pad, avail.x - 2 * pad);
  const float bh = lh * lines.size() + 2 * pad;
  dl->PushClipRect(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), true);
  dl->AddRectFilled(ImVec2(p0.x + pad, p0.y + pad), ImVec2(p0.x + pad + bw, p0.y + pad + bh),
                    IM_COL32(255, 255, 255, 215), 6);
  for (size_t i = 0; i < lines.size(); ++i) {
    const bool red = !alert.empty() && i + 1 == lines.size();
    dl->AddText(ImVec2(p0.x + 2 * pad, p0.y + 2 * pad + lh * i),
                red ? IM_COL32(200, 10, 10, 255) : IM_COL32(20, 20, 25, 255), lines[i].c_str());
  }
  dl->PopClipRect();
  lane.counter_px = bh + 2 * pad;
  ImGui::PopFont();
}

void App::draw_mbrl(Canvas& canvas, const Lane& lane) {
  const auto& m = static_cast<const MbrlSnapshot&>(*lane.snap);
  const Env& env = *m.world;
  const FutureBand f = future_band(env);
  PathPlacer place;
  if (f.layout.kind == FutureLayout::time_up) {
    place = [&env, f](const Vec& o, int k, int steps) -> std::optional<Vec2> {
      auto p = env.obs_position(o);
      if (!p) return std::nullopt;
      return Vec2{p->x, f.y0 + f.height * k / std::max(1, steps - 1)};
    };
  } else if (f.layout.kind == FutureLayout::radial) {
    place = [&env](const Vec& o, int k, int steps) -> std::optional<Vec2> {
      auto p = env.obs_position(o);
      if (!p) return std::nullopt;
      const double r = 1.0 + 0.85 * k / std::max(1, steps - 1);
      return Vec2{p->x * r, p->y * r};
    };
  }
  const bool show_plan = m.phase != "collect" && m.phase != "train" && !m.trace.returns.empty();
  if (f.layout.kind == FutureLayout::time_up) {
    // The band's frame: "now" at the bottom, time going up, and the danger line of a cliff.
    const Bounds b = env.world_bounds();
    const Color frame{0.35f, 0.35f, 0.45f, 1};
    canvas.rect({b.lo.x, f.y0}, {b.hi.x, f.y0 + f.height}, Color{1, 1, 1, 0.55f}, frame);
    const double H = m.trace.horizon;
    canvas.text({0.5 * (b.lo.x + b.hi.x), f.y0 + f.height * 1.04},
                "imagined futures (time goes up)", palette::text, 1.0f);
    if (H > 0)
      canvas.text({b.lo.x + 0.06 * (b.hi.x - b.lo.x), f.y0 + f.height * 0.04}, "now", palette::text,
                  1.0f);
    for (const auto& mark : f.layout.marks) {
      canvas.segment(mark.base, {mark.base.x, f.y0 + f.height}, palette::danger, 3.0f);
      canvas.text({mark.base.x + 0.04 * (b.hi.x - b.lo.x), f.y0 + f.height * 0.5}, mark.label,
                  palette::danger, 1.1f);
    }
  }
  // The executed trajectory this episode (orange, like the agent) under the imagined ones.
  if (mpc_opt_.executed && m.obs_dim > 0 && m.phase != "collect") {
    std::vector<Vec> path;
    for (size_t i = 0; i + m.obs_dim <= m.episode_obs.size(); i += m.obs_dim)
      path.push_back(Eigen::Map<const Vec>(m.episode_obs.data() + i, m.obs_dim));
    draw_observation_path(canvas, path, env, palette::agent.with_alpha(0.9f), 4.0f);
  }
  // The scrubbed CEM iteration of the latest replan, or the latest iteration.
  const PlanTrace* t = &m.trace;
  if (&lane == &lanes_[0] && !cem_follow_ && !m.replan_traces.empty())
    t = m.replan_traces[std::clamp(cem_iteration_, 0, int(m.replan_traces.size()) - 1)].get();
  if (show_plan) draw_plan_trace(canvas, *t, env, mpc_opt_, place);
  // Predicted vs actual: in the time band, what really happened since the plan was made (orange)
  // next to what the model predicted for the chosen plan (bold blue).
  if (show_plan && place && mpc_opt_.executed && !m.planning && m.plan_index > 0 && m.obs_dim > 0) {
    const size_t T = m.episode_obs.size() / m.obs_dim;
    const size_t n = std::min<size_t>(T, size_t(m.plan_index) + 1);
    std::vector<Vec> actual;
    for (size_t i = T - n; i < T; ++i)
      actual.push_back(Eigen::Map<const Vec>(m.episode_obs.data() + i * m.obs_dim, m.obs_dim));
    const int steps = m.trace.horizon + 1;
    PathPlacer same_clock = [&place, steps](const Vec& o, int k, int) {
      return place(o, k, steps);
    };
    draw_observation_path(canvas, actual, env, palette::agent, 5.0f, same_clock);
  }
  // The real state on top, so the fan's origin is clear.
  if (m.obs.size() > 0)
    if (auto p = env.obs_position(m.obs)) {
      const Bounds b = env.world_bounds();
      const double r = 0.012 * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
      canvas.circle(*p, r, palette::agent, palette::body_outline);
    }
}

void App::mpc_panel() {
  const auto* m = dynamic_cast<const MbrlSnapshot*>(snap_.get());
  if (!m || !ImGui::CollapsingHeader("MPC overlays", ImGuiTreeNodeFlags_DefaultOpen)) return;
  mpc_overlay_toggles(mpc_opt_);
  ImGui::Checkbox("follow the latest iteration", &cem_follow_);
  std::vector<PlanTrace> none;
  if (!m->replan_traces.empty()) {
    // The scrubber works on the replan's iterations; moving it stops following.
    const int before = cem_iteration_;
    if (cem_follow_) cem_iteration_ = int(m->replan_traces.size()) - 1;
    const int n = int(m->replan_traces.size());
    cem_iteration_ = std::clamp(cem_iteration_, 0, n - 1);
    int shown = cem_iteration_ + 1;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##cem_iteration", &shown, 1, n, "CEM iteration %d")) {
      cem_iteration_ = shown - 1;
      cem_follow_ = false;
    }
    (void)before;
    const PlanTrace& t = *m->replan_traces[cem_iteration_];
    const int best = best_candidate(t);
    ImGui::TextWrapped("%d candidates, %zu elites, best predicted return %.3g", t.candidates,
                       t.elites.size(), best >= 0 ? double(t.returns[best]) : 0.0);
  } else {
    ImGui::TextDisabled("no plan yet (phase: %s)", m->phase.c_str());
  }
  ImGui::Text("dataset %zu transitions, model %s", m->dataset_size, m->model_kind.c_str());
}

void App::viewport_interaction(Lane& lane, bool hovered, bool grid_edits) {
  ImGuiIO& io = ImGui::GetIO();
  ViewTransform& view = lane.view;
  if (hovered && io.MouseWheel != 0) {
    view.zoom_at(io.MousePos, std::pow(1.15, io.MouseWheel));
    lane.user_moved_view = true;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right, 2.0f)) {
    view.center.x -= io.MouseDelta.x / view.scale;
    view.center.y += io.MouseDelta.y / view.scale;
    lane.user_moved_view = true;
  }
  if (!grid_edits) return;
  // Box2D worlds: left drag pulls the body under the mouse (the Box2D testbed's mouse joint).
  if (lane.snap->world->grabbable()) {
    if (scripted_drag_target_) return;  // --drag holds the grab; no real mouse
    const Vec2 w = view.to_world(io.MousePos);
    if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && !perturbing_) {
      // Probe a copy first, so a click on empty space sends nothing.
      auto probe = lane.snap->world->clone();
      probe->clear_perturbation();
      if (probe->perturb(w, w)) {
        perturbing_ = true;
        perturb_grab_ = w;
      }
    }
    if (perturbing_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      perturbing_ = false;
      post_perturbation(false, w);
    } else if (perturbing_) {
      post_perturbation(true, w);
    }
    return;
  }
  // Grid editing (REINFORCEjs): click toggles a wall, drag moves the start or the goal.
  const auto* grid = dynamic_cast<const GridWorld*>(lane.snap->world.get());
  if (!grid || !dynamic_cast<const TabularSnapshot*>(lane.snap.get())) return;
  const Vec2 w = view.to_world(io.MousePos);
  const int col = int(std::floor(w.x)), row = grid->maze().rows - 1 - int(std::floor(w.y));
  const bool inside = row >= 0 && row < grid->maze().rows && col >= 0 && col < grid->maze().cols;
  if (hovered && inside && !drag_kind_ && !ImGui::IsMouseDown(ImGuiMouseButton_Right)) {
    // Hover read-out: the numbers behind the colours and arrows of this cell.
    const auto& tab = static_cast<const TabularSnapshot&>(*lane.snap);
    const int s = grid->state_of({row, col});
    if (s < tab.n_states && tab.n_actions == 4 && !grid->is_wall(row, col)) {
      const double* q = &tab.q[size_t(s) * 4];
      int known = 0;
      for (const auto& e : tab.model) known += e.state == s && e.visits > 0;
      ImGui::SetTooltip(
          "cell (row %d, col %d)\nQ up %.3f  down %.3f\nQ left %.3f  right %.3f\nmodel knows %d of "
          "4 actions",
          row, col, q[0], q[1], q[2], q[3], known);
    }
  }
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && inside) {
    const Cell c{row, col};
    drag_kind_ = c == grid->maze().start ? 2 : c == grid->maze().goal ? 3 : 1;
    drag_row_ = row, drag_col_ = col;
  }
  if (drag_kind_ && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
    const int kind = drag_kind_;
    drag_kind_ = 0;
    if (!inside) return;
    const Cell c{row, col};
    if (kind == 1 && (row != drag_row_ || col != drag_col_))
      return;  // a drag from a plain cell does nothing
    if (kind >= 2 && row == drag_row_ && col == drag_col_) return;
    edit_grid(kind == 1   ? GridEdit::toggle_wall
              : kind == 2 ? GridEdit::move_start
                          : GridEdit::move_goal,
              c);
  }
}

void App::env_step_all() {
  // Ticks on the worker until the real env step count moves (training epochs and CEM
  // iterations are ticks without an env step), bounded so a stuck run cannot hang.
  for (auto& lane : lanes_)
    lane.runner->post([](Experiment& e) {
      const int64_t before = e.progress().total_steps;
      for (int i = 0; i < kEnvStepTickCap; ++i)
        if (!e.tick() || e.progress().total_steps != before) return;
    });
}

void App::scripted_drag(Vec2 at, Vec2 target) {
  perturbing_ = true;
  perturb_grab_ = at;
  scripted_drag_target_ = target;
  post_perturbation(true, target);
}

void App::post_perturbation(bool active, Vec2 target) {
  const Vec2 grab = perturb_grab_;
  runner_.post([active, grab, target](Experiment& e) {
    Env* env = unwrap_gate(e).env();
    if (!env) return;  // nothing to pull in this experiment
    if (active)
      env->perturb(grab, target);  // after the first call only the target moves
    else
      env->clear_perturbation();
  });
}

void App::edit_grid(GridEdit edit, Cell c) {
  runner_.post([edit, c](Experiment& e) {
    Env* env = unwrap_gate(e).env();
    auto* g = env ? dynamic_cast<GridWorld*>(env) : nullptr;
    if (!g) throw InputError("this experiment has no grid world to edit");
    const bool ok = edit == GridEdit::toggle_wall  ? g->toggle_wall(c)
                    : edit == GridEdit::move_start ? g->move_start(c)
                                                   : g->move_goal(c);
    if (!ok)
      throw InputError(edit == GridEdit::toggle_wall
                           ? "cannot put a wall on the start, the goal or the agent"
                           : "the start and the goal need a free cell of their own");
  });
}

void App::plots(ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin("Plots", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBringToFrontOnFocus);
  const auto& figs = figures_;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float w = (avail.x - gap * (figs.size() - 1)) / figs.size();
  for (size_t i = 0; i < figs.size(); ++i) {
    if (i) ImGui::SameLine();
    plot_figure(figs[i].id.c_str(), figs[i], ImVec2(w, avail.y), {line_scale()});
  }
  ImGui::End();
}

void App::status_bar(float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetMainViewport()->Pos.x, y));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 3));
  ImGui::Begin("Status", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  if (!status_msg_.empty()) {
    if (status_error_)
      ImGui::TextColored(ImVec4(0.80f, 0.05f, 0.05f, 1), "%s", status_msg_.c_str());
    else
      ImGui::TextUnformatted(status_msg_.c_str());
  }
  float avg = 0;
  for (float f : frame_ms_) avg += f;
  avg = frame_ms_.empty() ? 0 : avg / frame_ms_.size();
  const std::string right = std::string(st_.playing ? "playing" : "paused") + "   " +
                            two_digits(st_.ticks_per_second) + " ticks/s   " +
                            two_digits(avg > 0 ? 1000 / avg : 0) + " fps";
  const float rw = ImGui::CalcTextSize(right.c_str()).x;
  ImGui::SameLine(std::max(0.0f, w - rw - 16));
  ImGui::TextUnformatted(right.c_str());
  ImGui::End();
}

}  // namespace dynalab
