#include "envs/state_check.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/io/csv.h"

namespace dynalab {

namespace {
[[noreturn]] void throw_state_error(size_t i, std::string_view env, std::string_view what, const std::string& expected, double got) {
  throw std::invalid_argument(std::string(env) + ": set_state: value " + std::to_string(i) + " (" + std::string(what) +
                              "): expected " + expected + ", got " + format_number(got));
}
}  // namespace

int64_t state_integer(std::span<const double> state, size_t i, std::string_view env, std::string_view what,
                      int64_t lo, int64_t hi) {
  const double x = state[i];
  // Compared as doubles first, so no out-of-range value is ever cast (lo and hi are below 2^53).
  if (!(x >= double(lo) && x <= double(hi) && x == std::floor(x)))
    throw_state_error(i, env, what, "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]", x);
  return int64_t(x);
}

double state_number(std::span<const double> state, size_t i, std::string_view env, std::string_view what) {
  const double x = state[i];
  if (!(std::abs(x) <= kMaxStateMagnitude))  // false for NaN too
    throw_state_error(i, env, what,
         "a finite number in [" + format_number(-kMaxStateMagnitude) + ", " + format_number(kMaxStateMagnitude) + "]", x);
  return x;
}

}  // namespace dynalab
