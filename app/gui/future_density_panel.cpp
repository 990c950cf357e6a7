// C-learning's panel of the controls (c_learning family): the toggle of the density view over the
// world (predicted beside Monte Carlo) and a picker of the query (s, a) it shows, a live edit of
// c_learning.view_query; the KLs of the query shown and their mean over the queries.

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/gui/app.h"
#include "core/lesson_gate.h"
#include "core/snapshot.h"

namespace dynalab {

void App::future_density_panel() {
  const Snapshot* s = snap_.get();
  if (!s || !s->future_density) return;
  if (!ImGui::CollapsingHeader("Future-state density (C-learning)", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const FutureDensityView& v = *s->future_density;
  ImGui::Checkbox("predicted density beside the Monte Carlo histogram", &future_density_.shown);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("left: C/(1-C) x p(s_f) over the world; right: where %d real rollouts from the same "
                      "(s, a) were after Delta ~ Geom(1 - gamma) steps",
                      v.mc_rollouts);
  ImGui::Checkbox("left: the marginal alone (the baseline)", &future_density_.marginal_instead);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("p(s_f), the density of all the data: what the prediction is without the classifier's odds");
  if (v.queries > 1) {
    int q = v.query + 1;
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    const bool changed = ImGui::SliderInt("query (s, a)", &q, 1, v.queries);
    ImGui::PopItemWidth();
    if (changed) {
      const int k = std::clamp(q, 1, v.queries) - 1;
      config_.edited["c_learning"]["view_query"] = k;
      for (auto& lane : lanes_)
        if (lane.snap && lane.snap->future_density)
          lane.runner->post([k](Experiment& e) {
            Json edited = unwrap_gate(e).config();
            edited["c_learning"]["view_query"] = k;
            unwrap_gate(e).apply_live_edit(edited);
          });
    }
  }
  ImGui::Text("KL(MC || C-learning) %.3f nats", v.kl_predicted);
  ImGui::Text("KL(MC || marginal)   %.3f nats", v.kl_marginal);
  ImGui::Text("mean over %d queries: %.3f vs %.3f (%.1fx)", v.queries, v.mean_kl_predicted, v.mean_kl_marginal,
              v.mean_kl_marginal / v.mean_kl_predicted);
}

}  // namespace dynalab
