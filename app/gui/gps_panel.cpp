// Guided policy search's panel of the controls (gps family): the trajectory tubes' key (a swatch
// per start condition, what thin, bold and black mean) and the slider for the KL step, a live
// edit of gps.kl_step that the next C-step uses (deck 003, "what if we go too far?": a big step
// trusts the local linear model far from the rollouts it was fitted to).

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/draw/local_controller_overlay.h"
#include "app/gui/app.h"
#include "app/gui/imgui_canvas.h"
#include "core/lesson_gate.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {
// The slider's range (nats per time step): cbfinn/gps's default 0.2 sits in the middle of a log
// scale that reaches steps large enough to overshoot on the presets.
constexpr float kMinKlStep = 0.01f, kMaxKlStep = 50.0f;
}  // namespace

void App::gps_panel() {
  const Snapshot* s = snap_.get();
  if (!s || !s->local_controllers) return;
  if (!ImGui::CollapsingHeader("Local models (GPS)", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const LocalControllerView& v = *s->local_controllers;
  // The key: one swatch per start, then the line kinds.
  const float fh = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int m = 0; m < v.conditions; ++m) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddLine(ImVec2(p.x, p.y + fh * 0.5f), ImVec2(p.x + fh * 1.6f, p.y + fh * 0.5f),
                to_imu32(condition_color(m)), 4.0f * line_scale());
    ImGui::Dummy(ImVec2(fh * 1.8f, fh));
    ImGui::SameLine();
    ImGui::Text("start %d", m);
  }
  for (const std::string& line : tube_key(v)) ImGui::TextWrapped("%s", line.c_str());
  // The KL step: a live edit on every lane that runs GPS.
  double current = 0.2;
  if (config_.edited.contains("gps") && config_.edited["gps"].contains("kl_step"))
    current = config_.edited["gps"]["kl_step"].get<double>();
  float shown = float(current);
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  const bool changed = ImGui::SliderFloat("KL step (nats / step)", &shown, kMinKlStep, kMaxKlStep, "%.3g",
                                          ImGuiSliderFlags_Logarithmic);
  ImGui::PopItemWidth();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("gps.kl_step: the C-step's bound is kl_step x step_mult x T nats; too big and the "
                      "new controller leaves the region where the local model holds");
  if (changed) {
    const double k = std::clamp(double(shown), double(kMinKlStep), double(kMaxKlStep));
    config_.edited["gps"]["kl_step"] = k;
    for (auto& lane : lanes_)
      if (lane.snap && lane.snap->local_controllers)
        lane.runner->post([k](Experiment& e) {
          Json edited = unwrap_gate(e).config();
          edited["gps"]["kl_step"] = k;
          unwrap_gate(e).apply_live_edit(edited);
        });
    char note[96];
    std::snprintf(note, sizeof note, "KL step %.3g: used from the next C-step", k);
    status(note, false);
  }
  ImGui::Text("phase: %s", v.phase.c_str());
}

}  // namespace dynalab
