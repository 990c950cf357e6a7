#pragma once
// Standard normal draws in bulk for the planner's particle noise (about a million per replan):
// Box-Muller on 24-bit uniforms taken from Rng::next_u64, evaluated with Eigen's vectorised
// log/sin/cos on blocks of floats. Rng::normal (polar method, double, one value per call) costs
// ~10x more per draw. Same Rng state and n -> the same values, on every thread.

#include <cstdint>

namespace dynalab {

class Rng;

/// Fills out[0, n) with standard normal float draws from rng (consumes ceil(n/2) words).
void fill_normals(Rng& rng, float* out, long n);

}  // namespace dynalab
