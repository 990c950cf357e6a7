#include "app/gui/text_wrap.h"

#include <imgui.h>

#include <algorithm>

namespace dynalab {

std::string wrap_at_spaces(const std::string& text, float width) {
  std::string out, line;
  auto wide = [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; };
  size_t at = 0;
  while (at <= text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string paragraph = text.substr(at, end - at);
    line.clear();
    size_t w = 0;
    while (w <= paragraph.size()) {
      const size_t stop = std::min(paragraph.find(' ', w), paragraph.size());
      const std::string word = paragraph.substr(w, stop - w);
      const std::string joined = line.empty() ? word : line + " " + word;
      if (!line.empty() && wide(joined) > width) {
        out += line + "\n";
        line = word;
      } else {
        line = joined;
      }
      w = stop + 1;
    }
    out += line;
    if (end < text.size()) out += "\n";
    at = end + 1;
  }
  return out;
}

void text_wrapped_at_spaces(const std::string& text) {
  ImGui::TextUnformatted(wrap_at_spaces(text, ImGui::GetContentRegionAvail().x).c_str());
}

}  // namespace dynalab
