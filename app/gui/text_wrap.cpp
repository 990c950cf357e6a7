#include "app/gui/text_wrap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/draw/text_wrap.h"

namespace dynalab {

namespace {
std::string wrapped(const std::string& text, float width) {
  const auto measure = [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; };
  return wrap_at_spaces(text, width, measure);
}
}  // namespace

void text_wrapped_at_spaces(const std::string& text) {
  ImGui::TextUnformatted(wrapped(text, ImGui::GetContentRegionAvail().x).c_str());
}

void text_wrapped_at_spaces(const std::string& text, float max_height, const char* id) {
  const std::string lines = wrapped(text, ImGui::GetContentRegionAvail().x);
  if (ImGui::CalcTextSize(lines.c_str()).y <= max_height) {
    ImGui::TextUnformatted(lines.c_str());
    return;
  }
  // A whole number of lines, so the box does not end in half a line.
  const float line = ImGui::GetTextLineHeight();
  ImGui::BeginChild(id, ImVec2(0, std::max(1.0f, std::floor(max_height / line)) * line));
  text_wrapped_at_spaces(text);  // rewrapped to the child's width, its scrollbar left out
  ImGui::EndChild();
}

}  // namespace dynalab
