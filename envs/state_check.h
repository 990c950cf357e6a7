#pragma once
// Checks of a state vector handed to Env::set_state, which may come from a hand-edited session.
// Unchecked, a step counter of 1e15 was a double cast to int (undefined; on x86 a negative count,
// so the episode never reached its time limit and a run never ended), a cell index outside the
// grid a crash, and a pose of 1e308 an infinite float in Box2D (NaN from the first step on). Each
// check throws std::invalid_argument naming the env and the value; the experiment reports it as
// session.json's state.env_state (EpisodicExperiment::visit_state).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace dynalab {

/// Limit on the magnitude of a real-valued state entry (a position in m, an angle in rad, a
/// speed): no world here comes near it, and there a float (Box2D's type) resolves only sixteenths.
inline constexpr double kMaxStateMagnitude = 1e6;

/// state[i] if it is an integer in [lo, hi]. Throws std::invalid_argument("<env>: set_state:
/// value i (<what>): expected an integer in [lo, hi], got x") otherwise. i < state.size().
int64_t state_integer(std::span<const double> state, size_t i, std::string_view env, std::string_view what,
                      int64_t lo, int64_t hi);

/// state[i] if it is finite and at most kMaxStateMagnitude in magnitude. Throws
/// std::invalid_argument("<env>: set_state: value i (<what>): expected a finite number in
/// [-1e+06, 1e+06], got x") otherwise. i < state.size().
double state_number(std::span<const double> state, size_t i, std::string_view env, std::string_view what);

}  // namespace dynalab
