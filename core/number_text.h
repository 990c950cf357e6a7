#pragma once
// Numbers in text a person wrote: CSV fields, maze lines, command-line flags. The whole field
// must be the number. strtod/strtol/sscanf stop at the first character they cannot use and read
// "0.6abc" as 0.6 and "1x" as 1; they also skip leading spaces and take "nan", "inf" and hex
// "0x10". These take only a decimal number spelled out in full: an optional sign, digits, an
// optional point and exponent (std::from_chars, which also ignores the locale's decimal comma).

#include <limits>
#include <optional>
#include <string_view>

namespace dynalab {

/// The finite double that all of `text` spells, else nullopt ("0.6abc", "", " 1", "nan",
/// "1e309", "0x10").
std::optional<double> parse_finite(std::string_view text);

/// The base-10 integer that all of `text` spells if it lies in [lo, hi], else nullopt ("1.5",
/// "1x", "+", "99999999999999999999").
std::optional<long long> parse_integer(std::string_view text,
                                       long long lo = std::numeric_limits<long long>::min(),
                                       long long hi = std::numeric_limits<long long>::max());

}  // namespace dynalab
