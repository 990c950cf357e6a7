#include "app/draw/text_wrap.h"

#include <algorithm>

namespace dynalab {

namespace {
// One paragraph (no '\n') wrapped greedily: each line is the longest run of whole words from
// `begin` that fits, or its first word alone if even that does not fit.
void wrap_paragraph(std::string_view p, float width, const TextWidth& measure, std::string& out) {
  size_t begin = 0;
  while (true) {
    size_t end = std::string_view::npos;  // the line's end: just after a word
    for (size_t at = begin; at < p.size();) {
      const size_t word = p.find_first_not_of(' ', at);
      if (word == std::string_view::npos) break;  // only spaces left
      const size_t word_end = std::min(p.find(' ', word), p.size());
      if (end != std::string_view::npos && measure(p.substr(begin, word_end - begin)) > width) break;
      end = word_end;
      at = word_end;
    }
    if (end == std::string_view::npos) return;  // nothing but spaces from begin: the line is done
    out.append(p.substr(begin, end - begin));
    begin = p.find_first_not_of(' ', end);  // the spaces at the break are dropped
    if (begin == std::string_view::npos) return;
    out += '\n';
  }
}
}  // namespace

std::string wrap_at_spaces(std::string_view text, float width, const TextWidth& measure) {
  std::string out;
  size_t at = 0;
  while (true) {
    const size_t end = std::min(text.find('\n', at), text.size());
    wrap_paragraph(text.substr(at, end - at), width, measure, out);
    if (end == text.size()) return out;
    out += '\n';
    at = end + 1;
  }
}

}  // namespace dynalab
