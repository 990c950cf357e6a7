// The latent family's panel of the controls (models from pixels): the toggles of the
// visual-foresight filmstrip and of the latent map beside the world, and the held-out numbers
// a lecturer quotes: the fits so far, the linear probe's R^2 (does z hold the true state?) and
// the k-step open-loop image error against the repeat-last-frame baseline (does the model
// predict anything a copy of the present would not?).

#include <imgui.h>

#include <cmath>

#include "app/gui/app.h"
#include "core/snapshot.h"

namespace dynalab {

void App::latent_panel() {
  const Snapshot* s = snap_.get();
  if (!s || !s->latent) return;
  if (!ImGui::CollapsingHeader("Models from pixels (latent)", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const LatentView& v = *s->latent;
  ImGui::Checkbox("filmstrip: decoded plan above the real frames", &latent_.filmstrip);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("the frames the model predicts for the chosen plan, t+1..t+%d, decoded from latent space;\n"
                      "below each, the real frame once it has happened: the drift grows with k",
                      int(v.predicted.size()));
  ImGui::Checkbox("latent map (PC1, PC2)", &latent_.latent_map);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("held-out frames' latent z on its first two principal components, coloured by the true %s",
                      v.colour_name.c_str());
  ImGui::Text("fits %d (%s objective)", v.fits, v.objective.c_str());
  if (!std::isfinite(v.probe_r2)) {
    ImGui::TextDisabled("probe R^2 and k-step error: after the first fit");
    return;
  }
  ImGui::Text("probe R^2 (z -> true state, held out) %.3f", v.probe_r2);
  if (!v.k_error_model.empty() && v.k_error_model.size() == v.k_error_repeat.size()) {
    const double model = v.k_error_model.back(), repeat = v.k_error_repeat.back();
    ImGui::Text("%zu-step image error %.4f", v.k_error_model.size(), model);
    ImGui::Text("repeat-last-frame    %.4f (model %.0f%% of it)", repeat, 100 * model / repeat);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("per-pixel MSE of the open-loop prediction %zu steps ahead on held-out frames;\n"
                        "the baseline predicts that nothing moves",
                        v.k_error_model.size());
  }
}

}  // namespace dynalab
