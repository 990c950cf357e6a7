// Lesson text's wrap at spaces (app/draw/text_wrap.h), measured here at one unit per character
// instead of in an ImGui font: a number such as "1.45" is never split, existing newlines stay, a
// word wider than the width gets a line of its own, no line ends in a space, and every line of
// more than one word fits.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "app/draw/text_wrap.h"

namespace test_text_wrap {

using namespace dynalab;

namespace {
float chars(std::string_view s) { return float(s.size()); }

std::string wrap(std::string_view text, float width) { return wrap_at_spaces(text, width, chars); }

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (true) {
    const size_t end = s.find('\n', at);
    lines.push_back(s.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) return lines;
    at = end + 1;
  }
}
}  // namespace

TEST_CASE("text wrap: breaks at spaces only, so a number such as 1.45 is never split") {
  const std::string text = "the probe scores R^2 = 1.45 on theta_dot, 0.93 on cos_theta";
  for (float width = 4; width <= 70; ++width) {
    CAPTURE(width);
    const std::string w = wrap(text, width);
    std::string joined = w;
    for (char& c : joined)
      if (c == '\n') c = ' ';
    CHECK(joined == text);  // only spaces became newlines
    for (const std::string& line : lines_of(w)) {
      CHECK(line != "1.");
      if (line.find(' ') != std::string::npos) CHECK(chars(line) <= width);  // more than one word: it fits
    }
  }
  CHECK(wrap(text, 25) == "the probe scores R^2 =\n1.45 on theta_dot, 0.93\non cos_theta");
}

TEST_CASE("text wrap: existing newlines are kept, a wide word has a line of its own, no line ends in a space") {
  CHECK(wrap("one two\nthree four", 100) == "one two\nthree four");
  CHECK(wrap("a\n\nb\n", 100) == "a\n\nb\n");
  CHECK(wrap("", 10).empty());
  CHECK(wrap("a incomprehensibilities b", 5) == "a\nincomprehensibilities\nb");
  CHECK(wrap("incomprehensibilities", 5) == "incomprehensibilities");
  // Runs of spaces: kept inside a line, dropped where the line breaks and at a paragraph's end.
  CHECK(wrap("one  two   three ", 7) == "one\ntwo\nthree");
  CHECK(wrap("one  two   three ", 8) == "one  two\nthree");
  CHECK(wrap("  indented text\nx   ", 10) == "  indented\ntext\nx");
  for (float width = 1; width <= 20; ++width)
    for (const std::string& line : lines_of(wrap("  lots   of  spaces   here  \n and  there ", width))) {
      CAPTURE(width);
      CAPTURE(line);
      CHECK((line.empty() || line.back() != ' '));
    }
}

}  // namespace test_text_wrap
