#include "app/gui/mpc_panel.h"

#include <imgui.h>

#include <algorithm>

namespace dynalab {

void mpc_overlay_toggles(MpcOverlayOptions& opt) {
  ImGui::Checkbox("candidate fan", &opt.candidates);
  ImGui::Checkbox("elites", &opt.elites);
  ImGui::Checkbox("chosen plan", &opt.chosen);
  ImGui::Checkbox("all particles (ensemble spread)", &opt.particles);
  ImGui::Checkbox("executed path", &opt.executed);
}

const PlanTrace* cem_iteration_scrubber(const std::vector<PlanTrace>& traces, int& iteration) {
  if (traces.empty()) {
    ImGui::TextDisabled("no plan yet");
    return nullptr;
  }
  const int n = int(traces.size());
  iteration = std::clamp(iteration, 0, n - 1);
  int shown = iteration + 1;  // 1-based for the audience
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##cem_iteration", &shown, 1, n, "CEM iteration %d")) iteration = shown - 1;
  const PlanTrace& t = traces[iteration];
  const int best = best_candidate(t);
  ImGui::Text("%d candidates, %zu elites, best predicted return %.3g", t.candidates,
              t.elites.size(), best >= 0 ? double(t.returns[best]) : 0.0);
  return &t;
}

}  // namespace dynalab
