// The value iteration network's panel of the controls (vin family): which map the overlay shows
// (the value map v_k, the learned reward r, or none), the k slider over the VI module's
// iterations (k = 0: v_0 = max_a q_0, the reward seen through one convolution; each step one
// more convolution + max over channels: the wavefront spreading from the goal), an "animate"
// toggle that sweeps k for the audience, the paths toggle and the held-out accuracies.

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/draw/vin_overlay.h"
#include "app/gui/app.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {
constexpr double kSecondsPerIteration = 0.35;
}  // namespace

void App::vin_panel() {
  const Snapshot* s = snap_.get();
  if (!s || !s->vin) return;
  if (!ImGui::CollapsingHeader("Value iteration network", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const VinView& v = *s->vin;
  const int K = std::max(0, int(v.values.size()) - 1);
  int shown = v.values.empty() ? 0 : (vin_opt_.reward ? 0 : 1);
  if (!vin_opt_.values && !vin_opt_.reward) shown = 2;
  ImGui::RadioButton("value v_k", &shown, 1);
  ImGui::SameLine();
  ImGui::RadioButton("reward r", &shown, 0);
  ImGui::SameLine();
  ImGui::RadioButton("none", &shown, 2);
  vin_opt_.values = shown == 1;
  vin_opt_.reward = shown == 0;
  int k = vin_opt_.k < 0 ? K : std::min(vin_opt_.k, K);
  ImGui::BeginDisabled(!vin_opt_.values || K == 0);
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  if (ImGui::SliderInt("iteration k", &k, 0, K)) {
    vin_opt_.k = k;
    vin_animate_k_ = false;
  }
  ImGui::PopItemWidth();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("v_k = max over the q channels of conv3x3([r, v_{k-1}]): each iteration is one "
                      "convolution and one max, and the values reach one cell further from the goal");
  if (ImGui::Checkbox("animate k", &vin_animate_k_)) vin_animate_from_ = ImGui::GetTime();
  ImGui::EndDisabled();
  if (vin_animate_k_ && K > 0) {
    // 0..K, a pause at K, again.
    const int step = int((ImGui::GetTime() - vin_animate_from_) / kSecondsPerIteration) % (K + 4);
    vin_opt_.k = std::min(step, K);
  }
  ImGui::Checkbox("paths: VIN, reactive, expert", &vin_opt_.paths);
  ImGui::Text("epoch %d / %d", v.epoch, v.epochs);
  if (v.vin_test_accuracy >= 0) ImGui::Text("VIN held-out accuracy %.2f%%", v.vin_test_accuracy);
  if (v.reactive_test_accuracy >= 0) ImGui::Text("reactive held-out accuracy %.2f%%", v.reactive_test_accuracy);
  ImGui::TextDisabled("acting in the env: %s", v.acting.c_str());
}

}  // namespace dynalab
