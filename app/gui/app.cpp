#include "app/gui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "app/gui/config_editor.h"
#include "app/gui/mpc_panel.h"
#include "app/gui/plot_widget.h"
#include "app/gui/tabular_overlay.h"
#include "core/experiments/tabular_experiment.h"
#include "core/export/atomic_file.h"
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
    std::string name = e.snapshot()->experiment;
    std::lock_guard lk(incoming_mu_);
    incoming_config_.emplace(std::move(name), e.config());
  });
  if (name_.empty()) name_ = src.name;
  seed_field_ = s;
  pending_reset_ = false;
  user_moved_view_ = false;
  if (!scripted_) settings_.last_experiment = name;
  status("loaded " + src.name, false);
  return "";
}

std::string App::open_lesson(const std::string& name, int step) {
  // Hook for issue 7: load the lesson file, then this step's experiment, overrides, overlays and
  // "run until" condition. Until the lesson player lands, say so plainly.
  const std::string msg = "lesson '" + name + "' step " + std::to_string(step) +
                          ": the lesson player is not built yet (issue 7)";
  status(msg, true);
  return msg;
}

void App::reset() {
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
    runner_.pause();
  else
    runner_.play();
}

void App::apply_live_config() {
  if (edit_config_.value("kind", "") != "tabular" || !edit_config_.contains("agent")) return;
  TabularConfig agent;
  try {
    ConfigNode node(edit_config_["agent"], "editor");
    agent.visit(node);
  } catch (const std::exception& e) {
    status(e.what(), true);
    return;
  }
  runner_.post([agent](Experiment& e) {
    if (auto* t = dynamic_cast<TabularExperiment*>(&e)) t->set_agent_config(agent);
  });
}

void App::export_figures() {
  if (!snap_) return;
  try {
    ensure_directory(kExportDir);
    for (const auto& f : snap_->figures)
      write_file_atomic(kExportDir / (name_ + "_" + f.id + ".csv"), f.to_csv());
    status("wrote " + std::to_string(snap_->figures.size()) + " figure CSV(s) to " +
               kExportDir.string() + "/",
           false);
  } catch (const std::exception& e) {
    status(e.what(), true);
  }
}

void App::handle_keys() {
  if (ImGui::GetIO().WantCaptureKeyboard) return;  // typing in a field is not a command
  if (ImGui::IsKeyPressed('P', false)) toggle_play();
  if (ImGui::IsKeyPressed('O')) runner_.step(1);
  if (ImGui::IsKeyPressed('R', false)) reset();
  if (ImGui::IsKeyPressed('F', false)) user_moved_view_ = false;
  if (ImGui::IsKeyPressed('H', false))
    settings_.panels.controls = !settings_.panels.controls;  // room for the world
}

