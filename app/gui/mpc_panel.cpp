#include "app/gui/mpc_panel.h"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace dynalab {

void mpc_overlay_toggles(MpcOverlayOptions& opt, const std::string& elites_name) {
  ImGui::Checkbox("candidate fan", &opt.candidates);
  // The highlighted candidates in the planner's own words (random shooting has no elites).
  ImGui::Checkbox((elites_name + "##elites").c_str(), &opt.elites);
  ImGui::Checkbox("chosen plan", &opt.chosen);
  ImGui::Checkbox("chosen plan's particles (ensemble spread)", &opt.particles);
  ImGui::Checkbox("executed path", &opt.executed);
  ImGui::Checkbox("training data", &opt.training_data);
  ImGui::Checkbox("colour key", &opt.legend);
}

namespace {
// What one trace holds, in the planner's words.
void trace_summary(const PlanTrace& t, const std::string& elites_name) {
  const int best = best_candidate(t);
  ImGui::TextWrapped("%d candidates; highlighted (%s): %zu; best predicted return %.3g",
                     t.candidates, elites_name.c_str(), t.elites.size(),
                     best >= 0 ? double(t.returns[best]) : 0.0);
}
}  // namespace

const PlanTrace* iteration_scrubber(const std::vector<PlanTrace>& traces, int& iteration,
                                    const std::string& iteration_name,
                                    const std::string& elites_name) {
  if (traces.empty()) {
    ImGui::TextDisabled("no plan yet");
    return nullptr;
  }
  const int n = int(traces.size());
  iteration = std::clamp(iteration, 0, n - 1);
  int shown = iteration + 1;  // 1-based for the audience
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##plan_iteration", &shown, 1, n, (iteration_name + " %d").c_str()))
    iteration = shown - 1;
  const PlanTrace& t = traces[iteration];
  trace_summary(t, elites_name);
  return &t;
}

}  // namespace dynalab

namespace dynalab {

void MpcControls::draw(const Snapshot& s) {
  if (!s.plan || !ImGui::CollapsingHeader("MPC overlays", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const PlanView& m = *s.plan;
  mpc_overlay_toggles(opt, m.elites_name);
  if (m.iteration_name.empty()) {
    // One pass per replan (random shooting): no iterations to step through or follow.
    cem_follow = true;
    if (!m.replan_traces.empty())
      trace_summary(*m.replan_traces.back(), m.elites_name);
    else
      ImGui::TextDisabled("no plan yet (phase: %s)", m.phase.c_str());
  } else {
    ImGui::Checkbox(("follow the latest " + m.iteration_name).c_str(), &cem_follow);
    if (!m.replan_traces.empty()) {
      // The scrubber works on the replan's iterations; moving it stops following.
      const int n = int(m.replan_traces.size());
      if (cem_follow) cem_iteration = n - 1;
      cem_iteration = std::clamp(cem_iteration, 0, n - 1);
      int shown = cem_iteration + 1;
      ImGui::SetNextItemWidth(-1);
      if (ImGui::SliderInt("##plan_iteration", &shown, 1, n, (m.iteration_name + " %d").c_str())) {
        cem_iteration = shown - 1;
        cem_follow = false;
      }
      trace_summary(*m.replan_traces[cem_iteration], m.elites_name);
    } else {
      ImGui::TextDisabled("no plan yet (phase: %s)", m.phase.c_str());
    }
  }
  if (s.model)
    ImGui::Text("dataset %zu transitions, model %s", s.model->dataset_size, s.model->prediction.c_str());
}

void MpcControls::draw_demo(const Snapshot* snap) {
  if (!ImGui::CollapsingHeader("MPC (demo trace)", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (demo_traces.empty() && snap && snap->world) {
    const Env& world = *snap->world;
    const std::optional<GridLayout> grid = world.grid_layout();
    const Vec start = grid ? Vec::Constant(1, grid->state_of(grid->agent))
                           : Vec::Zero(world.observation_space().dim());
    for (int it = 0; it < 3; ++it) {
      PlanTrace t = demo_plan_trace(world, start, 24 - 6 * it, 5, 2);
      t.iteration = it, t.iterations = 3;
      demo_traces.push_back(std::move(t));
    }
    cem_iteration = 2;
  }
  mpc_overlay_toggles(opt, "elites");
  iteration_scrubber(demo_traces, cem_iteration, "CEM iteration", "elites");
}

const PlanTrace& MpcControls::shown_trace(const PlanView& m) const {
  if (cem_follow || m.replan_traces.empty()) return m.trace;
  return *m.replan_traces[std::clamp(cem_iteration, 0, int(m.replan_traces.size()) - 1)];
}

const PlanTrace* MpcControls::demo_trace() const {
  if (demo_traces.empty()) return nullptr;
  return &demo_traces[std::clamp(cem_iteration, 0, int(demo_traces.size()) - 1)];
}

}  // namespace dynalab
