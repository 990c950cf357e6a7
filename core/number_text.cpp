#include "core/number_text.h"

#include <charconv>
#include <cmath>

namespace dynalab {

namespace {
// A leading '+' is common in hand-written numbers (numpy and Python read "+1"), but
// std::from_chars refuses it; "+-1" and "++1" stay refused.
std::string_view drop_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '+' && text[1] != '-') text.remove_prefix(1);
  return text;
}
}  // namespace

std::optional<double> parse_finite(std::string_view text) {
  text = drop_plus(text);
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  // ec also reports an exponent out of range (1e309, 1e-400): refused rather than rounded.
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x))
    return std::nullopt;
  return x;
}

std::optional<long long> parse_integer(std::string_view text, long long lo, long long hi) {
  text = drop_plus(text);
  long long x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x, 10);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || x < lo || x > hi)
    return std::nullopt;
  return x;
}

}  // namespace dynalab
