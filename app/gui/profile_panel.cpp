#include "app/gui/profile_panel.h"

#include <imgui.h>

#include <algorithm>

#include "app/gui/plot_widget.h"

namespace dynalab {

void ProfilePanel::add(float ms) {
  frame_ms.push_back(ms);
  while (frame_ms.size() > 240) frame_ms.pop_front();
}

float ProfilePanel::average_ms() const {
  float sum = 0;
  for (float f : frame_ms) sum += f;
  return frame_ms.empty() ? 0 : sum / frame_ms.size();
}

void ProfilePanel::draw(const RunnerStatus& st, float line_scale) const {
  if (!ImGui::CollapsingHeader("Profile")) return;
  float worst = 0;
  for (float f : frame_ms) worst = std::max(worst, f);
  const float avg = average_ms();
  ImGui::Text("frame %.2f ms avg, %.2f ms worst (last %zu)", avg, worst, frame_ms.size());
  ImGui::Text("%.0f frames/s   %.0f ticks/s", avg > 0 ? 1000.0f / avg : 0, st.ticks_per_second);
  Figure f{"frame_time", "Frame time", "frame", "ms", {}, false};
  auto& s = f.series_named("frame ms");
  for (size_t i = 0; i < frame_ms.size(); ++i)
    s.x.push_back(double(i)), s.y.push_back(frame_ms[i]);
  plot_figure("frametime", f, ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 9),
              {line_scale});
}

}  // namespace dynalab
