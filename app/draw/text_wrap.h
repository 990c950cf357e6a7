#pragma once
// Word wrap at spaces only. ImGui's own wrap (TextWrapped, PushTextWrapPos) may also break after
// '.', ',' and other punctuation, so a number such as "1.45" could end a projector line at "1."
// (a new user's screenshots of lessons 32 and 33). Lesson text goes through here instead. The
// caller measures the text (the GUI in the current ImGui font, app/gui/text_wrap.h), so the rule
// itself needs no font and is tested with a fixed width per character (tests/test_text_wrap.cpp).

#include <functional>
#include <string>
#include <string_view>

namespace dynalab {

/// The width of a piece of text, in the unit of the wrap width (pixels in the GUI).
using TextWidth = std::function<float(std::string_view)>;

/// `text` with '\n' inserted at spaces so that no line is wider than `width` as `measure` says;
/// a word wider than `width` keeps a line of its own. Existing newlines are kept, spaces inside
/// a line and before a paragraph's first word are kept, and no line ends in a space (the spaces
/// where a line breaks are dropped, as are a paragraph's trailing spaces).
std::string wrap_at_spaces(std::string_view text, float width, const TextWidth& measure);

}  // namespace dynalab
