#pragma once
// Lesson text in ImGui, wrapped at spaces only (app/draw/text_wrap.h says why) and measured in
// the current ImGui font.

#include <string>

namespace dynalab {

/// ImGui::TextUnformatted of `text` wrapped at spaces to the content region's width.
void text_wrapped_at_spaces(const std::string& text);

}  // namespace dynalab
