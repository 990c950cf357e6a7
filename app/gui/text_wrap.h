#pragma once
// Lesson text in ImGui, wrapped at spaces only (app/draw/text_wrap.h says why) and measured in
// the current ImGui font.

#include <string>

namespace dynalab {

/// ImGui::TextUnformatted of `text` wrapped at spaces to the content region's width.
void text_wrapped_at_spaces(const std::string& text);

/// As text_wrapped_at_spaces, but text taller than `max_height` pixels goes into a box of that
/// height that scrolls (ImGui child `id`): a long lesson narrative scrolls in place and the
/// question and claims below it stay on screen.
void text_wrapped_at_spaces(const std::string& text, float max_height, const char* id);

}  // namespace dynalab
