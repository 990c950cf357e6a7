// The "Uncertainty" panel of the controls, as App members: exactly the switches the lecture's
// claims are about (ensemble size, bootstrap, deterministic vs probabilistic members, how
// particles propagate through the ensemble), with one-click apply. Propagation applies live (the
// next replan uses it); the others change the model's shape, so they restart the run, and the
// previous run's returns stay on the return plot for comparison.

#include <imgui.h>

#include <algorithm>

#include "app/gui/app.h"
#include "core/lesson_gate.h"
#include "core/models/ensemble.h"
#include "core/snapshot.h"
#include "core/planning/model_env.h"

namespace dynalab {

namespace {
constexpr int kMaxGhosts = 3;  // earlier runs kept on the return plot

std::string describe(int size, bool bootstrap, const std::string& prediction,
                     const std::string& prop) {
  return "E=" + std::to_string(size) + (bootstrap ? " bootstrap " : " ") +
         (prediction == "probabilistic" ? "PE" : "DE") + " " + prop;
}
}  // namespace

void App::uncertainty_panel() {
  const Snapshot* m = snap_.get();
  if (!m || !m->model || !config_.ready || lanes_.size() > 1 ||
      config_.edited.value("family", "") != "planning" || config_.edited.value("dynamics", "learned") != "learned")
    return;
  if (!ImGui::CollapsingHeader("Uncertainty", ImGuiTreeNodeFlags_DefaultOpen)) return;
  Json& model = config_.edited["model"];
  Json& rollout = config_.edited["rollout"];
  if (!model.is_object()) model = Json::object();
  if (!rollout.is_object()) rollout = Json::object();
  int size = model.value("ensemble_size", 5);
  bool bootstrap = model.value("bootstrap", true);
  std::string prediction = model.value("prediction", "probabilistic");
  std::string prop = rollout.value("propagation", "tsinf");
  // What the running model was built with (the snapshot's frozen copy), to show what is pending.
  const bool have_model = m->model->model != nullptr;
  const ModelConfig running = have_model ? m->model->model->config() : ModelConfig{};
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.45f);
  ImGui::SliderInt("ensemble size", &size, 1, 10, "%d members");
  ImGui::Checkbox("bootstrap resampling", &bootstrap);
  int k = prediction == "probabilistic" ? 1 : 0;
  ImGui::RadioButton("deterministic", &k, 0);
  ImGui::SameLine();
  ImGui::RadioButton("probabilistic", &k, 1);
  prediction = k ? "probabilistic" : "deterministic";
  const auto& props = ModelEnvConfig::propagations();
  if (ImGui::BeginCombo("propagation", prop.c_str())) {
    for (const auto& p : props)
      if (ImGui::Selectable(p.c_str(), p == prop) && p != prop) {
        prop = p;
        rollout["propagation"] = p;
        // Live: the next replan propagates this way (the ensemble is unchanged).
        for (auto& lane : lanes_)
          lane.runner->post([p](Experiment& e) {
            Json edited = unwrap_gate(e).config();
            edited["rollout"]["propagation"] = p;
            unwrap_gate(e).apply_live_edit(edited);
          });
        status("propagation " + p + ": used from the next replan", false);
      }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "mean: average the members; ts1: a random member per step; tsinf: one member per "
        "particle; pessimistic / optimistic: the worst / best member's reward at each step");
  ImGui::PopItemWidth();
  model["ensemble_size"] = size;
  model["bootstrap"] = bootstrap;
  model["prediction"] = prediction;

  const bool structural =
      have_model && (size != running.ensemble_size || bootstrap != running.bootstrap ||
                     prediction != running.prediction);
  const int particles = rollout.value("particles", 1);
  const bool few_particles = prop != "mean" && particles < size;
  if (few_particles)
    ImGui::TextWrapped("%d particle%s: %s follows %s. Restart to give every member a particle.",
                       particles, particles == 1 ? "" : "s", prop.c_str(),
                       particles == 1 ? "a single member" : "only some members");
  ImGui::BeginDisabled(!structural && !few_particles);
  if (ImGui::Button(structural ? "Apply: restart the run with this model" : "Apply: restart",
                    ImVec2(-1, 0))) {
    // Elite members: every member plans; particles: at least one per member for sampling modes.
    model["elite_members"] = size;
    if (prop != "mean") rollout["particles"] = std::max(particles, size);
    if (!m->returns.empty()) {
      ghost_returns_.emplace_back(
          describe(running.ensemble_size, running.bootstrap, running.prediction, prop), m->returns);
      if (int(ghost_returns_.size()) > kMaxGhosts) ghost_returns_.erase(ghost_returns_.begin());
    }
    // In a lesson, Reset would rebuild the step as written: exploring leaves the lesson and
    // runs the step's experiment (with its overrides) with these changes instead.
    if (in_lesson()) leave_lesson();
    reset();
  }
  ImGui::EndDisabled();
  if (structural)
    ImGui::TextDisabled("size, bootstrap and prediction change the model: they apply on restart");
}

void App::add_ghost_returns(std::vector<Figure>& figs) const {
  if (ghost_returns_.empty() || lanes_.size() > 1) return;
  for (auto& f : figs) {
    if (f.id != "return_per_episode") continue;
    for (const auto& [label, returns] : ghost_returns_) {
      Series s{"earlier: " + label, {}, {}};
      for (size_t i = 0; i < returns.size(); ++i)
        s.x.push_back(double(i + 1)), s.y.push_back(returns[i]);
      f.series.push_back(std::move(s));
    }
  }
}

}  // namespace dynalab
