#include "core/planning/plan_trace.h"

#include <algorithm>
#include <cmath>

#include "core/env.h"

namespace dynalab {

std::vector<PathEnd> candidate_ends(const PlanTrace& t, const Env& env) {
  const int P = std::max(0, t.candidates), steps = t.horizon + 1, O = t.obs_dim;
  std::vector<PathEnd> ends(P, PathEnd::horizon);
  if (O <= 0 || t.particles <= 0 || t.paths.size() < size_t(P) * t.particles * steps * O)
    return ends;
  Vec o(O);
  for (int p = 0; p < P; ++p)
    for (int k = 0; k < t.particles && ends[p] != PathEnd::failure; ++k) {
      const float* path = t.paths.data() + (size_t(p) * t.particles + k) * steps * O;
      for (int h = 0; h < steps; ++h) {
        bool finite = true;
        for (int d = 0; d < O; ++d) finite = finite && std::isfinite(o[d] = path[size_t(h) * O + d]);
        if (!finite) {  // the particle terminated after its previous state
          if (h > 0) ends[p] = PathEnd::terminated;
          break;
        }
        if (env.failure(o)) {
          ends[p] = PathEnd::failure;
          break;
        }
      }
    }
  return ends;
}

double end_fraction(const std::vector<PathEnd>& ends, PathEnd which) {
  if (ends.empty()) return 0;
  return double(std::count(ends.begin(), ends.end(), which)) / double(ends.size());
}

}  // namespace dynalab