void App::frame(float frame_ms) {
  frame_ms_.push_back(frame_ms);
  while (frame_ms_.size() > 240) frame_ms_.pop_front();
  snap_ = runner_.latest();
  st_ = runner_.status();
  for (const auto& e : runner_.take_errors()) status(e, true), new_errors_.push_back(e);
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
  const float left_w =
      settings_.panels.controls
          ? std::min(W * (settings_.presentation ? 0.30f : 0.36f), 380.0f * ui_scale())
          : 0.0f;
  if (settings_.panels.controls) controls_panel(left_w, H, top);
  const float plot_h = settings_.panels.plots && snap_ && !snap_->figures.empty()
                           ? std::floor(H * (settings_.presentation ? 0.34f : 0.32f))
                           : 0.0f;
  viewport(ImVec2(vp->Pos.x + left_w, top), ImVec2(W - left_w, H - plot_h));
  if (plot_h > 0) plots(ImVec2(vp->Pos.x + left_w, top + H - plot_h), ImVec2(W - left_w, plot_h));
  status_bar(top + H, W, status_h);
  if (show_keys_) keys_window();
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
        screenshot_request_ = ScreenshotRequest{stem + "_viewport.png", view_.origin, view_.size};
      if (ImGui::MenuItem("Window as PNG"))
        screenshot_request_ = ScreenshotRequest{stem + "_window.png", ImGui::GetMainViewport()->Pos,
                                                ImGui::GetMainViewport()->Size};
      if (screenshot_request_) {
        std::error_code ec;
        std::filesystem::create_directories(kExportDir, ec);
      }
      ImGui::EndMenu();
    }
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
    if (ImGui::MenuItem("Fit view", "F")) user_moved_view_ = false;
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
                             {"left drag S / G", "grid world: move the start / goal"}};
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
  experiment_picker();
  ImGui::Separator();
  transport();
  if (ImGui::CollapsingHeader("Overlays", ImGuiTreeNodeFlags_DefaultOpen)) {
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
  if (ImGui::Button(hints ? "Tick (O)" : "Tick", ImVec2(bw, 0))) runner_.step(1);
  ImGui::SameLine();
  if (ImGui::Button(hints ? "Reset (R)" : "Reset", ImVec2(bw, 0))) reset();
  ImGui::SetNextItemWidth(bw * 1.3f);
  ImGui::InputScalar("##n", ImGuiDataType_S64, &run_n_);
  run_n_ = std::clamp<int64_t>(run_n_, 1, 100000000);
  ImGui::SameLine();
  if (ImGui::Button("Run N ticks")) runner_.step(run_n_);
  bool max_speed = settings_.speed <= 0;
  if (ImGui::Checkbox("max speed", &max_speed)) {
    settings_.speed = max_speed ? 0 : 30;
    runner_.set_speed(settings_.speed);
  }
  if (!max_speed) {
    ImGui::SameLine();
    float sp = float(settings_.speed);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::DragFloat("##speed", &sp, 0.5f, 1, 5000, "%.0f ticks/s",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
      settings_.speed = sp;
      runner_.set_speed(sp);
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

void App::config_panel() {
  if (!ImGui::CollapsingHeader("Config", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (!edit_ready_) {
    ImGui::TextDisabled("loading...");
    return;
  }
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.42f);
  ImGui::PushID("config");  // its "seed" must not share an ID with the transport's seed field
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
  ImGui::InvisibleButton("world", ImVec2(std::max(avail.x, 1.f), std::max(avail.y, 1.f)),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), kViewportBg);
  view_.origin = p0;
  view_.size = avail;
  if (snap_ && snap_->world) {
    if (st_.generation != view_generation_)
      view_generation_ = st_.generation, user_moved_view_ = false;
    if (!user_moved_view_) {
      // Leave room at the top for the counters so they never cover the world.
      const float top = counter_px_;
      ViewTransform inner = view_;
      inner.origin.y += top;
      inner.size.y = std::max(10.0f, inner.size.y - top);
      inner.fit(snap_->world->world_bounds(), 20.0f * ui_scale());
      view_.scale = inner.scale;
      view_.center = inner.to_world(
          ImVec2(view_.origin.x + view_.size.x * 0.5f, view_.origin.y + view_.size.y * 0.5f));
    }
    viewport_interaction(p0, avail, hovered);
    dl->PushClipRect(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), true);
    ImGuiCanvas canvas(dl, view_, line_scale(), ImGui::GetFontSize());
    const auto* tab = dynamic_cast<const TabularSnapshot*>(snap_.get());
    if (tab)
      draw_tabular_view(canvas, *tab, settings_.overlays);
    else
      snap_->world->draw(canvas);
    // MPC: when MbrlSnapshot lands, draw its PlanTrace here:
    //   if (auto* m = dynamic_cast<const MbrlSnapshot*>(snap_.get())) draw_plan_trace(canvas,
    //   m->trace, *m->world, {});
    if (demo_plan_trace_ && !demo_traces_.empty()) {
      // Until MbrlSnapshot lands: a synthetic replan, one trace per CEM iteration.
      if (const PlanTrace* t =
              &demo_traces_[std::clamp(cem_iteration_, 0, int(demo_traces_.size()) - 1)])
        draw_plan_trace(canvas, *t, *snap_->world, mpc_opt_);
    }
    // Drag ghost for the start/goal being moved.
    if (drag_kind_ >= 2) {
      const ImVec2 m = ImGui::GetIO().MousePos;
      const Color c = drag_kind_ == 2 ? palette::start : palette::goal;
      dl->AddCircleFilled(m, float(0.3 * view_.scale), to_imu32(c.with_alpha(0.6f)));
      const char* t = drag_kind_ == 2 ? "S" : "G";
      const ImVec2 ts = ImGui::CalcTextSize(t);
      dl->AddText(ImVec2(m.x - ts.x / 2, m.y - ts.y / 2), IM_COL32_WHITE, t);
    }
    dl->PopClipRect();

    // Counters in the corner, large enough for the back row, wrapped to the viewport's width.
    std::vector<std::string> pieces = {snap_->experiment, "tick " + std::to_string(snap_->tick)};
    if (tab) {
      pieces.push_back("episode " + std::to_string(snap_->episode + 1));
      pieces.push_back("real updates " + std::to_string(tab->real_updates));
      pieces.push_back("planning updates " + std::to_string(tab->planning_updates));
      pieces.push_back("n = " + std::to_string(tab->agent.planning_steps));
    }
    // Presentation mode's UI font is already large; elsewhere the counters use the big font.
    ImGui::PushFont(settings_.presentation ? fonts_.ui : fonts_.big);
    const float pad = 8 * ui_scale();
    std::vector<std::string> lines(1);
    for (const auto& p : pieces) {
      const std::string joined = lines.back().empty() ? p : lines.back() + "    " + p;
      if (!lines.back().empty() && ImGui::CalcTextSize(joined.c_str()).x + 4 * pad > avail.x)
        lines.push_back(p);
      else
        lines.back() = joined;
    }
    float bw = 0;
    const float lh = ImGui::GetFontSize();
    for (const auto& l : lines) bw = std::max(bw, ImGui::CalcTextSize(l.c_str()).x);
    bw += 2 * pad;
    const float bh = lh * lines.size() + 2 * pad;
    dl->AddRectFilled(ImVec2(p0.x + pad, p0.y + pad), ImVec2(p0.x + pad + bw, p0.y + pad + bh),
                      IM_COL32(255, 255, 255, 215), 6);
    for (size_t i = 0; i < lines.size(); ++i)
      dl->AddText(ImVec2(p0.x + 2 * pad, p0.y + 2 * pad + lh * i), IM_COL32(20, 20, 25, 255),
                  lines[i].c_str());
    counter_px_ = bh + 2 * pad;
    ImGui::PopFont();
  } else {
    const char* msg = "no experiment loaded: File > Open experiment";
    dl->AddText(ImVec2(p0.x + 20, p0.y + 20), IM_COL32(40, 40, 40, 255), msg);
  }
  ImGui::End();
}

void App::viewport_interaction(const ImVec2& p0, const ImVec2& size, bool hovered) {
  (void)p0, (void)size;
  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    view_.zoom_at(io.MousePos, std::pow(1.15, io.MouseWheel));
    user_moved_view_ = true;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right, 2.0f)) {
    view_.center.x -= io.MouseDelta.x / view_.scale;
    view_.center.y += io.MouseDelta.y / view_.scale;
    user_moved_view_ = true;
  }
  // Grid editing (REINFORCEjs): click toggles a wall, drag moves the start or the goal.
  const auto* grid = dynamic_cast<const GridWorld*>(snap_->world.get());
  if (!grid || !dynamic_cast<const TabularSnapshot*>(snap_.get())) return;
  const Vec2 w = view_.to_world(io.MousePos);
  const int col = int(std::floor(w.x)), row = grid->maze().rows - 1 - int(std::floor(w.y));
  const bool inside = row >= 0 && row < grid->maze().rows && col >= 0 && col < grid->maze().cols;
  if (hovered && inside && !drag_kind_ && !ImGui::IsMouseDown(ImGuiMouseButton_Right)) {
    // Hover read-out: the numbers behind the colours and arrows of this cell.
    const auto& tab = static_cast<const TabularSnapshot&>(*snap_);
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

void App::edit_grid(GridEdit edit, Cell c) {
  runner_.post([edit, c](Experiment& e) {
    auto* t = dynamic_cast<TabularExperiment*>(&e);
    auto* g = t ? dynamic_cast<GridWorld*>(&t->env()) : nullptr;
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
  const auto& figs = snap_->figures;
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
