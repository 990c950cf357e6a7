#include "app/gui/text_wrap.h"

#include <imgui.h>

#include "app/draw/text_wrap.h"

namespace dynalab {

void text_wrapped_at_spaces(const std::string& text) {
  const auto measure = [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; };
  ImGui::TextUnformatted(wrap_at_spaces(text, ImGui::GetContentRegionAvail().x, measure).c_str());
}

}  // namespace dynalab
