#pragma once
// Word wrap at spaces only. ImGui's own wrap (TextWrapped, PushTextWrapPos) may also break after
// '.', ',' and other punctuation, so a number such as "1.45" could end a projector line at "1."
// (a new user's screenshots of lessons 32 and 33). Lesson text goes through here instead.

#include <string>

namespace dynalab {

/// `text` with '\n' inserted at spaces so that no line is wider than `width` pixels in the
/// current ImGui font (a word wider than `width` keeps a line of its own). Existing newlines
/// are kept.
std::string wrap_at_spaces(const std::string& text, float width);

/// ImGui::TextUnformatted of wrap_at_spaces(text, the content region's width).
void text_wrapped_at_spaces(const std::string& text);

}  // namespace dynalab
